"""A manuscript table as a Word document: a real Word table in journal style (issue 17,
item 5).

The title in bold above; the header rows bold and repeated on every page, a spanner
underlined over its columns; no vertical rules and no rules between body rows, only the
top and bottom rules of the table and the rule under the header (set in the table's XML:
python-docx has no border API; a spanner's rule is its paragraph's, trimmed at both
ends); labels left-aligned with factor levels indented, numbers
centred; the footnotes below as paragraphs. Arial 9 pt (Liberation Sans, its metric twin,
where Arial is absent), title 10 pt; A4, turned to landscape when the table would not fit
upright.
"""

from __future__ import annotations

import re
from copy import deepcopy
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from model.exports.manuscript.table import Table
from model.interchange.folders import make_folder, private_file

FONT = "Arial"
#: Point sizes of the table and footnotes, and of the title.
BODY_PT, TITLE_PT = 9, 10
MARGIN_CM = 2.0
A4_MM = (210, 297)
#: Rules in eighths of a point: the table's top and bottom, and the header's.
OUTER_RULE, INNER_RULE = 8, 4
#: A cell's two margins (0.19 cm each) with a little air (cm).
PADDING_CM = 0.5
INDENT_CM = 0.35
#: How far a spanner's rule stops short of each edge of its columns (cm).
SPANNER_TRIM_CM = 0.15
#: The label column is never narrower than this (cm); its longer labels wrap.
MIN_LABEL_CM = 4.0
#: Arial's advance widths (em) of the narrow and wide characters; others 0.556, capitals
#: 0.667 (the font's metrics, as Liberation Sans, its metric twin, has them).
_ARIAL_EM = (
    dict.fromkeys(" .,:;'!|[]()/-ijlft\u2009\u00a0", 0.278)
    | dict.fromkeys("rI", 0.333)
    | {
        "m": 0.833,
        "w": 0.722,
        "M": 0.833,
        "W": 0.944,
        "\u2014": 1.0,
        "\u2060": 0.0,
        "<": 0.584,
        ">": 0.584,
    }
)
#: A header this short (characters) is kept on one line.
SHORT_HEADER = 12
#: `n = 167` in a header, kept on one line.
_COUNT = re.compile(r"\bn = (\d+)")
_AFTER_PARAGRAPH_BORDERS = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
    "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange")  # fmt: skip
#: Text python-docx sets as a single `w:t` (its run text makes elements of tabs and breaks).
_PLAIN = re.compile(r"[^\t\r\n]+")
_AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def write_docx(table: Table, path: Path | str) -> Path:
    """Write `table` as a Word document at `path` (replaced whole, or left as it was);
    returns the path. InputError when it cannot be written."""
    path = Path(path)
    document = Document()
    label, data = _natural_widths(table)
    upright = sum(data) + min(label, MIN_LABEL_CM) <= _text_cm(landscape=False)
    text_width = _set_page(document, landscape=not upright)
    _set_font(document)
    title = document.add_paragraph()
    run = title.add_run(table.title)
    run.bold, run.font.size = True, Pt(TITLE_PT)
    title.paragraph_format.space_after = Pt(6)
    _add_table(document, table, fit_widths(label, data, text_width))
    for note in table.footnotes:
        paragraph = document.add_paragraph(note)
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.space_after = Pt(2)
    make_folder(path.parent, path)
    with private_file(path) as temporary:
        document.save(str(temporary))
    return path


def _text_cm(*, landscape: bool) -> float:
    return (A4_MM[1] if landscape else A4_MM[0]) / 10 - 2 * MARGIN_CM


def _set_page(document, *, landscape: bool) -> float:
    """A4 with 2 cm margins, landscape if asked; returns the text width in cm."""
    section = document.sections[0]
    short, long = Mm(A4_MM[0]), Mm(A4_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    return _text_cm(landscape=landscape)


def _set_font(document) -> None:
    """Arial 9 pt for every script of the Normal style."""
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), FONT)


def _natural_widths(table: Table) -> tuple[float, list[float]]:
    """Widths (cm) the label column and each data column need on one line: the longest
    label, and each data column's longest cell or header word."""
    label = max([text_cm(table.stub)] + [text_cm(r.label) + INDENT_CM * r.indent
                                         for r in table.rows])  # fmt: skip
    data = []
    for j, header in enumerate(table.columns):
        texts = [*_unbroken(header).split(" "), *(r.cells[j] for r in table.rows)]
        data.append(max(text_cm(t) for t in texts))
    return label + PADDING_CM, [w + PADDING_CM for w in data]


def fit_widths(label: float, data: list[float], width: float) -> list[float]:
    """Column widths (cm) filling `width`: all widened alike when everything fits, else the
    label column takes what the data columns leave (at least MIN_LABEL_CM, wrapping), and
    the data columns shrink alike only when even that does not fit."""
    natural = [label, *data]
    if sum(natural) <= width:
        return [w * width / sum(natural) for w in natural]
    label = max(width - sum(data), min(label, MIN_LABEL_CM))
    shrink = min(1.0, (width - label) / sum(data))
    return [label, *(w * shrink for w in data)]


def text_cm(text: str) -> float:
    """The width (cm) of `text` set in 9 pt Arial, from Arial's advance widths (em)."""
    ems = sum(_ARIAL_EM.get(ch, 0.667 if ch.isupper() else 0.556) for ch in text)
    return ems * BODY_PT * 2.54 / 72


