"""The study report as one PDF: title page, summary table, the plots, and a per-patient appendix.

Issue #9. The document is HTML laid out by `QTextDocument` and printed by
`QPdfWriter` (A4, page numbers at the foot), so no PDF library is needed. The
plots are the cohort page's panels from `gui/plots`, exported to PNG at the
page's text width by `gui.plots.export.export_plot` and embedded as images.

    write_pdf_report(analysis, study_summary(analysis), Path("report.pdf"))

Qt runs offscreen when no application exists yet, so `main.py report --pdf`
works without a display.
"""

from __future__ import annotations

import tempfile
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSizeF, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPageSize,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from gui.plots.export import export_plot
from gui.plots.fonts import FAMILY
from gui.plots.report_figures import offscreen_application, report_panels
from model.analysis import StudyAnalysis
from model.domain import CRITERIA_NAMES
from model.exports.manuscript.formatting import ci_name

#: Width of the figures on the page in mm: A4 less the 2 cm margins Qt prints with.
FIGURE_WIDTH_MM = 170.0
#: Tallest figure in mm: A4's text height less room for the caption and the page number.
FIGURE_MAX_HEIGHT_MM = 215.0
#: Resolution of the embedded figures.
FIGURE_DPI = 200
#: Width of a figure in the document's layout pixels (96 per inch).
_FIGURE_PX = round(FIGURE_WIDTH_MM / 25.4 * 96)
_FIGURE_MAX_PX = round(FIGURE_MAX_HEIGHT_MM / 25.4 * 96)
_PAGE_BREAK = ' style="page-break-before: always"'

_STYLE = """
h1 { font-size: 20pt; } h2 { font-size: 14pt; } h3 { font-size: 10pt; margin-top: 10px; }
table { border-collapse: collapse; } th { background-color: #dfe5f0; text-align: left; }
td, th { padding: 2px 4px; } .small { font-size: 7pt; } .note { color: #444444; }
"""


#: Captions of the report's figures, by the name `report_panels` gives each panel.
CAPTIONS = {
    "waterfall": "Best percentage change of the target sum from baseline, by best overall response",
    "spider": "Percentage change of the target sum from baseline over time",
    "swimmer": "Time on study with responses and events",
    "km_pfs": "Progression-free survival (Kaplan-Meier, 95 % confidence bands)",
    "km_os": "Overall survival (Kaplan-Meier, 95 % confidence bands)",
    "forest": "Hazard ratios of the arms within subgroups (Cox, Efron ties; Wald 95 % CI)",
}


