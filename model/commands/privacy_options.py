"""The options `--pseudonymise`, `--key-file` and `--keep` of `export` and `report`, and the
study they give: the same key gives the same codes and offsets in both (issue 14, attack 8)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class StudyToWrite:
    """What a command writes out: the study's rows, settings and readers' decisions, and the
    name it goes by (its file's name, or a code when pseudonymised)."""

    data: Any
    settings: Any
    decisions: tuple[tuple[Any, ...], tuple[Any, ...]]
    name: str


def add_privacy_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds `--pseudonymise`, `--key-file` and `--keep` to `parser`."""
    parser.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace patient ids by codes, shift each patient's dates by a secret offset, "
        "sort rows by code, code arms, sites and readers, drop free text and name the study by "
        "a code (model/exports/privacy.py); needs --key-file",
    )
    parser.add_argument(
        "--key-file",
        metavar="KEY",
        type=Path,
        help="secret key of --pseudonymise: the same key gives the same codes and offsets; "
        "a missing file is created with a new random key (owner-only; a key file others may "
        "read is refused)",
    )
    parser.add_argument(
        "--keep",
        metavar="FIELD",
        action="append",
        default=[],
        help="with --pseudonymise, keep this field (histology, stage, detail, kind, modality, "
        "arm, site, reader or an x_ column), dates inside it moved or removed; repeatable",
    )


def study_to_write(store: Any, args: argparse.Namespace) -> StudyToWrite:
    """Returns the open study as the command writes it: pseudonymised when asked.

    Raises InputError when the options do not go together or the key cannot be used.
    """
    from model.errors import InputError

    data, settings = store.study_data(), store.settings()
    decisions = (store.overrides(), store.adjudications())
    # Callers that build their own arguments (the GUI, tests) may leave the options out.
    key_file, keep = getattr(args, "key_file", None), getattr(args, "keep", [])
    if not getattr(args, "pseudonymise", False):
        if key_file or keep:
            raise InputError("--key-file and --keep go with --pseudonymise")
        return StudyToWrite(data, settings, decisions, Path(args.db).stem)
    if key_file is None:
        raise InputError("--pseudonymise needs --key-file KEY (the secret of the codes)")
    return _pseudonymised(data, settings, decisions, store.identity() or "", key_file, keep)


def _pseudonymised(data, settings, decisions, identity: str, key_file, keep) -> StudyToWrite:
    from model.exports.privacy import (
        patient_shifts,
        pseudonymise,
        pseudonymise_decisions,
        pseudonymise_settings,
        read_key,
        study_code,
    )

    key, created = read_key(key_file)
    if created:
        print(f"created a new key in {key_file}: keep it private, and reuse it for the same codes")
    records = (*data.patients, *data.measurements, *data.scans, *data.events, *decisions[0],
               *decisions[1])  # fmt: skip
    shifts = patient_shifts(key, records)
    private = tuple(pseudonymise_decisions(d, key, shifts, keep) for d in decisions)
    return StudyToWrite(
        pseudonymise(data, key, keep, shifts),
        pseudonymise_settings(settings, key, keep),
        (private[0], private[1]),
        study_code(key, identity),
    )