def _add_table(document, table: Table, widths_cm: list[float]) -> None:
    """The Word table: header rows, body rows, widths and rules."""
    headers = table.header_rows()
    grid = document.add_table(rows=len(headers) + len(table.rows), cols=len(widths_cm))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _set_table_width(grid, sum(widths_cm))
    # The cells listed once: python-docx lists the whole table again for every row's or
    # column's cells, which made a listing of 850 surgeries quadratic (issue 19). The
    # spanners' merges below touch the first row only, so the body's cells stay as listed.
    columns = len(widths_cm)
    cells = grid._cells
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    for j, width in enumerate(widths_cm):
        grid.columns[j].width = Cm(width)
        _set_width([row_cells[j] for row_cells in rows], Cm(width))
    _set_table_borders(grid)
    fill = _FreshCells()
    for i, texts in enumerate(headers):
        _repeat_as_header(grid.rows[i])
        for j, text in enumerate(texts):
            fill(rows[i][j], _unbroken(text), bold=True, left=j == 0)
            if i == len(headers) - 1:
                _cell_rule(rows[i][j], "bottom")
    for text, first, last in table.span_ranges():
        merged = grid.cell(0, first + 1).merge(grid.cell(0, last + 1))
        _fill(merged, _unbroken(text), bold=True, left=False)
        _underline(merged.paragraphs[0])
    for body, row_cells in zip(table.rows, rows[len(headers) :], strict=True):
        fill(row_cells[0], body.label, left=True, indent=body.indent)
        for j, text in enumerate(body.cells, start=1):
            fill(row_cells[j], text, left=False)


def _set_width(cells: list, width) -> None:
    """The cells' preferred width: python-docx's setter on the first, its `w:tcW` attributes
    copied to the others' (each new cell has one), as the setter is slow (issue 19)."""
    cells[0].width = width
    made = cells[0]._tc.tcPr.find(qn("w:tcW")).attrib
    for cell in cells[1:]:
        tc_width = cell._tc.tcPr.find(qn("w:tcW"))
        for name, value in made.items():
            tc_width.set(name, value)


def _unbroken(text: str) -> str:
    """A header with no-break spaces in `n = 167`, and a short header ("Grade 3-4",
    "HR (95% CI)") kept whole, so that it never wraps inside."""
    text = _COUNT.sub("n\u00a0=\u00a0\\1", text)
    if len(text) <= SHORT_HEADER:
        text = text.replace(" ", "\u00a0").replace("\u2013", "\u2013\u2060")
    return text


def _fill(cell, text: str, *, bold: bool = False, left: bool, indent: int = 0) -> None:
    """Put `text` in the cell's single paragraph, without spacing before or after."""
    paragraph, *extra = cell.paragraphs
    for other in extra:  # a merged cell keeps the paragraphs of the cells it took in
        other._p.getparent().remove(other._p)
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    run = paragraph.add_run(text)
    run.bold = bold
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(1), Pt(1)
    fmt.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    if indent:
        fmt.left_indent = Cm(INDENT_CM * indent)


class _FreshCells:
    """Fills cells not filled before as `_fill` does, but each kind of paragraph (bold,
    alignment, indent) is made by `_fill` once and then copied with its text replaced:
    python-docx took 2 s for the 10,000 cells of a listing of 850 surgeries (issue 19)."""

    def __init__(self) -> None:
        self._made: dict[tuple[bool, bool, int], Any] = {}

    def __call__(self, cell, text: str, *, bold: bool = False, left: bool, indent: int = 0) -> None:
        kind = (bold, left, indent)
        made = self._made.get(kind)
        if made is None:
            _fill(cell, text, bold=bold, left=left, indent=indent)
            made = self._made[kind] = deepcopy(cell._tc.p_lst[0])
            made.r_lst[0].clear_content()  # keeps the run's properties (bold)
            return
        paragraph, empty = deepcopy(made), cell._tc.p_lst[0]
        empty.getparent().replace(empty, paragraph)
        if _PLAIN.fullmatch(text):
            paragraph.r_lst[0].add_t(text)  # what python-docx's run text makes of plain text
        else:
            paragraph.r_lst[0].text = text  # tabs and line breaks become their elements


def _set_table_borders(grid) -> None:
    """Top and bottom rules only: no vertical rules, none between rows."""
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        if edge in ("top", "bottom"):
            _rule(element, OUTER_RULE)
        else:
            element.set(qn("w:val"), "nil")
        borders.append(element)
    properties = grid._tbl.tblPr
    for old in properties.findall(qn("w:tblBorders")):
        properties.remove(old)
    # The schema orders tblPr's children: tblBorders comes before these (ECMA-376, 17.4.60).
    later = [properties.find(qn(f"w:{tag}")) for tag in _AFTER_BORDERS]
    following = next((element for element in later if element is not None), None)
    if following is None:
        properties.append(borders)
    else:
        following.addprevious(borders)


def _set_table_width(grid, width_cm: float) -> None:
    """The table's preferred width, in twentieths of a point (Word's dxa)."""
    width = grid._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(Cm(width_cm).twips)))


def _cell_rule(cell, edge: str) -> None:
    """A thin rule on one edge of a cell (the header's bottom, a spanner's underline)."""
    properties = cell._tc.get_or_add_tcPr()
    borders = properties.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        properties.append(borders)
    element = OxmlElement(f"w:{edge}")
    _rule(element, INNER_RULE)
    borders.append(element)


def _underline(paragraph) -> None:
    """A rule under a spanner, short of the cell's edges so that two spanners' rules stay
    apart (booktabs' trimmed midrule): a paragraph border within small side indents."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    _rule(bottom, INNER_RULE)
    borders.append(bottom)
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(borders, *_AFTER_PARAGRAPH_BORDERS)
    paragraph.paragraph_format.left_indent = Cm(SPANNER_TRIM_CM)
    paragraph.paragraph_format.right_indent = Cm(SPANNER_TRIM_CM)


def _rule(element, size: int) -> None:
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "0")
    element.set(qn("w:color"), "000000")


def _repeat_as_header(row) -> None:
    """Mark a header row to repeat at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
