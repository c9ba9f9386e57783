"""The options of `import` for data that lives elsewhere (issue 21): DICOM SR measurement
reports merged into a study after a preview, and REDCap exports read through a mapping.

`import --format dicom-sr PATH --db STUDY` prints the preview (which rows are new, which
update a value, which lesions the reports leave out, the role proposed for each lesion
new to the study, and why) and writes nothing; with `--yes` it writes the changes in one
transaction. `--role PATIENT:LESION=ROLE` chooses another role for a lesion new to the
study, and `--match PATIENT:LESION=NAME` matches it to one of the study's lesions (or
names it), as the GUI's preview lets the reader do.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from model.errors import InputError

#: How --role and --match are written: PATIENT:LESION=ROLE or PATIENT:LESION=NAME.
_CHOICE = re.compile(r"(?P<patient>[^:]+):(?P<lesion>[^=]+)=(?P<value>.+)")
_WHAT = {"--role": "ROLE", "--match": "NAME"}
#: Options that go with one format only, by their names in `args`.
_SR_OPTIONS = {"patient_map": "--patient-map", "roles": "--role", "matches": "--match",
               "reader": "--reader", "yes": "--yes"}  # fmt: skip
_REDCAP_OPTIONS = {"mapping": "--mapping", "dictionary": "--dictionary",
                   "interchange_out": "--interchange-out", "api_url": "--api-url"}  # fmt: skip


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the options of `import --format dicom-sr` and `--format redcap`."""
    parser.add_argument(
        "--patient-map",
        metavar="FILE",
        type=Path,
        help="dicom-sr: CSV (dicom_patient_id,patient_id) or JSON mapping the reports' DICOM "
        "Patient IDs to the study's patient_ids, for a pseudonymised study",
    )
    parser.add_argument(
        "--role",
        dest="roles",
        metavar="PATIENT:LESION=ROLE",
        action="append",
        default=[],
        help="dicom-sr: give a lesion new to the study (as the preview names it) this role "
        "(target, non-target or new) instead of the one proposed; repeatable",
    )
    parser.add_argument(
        "--match",
        dest="matches",
        metavar="PATIENT:LESION=NAME",
        action="append",
        default=[],
        help="dicom-sr: name a lesion new to the study (as the preview names it): the "
        "lesion_id of one of the study's lesions matches it to that lesion (OHIF reports "
        "without labels), another name becomes its lesion_id; repeatable",
    )
    parser.add_argument(
        "--reader",
        metavar="NAME",
        help="dicom-sr: whose read the measurements are (default: the reader of each "
        "patient's rows, as the study counts them)",
    )
    parser.add_argument(
        "--yes",
        action="store_true",
        help="dicom-sr: write the changes the preview lists (without it nothing is written)",
    )
    parser.add_argument(
        "--mapping",
        metavar="FILE",
        type=Path,
        help="redcap: the mapping (JSON or YAML) from REDCap fields to the interchange columns; "
        "implies --format redcap",
    )
    parser.add_argument(
        "--dictionary",
        metavar="FILE",
        type=Path,
        help="redcap: the project's data dictionary (CSV), when the mapping names none",
    )
    parser.add_argument(
        "--api-url",
        metavar="URL",
        help="redcap: pull the records and the data dictionary over this REDCap API "
        "(https://.../api/, with PyCap) into the folder PATH, then import them; the token "
        "is read from NADIR_REDCAP_TOKEN or asked for, and never stored",
    )
    parser.add_argument(
        "--interchange-out",
        metavar="FOLDER",
        type=Path,
        help="redcap: also keep the interchange files made from the export in FOLDER "
        "(adverse_events.csv included, which the ae command reads)",
    )


def chosen_format(args: argparse.Namespace) -> str:
    """Returns the format of `args.path`: --format, redcap with --mapping, else as detected;
    InputError for an option of another format."""
    from model.importing import DICOM_SR, REDCAP, detect_format

    chosen = args.format or (REDCAP if args.mapping is not None else detect_format(args.path))
    for options, owner in ((_SR_OPTIONS, DICOM_SR), (_REDCAP_OPTIONS, REDCAP)):
        used = [name for name in options if getattr(args, name)]
        if used and chosen != owner:
            given = " and ".join(options[name] for name in used)
            raise InputError(f"{given} go with --format {owner}, not {chosen}")
    return chosen


