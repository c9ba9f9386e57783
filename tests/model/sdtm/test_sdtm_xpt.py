"""The SAS transport v5 writer (model/sdtm/xpt.py) against SAS TS-140's record layout."""

import pandas as pd
import pytest

from model.sdtm.xpt import Variable, ibm_float, write_xpt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1.0, "4110000000000000"),
        (0.5, "4080000000000000"),
        (-118.625, "c276a00000000000"),  # the classic IBM hexadecimal float example
        (0.0, "0000000000000000"),
        (None, "2e00000000000000"),  # SAS missing "." (TS-140, "Missing values")
        (float("nan"), "2e00000000000000"),
    ],
)
def test_ibm_float(value, expected):
    """Numbers are IBM System/360 double precision: sign, base-16 exponent + 64, 56-bit fraction."""
    assert ibm_float(value).hex() == expected


def test_ibm_float_is_exact_for_doubles(tmp_path):
    """Any double survives the trip (its 53 bits fit the 56-bit fraction), read by pandas."""
    values = [0.1, 1 / 3, 123456.789, -2.5e-30, 7.2e70, 9.5]
    write_xpt(tmp_path / "x.xpt", "X", "", [Variable("V", "v", True, values)])
    assert pd.read_sas(tmp_path / "x.xpt", format="xport")["V"].tolist() == values


def test_infinity_is_refused():
    """TS-140 has no infinity."""
    with pytest.raises(ValueError, match="infinite"):
        ibm_float(float("inf"))


def test_records_are_80_bytes_with_one_namestr_per_variable(tmp_path):
    """Headers are 80-byte records; the NAMESTR header gives the variable count (TS-140)."""
    path = write_xpt(tmp_path / "dm.xpt", "DM", "Demographics", [
        Variable("USUBJID", "Unique Subject Identifier", False, ["A-1", "A-22"]),
        Variable("AGE", "Age", True, [61, None]),
    ])  # fmt: skip
    data = path.read_bytes()
    assert len(data) % 80 == 0
    assert data[:80].startswith(b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000")
    namestr_at = data.index(b"HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!")
    assert data[namestr_at + 48 : namestr_at + 58] == b"0000000002"
    first = data[namestr_at + 80 : namestr_at + 80 + 140]
    assert first[:8] == bytes([0, 2, 0, 0, 0, 4, 0, 1])  # char, length 4, variable 1
    assert first[8:16] == b"USUBJID "
    frame = pd.read_sas(path, format="xport", encoding="utf-8")
    assert frame["USUBJID"].tolist() == ["A-1", "A-22"]
    assert frame["AGE"].iloc[0] == 61 and pd.isna(frame["AGE"].iloc[1])


@pytest.mark.parametrize(
    ("name", "variable"),
    [
        ("TOOLONGNAME", Variable("A", "a", True, [1])),
        ("DM", Variable("USUBJIDXX", "name of 9", False, ["x"])),
        ("DM", Variable("A", "x" * 41, False, ["x"])),
        ("DM", Variable("A", "a", False, ["x" * 201])),
        ("DM", Variable("1A", "a", True, [1])),
    ],
)
def test_version_5_limits_are_enforced(tmp_path, name, variable):
    """Names at most 8 characters starting with a letter, labels 40, values 200 bytes."""
    with pytest.raises(ValueError, match="version 5"):
        write_xpt(tmp_path / "x.xpt", name, "", [variable])
