"""The PDF study report (issue #9): its pages read back with pypdf, and its text parts."""

import re
import unicodedata

import pypdf
import pytest

from gui.plots.report_figures import report_panels
from gui.reports.pdf_report import (
    CAPTIONS,
    median_text,
    p_text,
    rate_text,
    summary_section,
    title_page,
    write_pdf_report,
)
from model.analysis import analyse
from model.demo.cohort import demo_study
from model.domain import Criteria
from model.exports.report import study_summary
from model.settings import StudySettings

STUDY = "Sarcoma <pilot> & co"


@pytest.fixture(scope="module")
def analysis():
    return analyse(demo_study(14), StudySettings(criteria=Criteria.RECIST11, confirm=True))


@pytest.fixture(scope="module")
def pages(analysis, tmp_path_factory):
    """The report's pages as (text with single spaces, number of images)."""
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    written = write_pdf_report(analysis, study_summary(analysis), path, study=STUDY)
    assert written == path
    reader = pypdf.PdfReader(path)
    # NFKC undoes the font's ligatures ("fi").
    texts = (unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages)
    return [
        (re.sub(r"\s+", " ", t), len(p.images)) for t, p in zip(texts, reader.pages, strict=True)
    ]


def test_title_page_names_study_criteria_reader_and_date(pages):
    """Page 1: the study, its criteria and options, the reader, the date; no figure."""
    text, images = pages[0]
    assert STUDY in text
    assert "RECIST 1.1; CR/PR confirmed at 28 days or more" in text
    assert "single reader" in text
    assert re.search(r"Report date \d{4}-\d\d-\d\d", text)
    assert images == 0


def test_summary_page_has_each_arm_and_the_comparisons(pages, analysis):
    """Page 2: per arm n, ORR, DCR, median PFS and OS with CIs; then log-rank and HR."""
    text, _ = pages[1]
    assert text.startswith("Summary")
    for arm in analysis.arms:
        assert arm in text
    for words in ("ORR", "DCR", "Median PFS", "Median OS", "log-rank", "Hazard ratio"):
        assert words in text


def test_figures_follow_in_order_with_their_images(pages, analysis):
    """The figures (the forest plot only where the study has a categorical variable), in
    order, each an image on the page that carries its caption."""
    shown = len(report_panels(analysis))
    figure_pages = [i for i, (text, _) in enumerate(pages) if "Figure 1." in text or (
        re.search(r"Figure [2-6]\.", text) and "Appendix" not in text)]  # fmt: skip
    captions = " ".join(pages[i][0] for i in figure_pages)
    found = [int(n) for n in re.findall(r"Figure (\d)\.", captions)]
    assert found == list(range(1, shown + 1)) and shown in (len(CAPTIONS) - 1, len(CAPTIONS))
    # After the summary and the analyses' tables, on consecutive pages.
    assert figure_pages == list(range(figure_pages[0], figure_pages[0] + len(figure_pages)))
    # Every figure page carries an image (a tall figure's image may be counted on two pages).
    assert all(pages[i][1] for i in figure_pages)
    assert sum(pages[i][1] for i in figure_pages) >= shown


def test_appendix_lists_every_patient_after_the_figures(pages, analysis):
    """The remaining pages are the appendix: every patient with time points and responses."""
    first = next(i for i, (text, _) in enumerate(pages) if text.startswith("Appendix"))
    figures = next(i for i, (_, images) in enumerate(pages) if images)
    assert first == figures + sum(1 for text, images in pages[figures:first] if images)
    appendix = " ".join(text for text, _ in pages[first:])
    for assessment in analysis.assessments:
        assert assessment.patient_id in appendix
        assert f"best overall response {assessment.best_overall_response}" in appendix
    assert "baseline" in appendix
    assert len(pages) >= first + 1 >= 5


def test_pages_are_numbered(pages):
    """Qt prints the page number at the foot of each page."""
    assert all(text.rstrip().endswith(str(n)) for n, (text, _) in enumerate(pages, start=1))


def test_text_is_escaped(analysis):
    """Names are text, never markup."""
    html = title_page(analysis, "<b>x</b>")
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_one_arm_has_no_comparison(analysis):
    """With one arm there is nothing to compare; the table says so."""
    single = analysis.restricted_to([analysis.data.patients[0].patient_id])
    assert "One arm: no comparison" in summary_section(study_summary(single))


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        ({"rate": 0.4, "ci_low": 0.1216, "ci_high": 0.7376}, "40.0 (12.2-73.8)"),
        ({"rate": None, "ci_low": None, "ci_high": None}, "n/a"),
    ],
)
def test_rate_text(rate, text):
    """Rates and their CIs in % with one decimal."""
    assert rate_text(rate) == text


def test_median_not_reached_is_nr():
    """A median or bound not reached shows as NR."""
    assert median_text({"median": 7.94, "median_ci_low": 6.0, "median_ci_high": None}) == (
        "7.9 (6.0-NR)"
    )


@pytest.mark.parametrize(("p", "text"), [(0.0004, "< 0.001"), (0.04567, "0.0457"), (None, "n/a")])
def test_p_text(p, text):
    """p-values to three significant digits, small ones as < 0.001."""
    assert p_text(p) == text


def test_report_is_titled_with_the_study_name_and_set_in_liberation_sans(tmp_path, analysis):
    """Title: the study's name, not the report's file name; text in the shipped font
    (issue #15)."""
    path = write_pdf_report(analysis, study_summary(analysis), tmp_path / "report.pdf", study=STUDY)
    reader = pypdf.PdfReader(path)
    assert reader.metadata.title == f"{STUDY}: study report"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages[:2]
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("LiberationSans" in name for name in fonts)


def test_no_patient_heading_is_left_at_a_page_foot_apart_from_its_table(qapp, tmp_path):
    """Appendix: a patient's heading is printed on the page of its table's first row; a
    cohort of 60 has headings that Qt alone would strand (issue #15)."""
    from PySide6.QtGui import QPageSize, QPdfWriter

    from gui.reports.pdf_report import keep_headings_with_tables, report_document, stranded_headings

    cohort = analyse(demo_study(60), StudySettings())
    document = report_document(cohort, study_summary(cohort), [], STUDY)
    writer = QPdfWriter(str(tmp_path / "pages.pdf"))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    assert stranded_headings(document, writer)
    assert keep_headings_with_tables(document, writer) > 0
    assert stranded_headings(document, writer) == []


def test_summary_names_the_study_confidence_level_and_one_sided_bounds():
    """Issue 18, item 4: a phase 2 report's 90 % one-sided lower bounds."""
    from model.analysis import analyse
    from model.demo.cohort import demo_study
    from model.exports.report import study_summary
    from model.settings import StudySettings

    settings = StudySettings(confidence_level=0.9, one_sided=True)
    html = summary_section(study_summary(analyse(demo_study(30), settings)))
    assert "ORR, % (90% one-sided lower bound)" in html
    assert "Median PFS, months (90% CI)" in html and "\u2265" in html
