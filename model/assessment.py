"""The one entry point to response assessment: a patient's or a study's time points,
best overall response and warnings, by the criteria the settings name.

The GUI, the store, the reports and the `assess` command all call these, so a
rule has one home (shared/design.md, "Layers").
"""

from __future__ import annotations

from model.domain import (
    AssessmentSettings,
    Criteria,
    PatientAssessment,
    PatientReadings,
    StudyData,
)
from model.irecist import assess_irecist
from model.mrecist import MRECIST
from model.readings import readings_by_patient
from model.recist import RECIST11
from model.timepoints import assess_with


def assess_patient(readings: PatientReadings, settings: AssessmentSettings) -> PatientAssessment:
    """The assessment of one patient under `settings.criteria` (interchange spec).

    Raises InputError when the readings break a rule of the criteria (an
    mRECIST target without viable size at baseline).
    """
    if settings.criteria is Criteria.MRECIST:
        return assess_with(MRECIST, readings, settings)
    if settings.criteria is Criteria.IRECIST:
        return assess_irecist(readings, settings)
    return assess_with(RECIST11, readings, settings)


def assess_study(
    data: StudyData, settings: AssessmentSettings, *, reader: str | None = None
) -> list[PatientAssessment]:
    """The assessment of every listed patient, in the interchange spec's patient order.

    Raises InputError naming file, line, column and value for a broken
    baseline, reader or repeated-row rule (interchange spec, "Readers").
    """
    readings = readings_by_patient(
        data,
        reader=reader,
        require_viable=settings.criteria is Criteria.MRECIST,
        exclude_irradiated=settings.exclude_irradiated,
    )
    return [assess_patient(r, settings) for r in readings]