def write_pdf_report(
    analysis: StudyAnalysis, summary: dict[str, Any], out_path: Path, *, study: str
) -> Path:
    """Return `out_path` after writing the study report there as a PDF.

    `summary` is `model.exports.report.study_summary(analysis)`; `study` is the
    study's name, the title of the report and of its first page (never the
    report's own file name, which is "report.pdf" for every study).
    """
    offscreen_application()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        figures = render_figures(analysis, Path(folder), summary)
        document = report_document(analysis, summary, figures, study)
        writer = QPdfWriter(str(out_path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setTitle(f"{study}: study report")
        writer.setCreator("Nadir")
        keep_headings_with_tables(document, writer)
        document.print_(writer)
    return out_path


def keep_headings_with_tables(document: QTextDocument, writer: QPdfWriter) -> int:
    """Return how many headings were moved to a new page so that none ends a page apart from
    the first row of its table.

    Qt's rich text knows no `page-break-after: avoid`, so the document is laid
    out as `QTextDocument.print_` will lay it out (the writer's page, 2 cm
    margins), and a heading whose table starts on a later page gets a page
    break before it, one heading at a time, since each break moves the rest.
    """
    pages = _print_layout(document, writer)
    moved = 0
    for number in _heading_numbers(pages):
        if _stranded(pages, number):
            for doc in (document, pages):
                _break_before(doc.findBlockByNumber(number))
            # Qt lays the rest out again only in part, and stale positions strand headings
            # anew in the printed copy: all that follows is laid out again.
            start = pages.findBlockByNumber(number).position()
            pages.markContentsDirty(start, pages.characterCount() - start)
            moved += 1
    return moved


def stranded_headings(document: QTextDocument, writer: QPdfWriter) -> list[str]:
    """Return the texts of the headings printed on another page than their table's first row."""
    pages = _print_layout(document, writer)
    return [
        pages.findBlockByNumber(n).text() for n in _heading_numbers(pages) if _stranded(pages, n)
    ]


def _print_layout(document: QTextDocument, writer: QPdfWriter) -> QTextDocument:
    """A copy of `document` paginated as `QTextDocument.print_` paginates it for `writer`."""
    pages = document.clone()
    pages.documentLayout().setPaintDevice(writer)
    root = pages.rootFrame().frameFormat()
    root.setMargin(int(2 / 2.54 * 96))  # print_'s 2 cm, in the 96-dpi units it scales
    pages.rootFrame().setFrameFormat(root)
    pages.setPageSize(QSizeF(writer.width(), writer.height()))
    return pages


def _heading_numbers(document: QTextDocument) -> list[int]:
    block, numbers = document.begin(), []
    while block.isValid():
        if block.blockFormat().headingLevel() == 3:
            numbers.append(block.blockNumber())
        block = block.next()
    return numbers


def _stranded(pages: QTextDocument, number: int) -> bool:
    """True when heading block `number` is on another page than its table's first data row."""
    heading = pages.findBlockByNumber(number)
    block = heading.next()
    for _ in range(3):  # the heading, a line about the patient, then the table
        table = QTextCursor(block).currentTable()
        if table is not None:
            row = min(1, table.rows() - 1)  # row 0 is the header, repeated on each page
            first = table.cellAt(row, 0).firstCursorPosition().block()
            return _page(pages, first) != _page(pages, heading)
        block = block.next()
    return False


def _page(pages: QTextDocument, block: QTextBlock) -> int:
    top = pages.documentLayout().blockBoundingRect(block).bottom()
    return int(top // pages.pageSize().height())


def _break_before(block: QTextBlock) -> None:
    cursor = QTextCursor(block)
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    cursor.setBlockFormat(fmt)


def render_figures(
    analysis: StudyAnalysis, folder: Path, summary: dict[str, Any] | None = None
) -> list[tuple[str, QImage]]:
    """Caption and image of each report figure, drawn by `report_panels` as PNG in `folder`.

    Each figure keeps its print size (at most a page, gui/plots/report_figures.py)
    so that its text prints at the size it was laid out for.
    """
    figures = []
    for name, panel in report_panels(analysis, summary).items():
        path = export_plot(panel, folder / f"{name}.png", dpi=FIGURE_DPI)
        caption = CAPTIONS[name]
        if name == "swimmer":
            caption += f" ({panel.data.caption()})"
        figures.append((caption, QImage(str(path))))
    return figures


def report_document(
    analysis: StudyAnalysis,
    summary: dict[str, Any],
    figures: list[tuple[str, QImage]],
    study: str,
) -> QTextDocument:
    """The report as a text document, the figures attached as image resources."""
    document = QTextDocument()
    document.setDefaultFont(QFont(FAMILY, 9))
    document.setDefaultStyleSheet(_STYLE)
    for index, (_, image) in enumerate(figures):
        document.addResource(QTextDocument.ResourceType.ImageResource, _figure_url(index), image)
    parts = [
        title_page(analysis, study),
        summary_section(summary),
        analyses_section(summary),
        f"<h2{_PAGE_BREAK}>Figures</h2>",
        *(_figure_html(i, caption, image) for i, (caption, image) in enumerate(figures)),
        appendix(analysis),
    ]
    document.setHtml("".join(parts))
    return document


def title_page(analysis: StudyAnalysis, study: str, today: date | None = None) -> str:
    """HTML of the title page: study, criteria and options, date, readers, patients."""
    s = analysis.settings
    options = [CRITERIA_NAMES[s.criteria]]
    options += ["CR/PR confirmed at 28 days or more"] if s.confirm else []
    options += [f"minimum SD duration {s.min_sd_days} days"] if s.min_sd_days else []
    options += ["locally treated lesions left out"] if s.exclude_irradiated else []
    readers = sorted({m.reader for m in analysis.data.measurements} - {""})
    reader = s.reader or (", ".join(readers) if readers else "single reader")
    rows = [
        ("Response criteria", "; ".join(options)),
        ("Reader(s)", reader),
        ("Patients", f"{len(analysis.data.patients)} in {len(analysis.arms)} arm(s): "
                     + ", ".join(analysis.arms)),
        ("Report date", (today or date.today()).isoformat()),
    ]  # fmt: skip
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    return (
        f"<h1>{escape(study)}</h1><p>Tumour response and survival: study report</p>"
        f'<table border="0" cellspacing="0" cellpadding="4">{body}</table>'
        '<p class="note">Written by Nadir. Times are in months of 30.4375 days.</p>'
    )


def summary_section(summary: dict[str, Any]) -> str:
    """HTML of the summary: per arm n, ORR, DCR, median PFS and OS; then the comparisons."""
    study = summary["study"]
    level, one_sided = study.get("confidence_level", 0.95), study.get("one_sided", False)
    rate_ci, ci = ci_name(level, one_sided), ci_name(level)
    head = ("Arm", "n", f"ORR, % ({rate_ci})", f"DCR, % ({rate_ci})",
            f"Median PFS, months ({ci})", f"Median OS, months ({ci})")  # fmt: skip
    rows = [
        (
            arm["arm"],
            str(arm["n"]),
            rate_text(arm["orr"], one_sided),
            rate_text(arm["dcr"], one_sided),
            median_text(arm["pfs"]),
            median_text(arm["os"]),
        )  # fmt: skip
        for arm in summary["arms"]
    ]
    html = f"<h2{_PAGE_BREAK}>Summary</h2>" + _table(head, rows, widths=(21, 7, 18, 18, 18, 18))
    html += "<h3>Between arms</h3>" + _table(*_comparison_rows(summary["comparisons"]))
    follow = summary["median_follow_up_months"]
    html += (
        f'<p class="note">Median follow-up (reverse Kaplan-Meier): '
        f"{escape(median_text(_as_km(follow)))} months. ORR: complete or partial response; "
        "DCR: complete or partial response or stable disease (non-CR/non-PD included). "
        "CIs of rates are exact (Clopper-Pearson); medians' CIs from the log(-log) band; "
        "hazard ratios from Cox models against the first arm.</p>"
    )
    return html


def _as_km(follow: dict[str, Any]) -> dict[str, Any]:
    return {"median": follow["median"], "median_ci_low": follow["ci_low"],
            "median_ci_high": follow["ci_high"]}  # fmt: skip


def _comparison_rows(comparisons: dict[str, Any]) -> tuple[tuple[str, ...], list[tuple]]:
    head = ("Endpoint", "Test", "p", "Hazard ratio (95 % CI)", "HR p")
    rows = []
    for name in ("orr", "dcr"):
        c = comparisons[name]
        if c is not None:
            rows.append((name.upper(), c["test"], p_text(c["p"]), "", ""))
    for name in ("pfs", "os"):
        c = comparisons[name]
        if c is None:
            continue
        logrank = c["logrank"]
        for i, hr in enumerate(c["hazard_ratios"] or [None]):
            first = i == 0
            ratio = "" if hr is None else f"{hr['arm']} vs {hr['reference']}: {hr_text(hr)}"
            rows.append((name.upper() if first else "", "log-rank" if first else "",
                         p_text(logrank["p"]) if first else "", ratio,
                         "" if hr is None else p_text(hr["p"])))  # fmt: skip
    if not rows:
        rows.append(("One arm: no comparison", "", "", "", ""))
    return head, rows


def _figure_url(index: int) -> QUrl:
    return QUrl(f"nadir-figure:{index}")


def _figure_html(index: int, caption: str, image: QImage) -> str:
    # At print size, shrunk only where a figure is wider or taller than the page's text.
    print_scale = 96 / FIGURE_DPI  # image pixels to the document's 96-per-inch pixels
    scale = min(print_scale, _FIGURE_PX / image.width(), _FIGURE_MAX_PX / image.height())
    width, height = round(image.width() * scale), round(image.height() * scale)
    # Image and caption share a paragraph: an image never splits, so a figure
    # that does not fit the rest of a page moves whole to the next one.
    return (
        f'<p><img src="{_figure_url(index).toString()}" width="{width}" '
        f'height="{height}"><br><b>Figure {index + 1}.</b> {escape(caption)}</p>'
    )


def appendix(analysis: StudyAnalysis) -> str:
    """HTML of the per-patient appendix: each patient's time points and responses."""
    patients = {p.patient_id: p for p in analysis.data.patients}
    head = ("Scan", "Target", "Non-target", "New", "Overall", "Sum, mm", "vs baseline",
            "vs nadir", "Reason")  # fmt: skip
    parts = [f"<h2{_PAGE_BREAK}>Appendix: time points and responses per patient</h2>"]
    for a in analysis.assessments:
        p = patients.get(a.patient_id)
        about = f"{p.arm}, start {p.start_date.isoformat()}; " if p else ""
        best = f"best overall response {a.best_overall_response}"
        change = "" if a.best_pct_change is None else f" ({a.best_pct_change:+.1f} %)"
        parts.append(f"<h3>{escape(a.patient_id)}</h3><p>{escape(about + best + change)}</p>")
        rows = [
            (t.scan_date.isoformat(), t.target or "", t.non_target or "",
             "yes" if t.new_lesions else "no", t.overall or "baseline", _number(t.sum_mm),
             _pct(t.change_from_baseline_pct), _pct(t.change_from_nadir_pct), t.reason)
            for t in a.timepoints
        ]  # fmt: skip
        parts.append(_table(head, rows, css="small", widths=(11, 7, 9, 6, 8, 7, 9, 9, 34)))
    return "".join(parts)


def analyses_section(summary: dict[str, Any]) -> str:
    """HTML of Table 1, the Cox screen beside the multivariable model and the subgroup hazard
    ratios (issue 17), as the report's Word tables print them."""
    from model.exports.analysis_tables import document_tables

    section = summary.get("analyses")
    if not section:
        return ""
    tables = document_tables(
        section["table1"],
        section["cox_univariable"],
        section["cox_multivariable"],
        section["forest"],
        section["references"],
    )
    return f"<h2{_PAGE_BREAK}>Baseline characteristics and Cox models</h2>" + "".join(
        manuscript_html(table) for table in tables.values()
    )


def manuscript_html(table) -> str:
    """HTML of a model.exports.manuscript.Table: its title, rows indented by level, notes."""
    head = (table.stub, *table.columns)
    rows = [("\u00a0" * 3 * row.indent + row.label, *row.cells) for row in table.rows]
    notes = "".join(f'<p class="small note">{escape(note)}</p>' for note in table.footnotes)
    return f"<h3>{escape(table.title)}</h3>" + _table(head, rows, "small") + notes


def _table(
    head: tuple[str, ...], rows: list[tuple], css: str = "", widths: tuple[int, ...] = ()
) -> str:
    """An HTML table with a header row; `widths` in % of the text width, per column."""
    cls = f' class="{css}"' if css else ""
    sized = [f' width="{w}%"' for w in widths] or [""] * len(head)
    header = "".join(f"<th{w}>{escape(h)}</th>" for h, w in zip(head, sized, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return (
        f'<table{cls} border="1" cellspacing="0" cellpadding="2" width="100%">'
        f"<thead><tr>{header}</tr></thead>{body}</table>"
    )


def rate_text(rate: dict[str, Any], one_sided: bool = False) -> str:
    """ "45.0 (30.2-60.1)": a rate and its CI in %, "45.0 (\u226532.4)" with a one-sided
    lower bound, or "n/a"."""
    if rate["rate"] is None:
        return "n/a"
    if one_sided:
        return f"{100 * rate['rate']:.1f} (\u2265{100 * rate['ci_low']:.1f})"
    return f"{100 * rate['rate']:.1f} ({100 * rate['ci_low']:.1f}-{100 * rate['ci_high']:.1f})"


def median_text(km: dict[str, Any]) -> str:
    """ "7.9 (6.0-9.8)": a median and its CI; NR where not reached."""
    values = (km["median"], km["median_ci_low"], km["median_ci_high"])
    median, low, high = ("NR" if v is None else f"{v:.1f}" for v in values)
    return f"{median} ({low}-{high})"


def hr_text(hr: dict[str, Any]) -> str:
    """ "0.53 (0.34-0.84)", or "n/a" when the hazard ratio was not estimable."""
    if hr["hazard_ratio"] is None:
        return "n/a"
    return f"{hr['hazard_ratio']:.2f} ({hr['ci_low']:.2f}-{hr['ci_high']:.2f})"


def p_text(p: float | None) -> str:
    """A p-value in three significant digits, "< 0.001" below that, "n/a" for none."""
    if p is None:
        return "n/a"
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:+.1f} %"
