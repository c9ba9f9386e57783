"""SAS transport (XPORT) version 5 files, the format FDA takes SDTM datasets in.

The layout follows SAS technical support document TS-140, "The record layout of
a data set in SAS transport (XPORT) format": 80-byte header records, one
140-byte NAMESTR per variable, then the observations, every section padded with
blanks to a multiple of 80 bytes. Numbers are 8-byte IBM System/360 floating
point; character values are blank-padded. Version 5 limits names to 8
characters, labels to 40 and character values to 200 bytes.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

#: Longest name, label and character value that version 5 allows (TS-140).
MAX_NAME, MAX_LABEL, MAX_CHAR = 8, 40, 200

#: Bytes of a numeric value; TS-140 allows 2-8, SDTM uses 8.
NUMERIC_LENGTH = 8

_RECORD = 80
_NAMESTR = 140
#: The SAS missing value "." : 0x2E followed by zeros (TS-140, "Missing values").
_MISSING = b"\x2e" + bytes(7)


@dataclass(frozen=True)
class Variable:
    """One column of a transport dataset: numeric values are floats or None, character str."""

    name: str
    label: str
    numeric: bool
    values: Sequence[object]

    @property
    def length(self) -> int:
        """Storage length in bytes: 8 for numbers, the longest value (at least 1) for text."""
        if self.numeric:
            return NUMERIC_LENGTH
        return max([1] + [len(_text(v)) for v in self.values])


def ibm_float(value: float | None) -> bytes:
    """The 8-byte IBM hexadecimal float of `value`; SAS missing for None or NaN (TS-140).

    A double's 53-bit mantissa fits the 56 bits exactly after the shift to a
    base-16 exponent, so no rounding happens.
    """
    if value is None or math.isnan(value):
        return _MISSING
    if value == 0:
        return bytes(8)
    if math.isinf(value):
        raise ValueError("an infinite value cannot be written to a transport file")
    sign = 0x80 if value < 0 else 0
    mantissa, exponent = math.frexp(abs(value))  # abs(value) = mantissa * 2**exponent
    hex_exponent = -(-exponent // 4)
    fraction = int(mantissa * 2.0 ** (56 + exponent - 4 * hex_exponent))
    biased = hex_exponent + 64
    if not 0 <= biased <= 127:
        raise ValueError(f"{value!r} is out of range for an IBM float")
    return bytes([sign | biased]) + fraction.to_bytes(7, "big")


def write_xpt(path: Path, name: str, label: str, variables: Sequence[Variable]) -> Path:
    """Return `path` after writing one dataset there as a version 5 transport file."""
    _check_names(name, label, variables)
    created = datetime.now().strftime("%d%b%y:%H:%M:%S").upper().encode("ascii")
    parts = [
        _header("LIBRARY", "0" * 30),
        _pad(b"SAS     SAS     SASLIB  9.4     " + _field("", 8) + b" " * 24 + created),
        _pad(created),
        _header("MEMBER", "0" * 17 + "16" + "0" * 8 + "140"),
        _header("DSCRPTR", "0" * 30),
        _pad(b"SAS     " + _field(name, 8) + b"SASDATA 9.4     " + b" " * 32 + created),
        _pad(created + b" " * 16 + _field(label, 40) + b" " * 8),
        _header("NAMESTR", f"000000{len(variables):04d}" + "0" * 20),
        _pad(b"".join(_namestrs(variables))),
        _header("OBS", "0" * 30),
        _pad(b"".join(_observations(variables))),
    ]
    path.write_bytes(b"".join(parts))
    return path


def _check_names(name: str, label: str, variables: Sequence[Variable]) -> None:
    problems = [f"dataset name {name!r}"] if not _valid_name(name) else []
    problems += [f"label {label!r}"] if len(label.encode()) > MAX_LABEL else []
    for v in variables:
        if not _valid_name(v.name):
            problems.append(f"variable name {v.name!r}")
        if len(v.label.encode()) > MAX_LABEL:
            problems.append(f"label of {v.name}")
        if not v.numeric and v.length > MAX_CHAR:
            problems.append(f"a value of {v.name} longer than {MAX_CHAR} bytes")
    if problems:
        raise ValueError("not allowed in a version 5 transport file: " + ", ".join(problems))


def _valid_name(name: str) -> bool:
    return (
        0 < len(name) <= MAX_NAME
        and name.isascii()
        and name[0].isalpha()
        and (name.replace("_", "").isalnum())
    )


def _header(kind: str, numbers: str) -> bytes:
    text = f"HEADER RECORD*******{kind:<8}HEADER RECORD!!!!!!!{numbers}"
    return _pad(text.encode("ascii"))


def _field(text: str, width: int) -> bytes:
    return text.encode("utf-8")[:width].ljust(width)


def _pad(data: bytes) -> bytes:
    """`data` padded with blanks to a whole number of 80-byte records."""
    return data + b" " * (-len(data) % _RECORD)


def _namestrs(variables: Sequence[Variable]) -> list[bytes]:
    records, position = [], 0
    for number, v in enumerate(variables, start=1):
        head = struct.pack(">hhhh", 1 if v.numeric else 2, 0, v.length, number)
        text = _field(v.name, 8) + _field(v.label, 40) + _field("", 8)
        formats = struct.pack(">hhh", 0, 0, 0) + bytes(2) + _field("", 8) + struct.pack(">hh", 0, 0)
        record = head + text + formats + struct.pack(">i", position) + bytes(52)
        assert len(record) == _NAMESTR
        records.append(record)
        position += v.length
    return records


def _observations(variables: Sequence[Variable]) -> list[bytes]:
    rows = len(variables[0].values) if variables else 0
    encoders = [_number_column(v) if v.numeric else _text_column(v) for v in variables]
    return [b"".join(column[i] for column in encoders) for i in range(rows)]


def _number_column(v: Variable) -> list[bytes]:
    return [ibm_float(None if x is None else float(x)) for x in v.values]


def _text_column(v: Variable) -> list[bytes]:
    width = v.length
    return [_text(x).ljust(width) for x in v.values]


def _text(value: object) -> bytes:
    return b"" if value is None else str(value).encode("utf-8")
