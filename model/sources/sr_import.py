"""A DICOM SR import against an open study: whose reports they are, the plan, the write.

The headless `import --format dicom-sr` and the GUI's File > Import measurements
from DICOM SR share these steps (issue 21): read the reports
(model/sources/dicom_sr.py), find each report's patient in the study (its
Patient ID, or the patient map of a pseudonymised study), plan the merge
(model/sources/sr_plan.py) and, once the reader confirms, write its edits in
one transaction.

A patient map is a CSV file with the columns `dicom_patient_id` and
`patient_id` (header first), or a JSON object {DICOM Patient ID: patient_id}.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from model.criteria.readings import patient_reader
from model.domain import Role
from model.errors import InputError, InputProblem
from model.sources.dicom_sr import SrReport
from model.sources.sr_plan import PatientState, SrPlan, plan_merge
from model.store.study import Store

#: Columns of a patient map in CSV.
MAP_COLUMNS = ("dicom_patient_id", "patient_id")


def read_patient_map(path: Path) -> dict[str, str]:
    """Returns {DICOM Patient ID: study patient_id} from a CSV or JSON file; InputError naming
    the file, line and value of every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(InputProblem(f"cannot be read ({error})", str(path))) from None
    if path.suffix.lower() == ".json":
        return _json_map(text, str(path))
    return _csv_map(text, str(path))


def _json_map(text: str, file: str) -> dict[str, str]:
    try:
        found = json.loads(text)
    except json.JSONDecodeError as error:
        problem = InputProblem(f"is not valid JSON ({error.msg})", file, error.lineno)
        raise InputError(problem) from None
    if not isinstance(found, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in found.items()
    ):
        message = "expected one JSON object mapping each DICOM Patient ID to a patient_id"
        raise InputError(InputProblem(message, file))
    return {k.strip(): v.strip() for k, v in found.items()}


def _csv_map(text: str, file: str) -> dict[str, str]:
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if not set(MAP_COLUMNS) <= set(header):
        message = f"expected a header row with the columns {', '.join(MAP_COLUMNS)}"
        raise InputError(InputProblem(message, file, 1))
    at = [header.index(name) for name in MAP_COLUMNS]
    mapping: dict[str, str] = {}
    problems = []
    for line, row in enumerate(rows[1:], 2):
        dicom_id, patient_id = (row[i].strip() if i < len(row) else "" for i in at)
        if not dicom_id or not patient_id:
            problems.append(InputProblem("both columns need a value", file, line))
        elif mapping.setdefault(dicom_id, patient_id) != patient_id:
            message = "maps this DICOM Patient ID a second time, to another patient_id"
            problems.append(InputProblem(message, file, line, "dicom_patient_id", dicom_id))
    if problems:
        raise InputError(problems)
    return mapping


def patients_of(
    store: Store, reports: Sequence[SrReport], patient_map: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Returns each report's study patient_id by file; InputError naming each report whose
    patient is not in the study (nor in the patient map)."""
    known = set(store.patient_ids())
    mapping = patient_map or {}
    found, problems = {}, []
    for report in reports:
        patient_id = mapping.get(report.patient_id, report.patient_id)
        if patient_id in known:
            found[report.file] = patient_id
            continue
        if report.patient_id in mapping:
            message = f"the patient map gives {patient_id!r}, which is not a patient of the study"
        else:
            message = (
                "this DICOM Patient ID is not a patient_id of the study; for a pseudonymised "
                "study, give a patient map (dicom_patient_id,patient_id)"
            )
        problems.append(InputProblem(message, report.file, None, "Patient ID", report.patient_id))
    if problems:
        raise InputError(problems)
    return found


def plan_from_store(
    store: Store,
    reports: Sequence[SrReport],
    patient_map: Mapping[str, str] | None = None,
    roles: Mapping[tuple[str, str], Role] | None = None,
    reader: str | None = None,
    names: Mapping[tuple[str, str], str] | None = None,
) -> SrPlan:
    """Returns the merge plan of `reports` into the study of `store`.

    The rows written belong to `reader`; by default to the reader whose rows of
    each patient count (model/criteria/readings.py). `roles` and `names` are the
    reader's choices for lesions new to the study (model/sources/sr_plan.py).
    InputError on a report whose patient is not in the study.
    """
    patient_of = patients_of(store, reports, patient_map)
    chosen = store.settings().reader if reader is None else reader
    states = {}
    for patient_id in dict.fromkeys(patient_of.values()):
        rows = store.patient_data(patient_id).measurements
        states[patient_id] = PatientState(store.snapshot(patient_id), patient_reader(rows, chosen))
    return plan_merge(reports, states, patient_of, roles, names)


def write_plan(store: Store, plan: SrPlan) -> int:
    """Returns how many edits were written, after writing the plan's edits in one transaction.

    InputError, writing nothing, when the plan has problems or the store refuses an edit.
    """
    if plan.problems:
        raise InputError([InputProblem(problem) for problem in plan.problems])
    store.apply_all(plan.edits)
    return len(plan.edits)


def undo_label(plan: SrPlan) -> str:
    """Returns the undo step's name, naming the reports by SOP Instance UID."""
    uids = ", ".join(report.sop_instance_uid for report in plan.reports)
    return f"Import measurements from DICOM SR ({uids})"
