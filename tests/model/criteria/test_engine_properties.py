"""Properties of the response engine over generated patients (interchange spec, "How a time
point is judged"; RECIST 1.1, section 4.3.1; Lencioni and Llovet 2010 for mRECIST)."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from model.criteria.assessment import assess_study
from model.domain import AssessmentSettings, Criteria, MeasurementRecord, StudyData
from tests.model.engine_builders import row

SETTINGS = settings(max_examples=60, deadline=None)
CRITERIA = list(Criteria)

diameters = st.integers(250, 900).map(lambda tenths: tenths / 10)


@st.composite
def patient_rows(draw, patient="P1", statuses=("absent", "not-evaluated", "too-small")):
    """Rows of one patient: baseline targets of 25-90 mm, then random findings per scan.

    T1 is never absent, so that a non-null nadir is at least 25 mm.
    """
    days = [0] + sorted(draw(st.sets(st.integers(14, 400), min_size=1, max_size=5)))
    targets = [f"T{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    non_targets = [f"NT{i}" for i in range(1, draw(st.integers(0, 2)) + 1)]
    news = [f"N{i}" for i in range(1, draw(st.integers(0, 2)) + 1)]
    rows = []
    for lid in targets:
        size = draw(diameters)
        rows.append(row(0, lid, size, viable=size, patient=patient))
    rows += [row(0, lid, patient=patient) for lid in non_targets]
    target_finding = st.one_of(diameters, st.sampled_from((*statuses, None)))
    for n in days[1:]:
        for lid in targets:
            finding = draw(target_finding)
            if lid == "T1" and finding == "absent":
                finding = 25.0
            if finding is not None:
                viable = finding if isinstance(finding, float) else None
                rows.append(row(n, lid, finding, viable=viable, patient=patient))
        for lid in non_targets:
            status = draw(st.sampled_from(("present", "absent", "progression", "increased", None)))
            if status:
                rows.append(row(n, lid, status, patient=patient))
        for lid in news:
            status = draw(st.sampled_from(("present", "equivocal", "absent", "increased", None)))
            if status:
                rows.append(row(n, lid, status, patient=patient))
    return rows


def factors(low: float, high: float) -> st.SearchStrategy[Decimal]:
    """Scale factors with two decimals: sizes times such a factor are exact decimals, as
    measurements are, so that a change exactly at a threshold (+20 %) stays exactly there.
    A binary float factor would move it by a rounding error (25 to 30 mm scaled by
    1.5700822826376957 is +19.99999999999999 %)."""
    return st.integers(round(low * 100), round(high * 100)).map(lambda i: Decimal(i) / 100)


def times(size: float, k: Decimal) -> float:
    """`size` mm times `k`, exactly, as the float whose shortest text is the exact product."""
    return float(Decimal(str(size)) * k)


def assessments(rows: list[MeasurementRecord], criteria: Criteria) -> dict:
    data = StudyData(measurements=tuple(rows))
    return {a.patient_id: a for a in assess_study(data, AssessmentSettings(criteria=criteria))}


def categories(assessment) -> list:
    """Every category of an assessment: per time point and the best overall response."""
    points = [(t.target, t.non_target, t.new_lesions, t.overall) for t in assessment.timepoints]
    return [*points, assessment.best_overall_response]


@SETTINGS
@given(
    st.lists(st.sampled_from(["P1", "P2", "P3"]), min_size=1, max_size=3, unique=True).flatmap(
        lambda ids: st.tuples(*(patient_rows(p) for p in ids))
    ),
    st.randoms(use_true_random=False),
    st.sampled_from(CRITERIA),
)
def test_answer_does_not_depend_on_the_order_of_rows(patients, random, criteria):
    """Interchange spec: each row is a finding at a scan; the order of rows carries no
    meaning beyond the order in which patients are listed."""
    rows = [r for rows in patients for r in rows]
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert assessments(shuffled, criteria) == assessments(rows, criteria)


@SETTINGS
@given(patient_rows(statuses=("absent", "not-evaluated")), factors(1.0, 4.0))
def test_recist_categories_keep_under_scaling_when_the_nadir_stays_25_mm_or_more(rows, k):
    """RECIST 1.1, section 4.3.1: PR and PD are relative to the baseline and nadir sums;
    with every non-null nadir at 25 mm or more the 5 mm rule is implied by +20 %, so
    scaling all diameters by k >= 1 (no nodes, no too-small 5 mm) keeps every category."""
    scaled = [replace(r, diameter_mm=times(r.diameter_mm, k)) if r.diameter_mm else r for r in rows]
    before = assessments(rows, Criteria.RECIST11)["P1"]
    after = assessments(scaled, Criteria.RECIST11)["P1"]
    assert categories(after) == categories(before)


@SETTINGS
@given(patient_rows(statuses=("absent", "not-evaluated")), factors(0.01, 100.0))
def test_mrecist_categories_keep_under_any_scaling(rows, k):
    """Lencioni and Llovet 2010; interchange spec, mRECIST: without the 5 mm rule every
    threshold is a ratio, so scaling every viable size by any k > 0 keeps every category
    (no nodes, no too-small 5 mm)."""
    scaled = [replace(r, viable_mm=times(r.viable_mm, k)) if r.viable_mm else r for r in rows]
    before = assessments(rows, Criteria.MRECIST)["P1"]
    after = assessments(scaled, Criteria.MRECIST)["P1"]
    assert categories(after) == categories(before)
