"""`python main.py assess MEASUREMENTS ... --json`: every patient's time-point responses and
best overall response, as the interchange spec's JSON document ("Headless commands")."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from model.collector import collector_paused
from model.commands.text_output import r_number
from model.criteria.assessment import assess_study
from model.domain import (
    CRITERIA_NAMES,
    AssessmentSettings,
    Criteria,
    PatientAssessment,
    TimepointResponse,
)
from model.interchange.study_files import read_files

HELP = "Judge tumour response (RECIST 1.1, iRECIST or mRECIST) of every patient."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Adds the arguments of `assess` (interchange spec, "Headless commands")."""
    parser.add_argument("measurements", metavar="MEASUREMENTS", type=Path, help="measurements.csv")
    parser.add_argument("--patients", metavar="PATIENTS", type=Path, help="patients.csv")
    parser.add_argument("--scans", metavar="SCANS", type=Path, help="scans.csv")
    parser.add_argument(
        "--criteria",
        choices=[c.value for c in Criteria],
        default=Criteria.RECIST11.value,
        help="response criteria (default: recist1.1)",
    )
    parser.add_argument(
        "--confirm", action="store_true", help="a CR or PR counts only when confirmed (28 days)"
    )
    parser.add_argument(
        "--min-sd-days",
        metavar="N",
        type=_days,
        default=0,
        help="days after the reference date before SD counts (default: 0)",
    )
    parser.add_argument(
        "--exclude-irradiated", action="store_true", help="leave out locally treated lesions"
    )
    parser.add_argument("--reader", metavar="NAME", type=_reader, help="only this reader's rows")
    parser.add_argument("--json", action="store_true", help="print the JSON document")


@collector_paused()
def run(args: argparse.Namespace) -> int:
    """Prints the assessment of the study in the given files; returns the exit status 0.

    Raises InputError (exit status 2, nothing on stdout) on any bad input. The collector
    stays paused while the document is written too: its words are made then (issue 19).
    """
    data = read_files(
        patients=args.patients,
        measurements=args.measurements,
        scans=args.scans,
        measurement_columns=True,
    )
    settings = AssessmentSettings(
        criteria=Criteria(args.criteria),
        confirm=args.confirm,
        min_sd_days=args.min_sd_days,
        exclude_irradiated=args.exclude_irradiated,
    )
    assessments = assess_study(data, settings, reader=args.reader)
    if args.json:
        write_document(settings.criteria, assessments, sys.stdout)
    else:
        sys.stdout.write(method_line(settings, args.reader) + assessment_text(assessments))
    return 0


def assessment_document(criteria: Criteria, assessments: list[PatientAssessment]) -> dict[str, Any]:
    """The interchange spec's JSON document of `assess`, with reasons and warnings added."""
    return {"criteria": criteria.value, "patients": [_patient(a) for a in assessments]}


def write_document(criteria: Criteria, assessments: list[PatientAssessment], out: TextIO) -> None:
    """Write `assessment_document` as JSON text and a newline to `out`, a patient at a time.

    The text is json.dumps' of the whole document, byte for byte, but neither the
    document nor its text is held whole (70 MB at 20,000 patients), and each patient is
    encoded by the C encoder: json.dump to a stream takes the pure-Python one and
    writes each token on its own (5 million writes at 20,000 patients, issue 19).
    """
    out.write(f'{{"criteria": {json.dumps(criteria.value)}, "patients": [')
    for index, assessment in enumerate(assessments):
        out.write((", " if index else "") + json.dumps(_patient(assessment)))
    out.write("]}\n")


def _patient(a: PatientAssessment) -> dict[str, Any]:
    return {
        "patient_id": a.patient_id,
        "timepoints": [_timepoint(t) for t in a.timepoints],
        "best_overall_response": a.best_overall_response,
        "best_pct_change": a.best_pct_change,
        "warnings": list(a.warnings),
    }


def method_line(settings: AssessmentSettings, reader: str | None) -> str:
    """The line naming how the responses were judged: criteria, confirmation, SD duration."""
    confirm = "confirmed 28 days or more later" if settings.confirm else "not confirmed"
    parts = [
        CRITERIA_NAMES[settings.criteria],
        f"CR and PR {confirm}",
        f"SD counts from day {settings.min_sd_days}",
        "irradiated lesions left out"
        if settings.exclude_irradiated
        else "irradiated lesions counted",
    ]
    if reader:
        parts.append(f"reader {reader}")
    return "; ".join(parts) + "\n"


def assessment_text(assessments: list[PatientAssessment]) -> str:
    """One line per patient and per time point, for reading in a terminal; the best change
    from baseline rounded as R prints it (text_output.py)."""
    lines = []
    for a in assessments:
        change = (
            ""
            if a.best_pct_change is None
            else f", best change from baseline {r_number(a.best_pct_change)} %"
        )
        lines.append(f"{a.patient_id}: best {a.best_overall_response}{change}")
        lines += [f"  {t.scan_date}  {t.reason}" for t in a.timepoints]
        lines += [f"  warning: {w}" for w in a.warnings]
    return "".join(line + "\n" for line in lines)


def _timepoint(t: TimepointResponse) -> dict[str, Any]:
    return {
        "scan_date": t.scan_date.isoformat(),
        "target": t.target,
        "non_target": t.non_target,
        "new_lesions": t.new_lesions,
        "overall": t.overall,
        "sum_mm": t.sum_mm,
        "change_from_baseline_pct": t.change_from_baseline_pct,
        "change_from_nadir_pct": t.change_from_nadir_pct,
        "reason": t.reason,
    }


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of days, not {text!r}") from None
    if days < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more days, not {days}")
    return days


def _reader(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a reader's name")
    return text.strip()