def read_redcap_export(args: argparse.Namespace):
    """Returns the REDCap export at `args.path` read through `args.mapping` (RedcapImport);
    InputError naming the export's line, record, instrument and field of every problem."""
    from model.sources.redcap import read_redcap

    if args.mapping is None:
        raise InputError("--format redcap needs --mapping FILE (the project's mapping)")
    export, dictionary = args.path, args.dictionary
    if args.api_url:
        from model.sources.redcap_api import pull_project

        export, pulled = pull_project(args.api_url, _token(), args.path)
        dictionary = dictionary or pulled
    return read_redcap(export, args.mapping, dictionary, args.interchange_out)


def _token() -> str:
    """Returns the REDCap API token: NADIR_REDCAP_TOKEN, else typed at the terminal (never an
    argument, which would stay in the shell's history)."""
    import getpass
    import sys

    from model.sources.redcap_api import TOKEN_VARIABLE, token_from_environment

    token = token_from_environment()
    if token is None and sys.stdin is not None and sys.stdin.isatty():
        token = getpass.getpass("REDCap API token: ")
    if not token:
        raise InputError(f"--api-url needs the project's API token: set {TOKEN_VARIABLE}")
    return token


def merge_reports(args: argparse.Namespace) -> int:
    """Prints the preview of merging the DICOM SR reports at `args.path` into the study, and
    writes it when `args.yes`; returns the exit status 0. InputError on bad input."""
    from model.sources.dicom_sr import read_reports
    from model.sources.sr_import import plan_from_store, read_patient_map, undo_label, write_plan
    from model.store.study import Store

    if not args.db.exists():
        raise InputError(f"{args.db}: no such study file; DICOM SR reports merge into a study")
    reports = read_reports([args.path])
    patient_map = read_patient_map(args.patient_map) if args.patient_map else None
    with Store.open(args.db, create=False, read_only=not args.yes) as store:
        plan = plan_from_store(store, reports, patient_map, reader=args.reader)
        if args.roles or args.matches:
            roles = _choices("--role", args.roles, plan)
            names = _choices("--match", args.matches, plan)
            plan = plan_from_store(store, reports, patient_map, roles, args.reader, names)
        print(preview_text(plan))
        if not plan.edits and not plan.problems:
            print("nothing to write: the study holds every value of the reports already")
            return 0
        if not args.yes:
            print("nothing written: run again with --yes to write these changes")
            return 0
        written = write_plan(store, plan)
    print(f"{args.db}: wrote {written} change(s) in one step: {undo_label(plan)}")
    return 0


def _choices(option: str, given: list[str], plan) -> dict:
    """Returns {(patient_id, lesion key): value} for each --role or --match (ROLE or NAME);
    InputError naming each that names no lesion new to the study, or a bad role."""
    from model.domain import Role

    chosen, problems = {}, []
    for text in given:
        match = _CHOICE.fullmatch(text.strip())
        value = match["value"].strip() if match else ""
        if match is None or option == "--role" and value.lower() not in tuple(Role):
            expected = "ROLE one of target, non-target, new" if option == "--role" else "a NAME"
            problems.append(f"{option} {text}: expected PATIENT:LESION={_WHAT[option]} with "
                            f"{expected}")  # fmt: skip
            continue
        pid, name = match["patient"].strip(), match["lesion"].strip().casefold()
        found = [x for x in plan.lesions if x.patient_id == pid and name in
                 (x.lesion_id.casefold(), x.label.casefold())]  # fmt: skip
        if not found or not found[0].is_new:
            what = "is in the study already" if found else "is not listed"
            problems.append(f"{option} {text}: {pid} {match['lesion'].strip()} {what} "
                            "(the preview lists the lesions new to the study)")  # fmt: skip
            continue
        chosen[(pid, found[0].key)] = Role(value.lower()) if option == "--role" else value
    if problems:
        raise InputError("\n".join(problems))
    return chosen


def preview_text(plan) -> str:
    """Returns the plan as the command prints it: one line per cell, the lesions new to the
    study with their proposed roles and reasons, notes, problems and the summary."""
    lines = ["patient  scan        lesion    role        size     action         before"]
    for row in plan.rows:
        size = "" if row.size_mm is None else f"{row.size_mm:g} mm"
        lines.append(
            f"{row.patient_id:<8} {row.scan_date}  {row.lesion_id:<9} {row.role:<11} "
            f"{size:<8} {row.action:<14} {row.before or '-'}  ({row.report})"
        )
    new = [x for x in plan.lesions if x.is_new]
    if new:
        lines.append(
            "lesions new to the study (roles proposed; --role to choose another, "
            "--match to name a lesion of the study it is):"
        )
        lines += [f"  {x.patient_id}:{x.lesion_id} {x.role}: {x.why}" for x in new]
    lines += [f"note: {note}" for note in plan.notes]
    lines += [f"problem: {problem}" for problem in plan.problems]
    lines.append(plan.summary())
    return "\n".join(lines)
