"""The writers read back: a real Word table in journal style (python-docx), an Excel sheet
(openpyxl) and CSV (issue 17, item 5)."""

import csv

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from model.errors import InputError
from model.exports.manuscript import (
    Row,
    Span,
    Table,
    balance_table,
    table1_table,
    write_csv,
    write_docx,
    write_xlsx,
)
from tests.model.stats.reference import REFERENCE

NBSP = "\u00a0"


@pytest.fixture
def pbc_table1():
    return table1_table(REFERENCE["table1"]["pbc"])


def spanned():
    """Two arms spanning two columns each, a level row, a formula-like label."""
    rows = (Row("Any", ("1 (50.0)", "0", "2 (100.0)", "0")), Row("=cmd", ("0",) * 4),
            Row("-5 mm", ("0",) * 4, indent=1))  # fmt: skip
    spans = (Span("ICI (n = 2)", 2), Span("Combo (n = 2)", 2))
    return Table("Adverse events", "Event", ("Any", "Grade 5") * 2, rows, ("Note p.",), spans)


def texts(word_table):
    return [[c.text.replace(NBSP, " ") for c in r.cells] for r in word_table.rows]


def test_docx_is_a_word_table_with_a_bold_header_and_footnotes(tmp_path, pbc_table1):
    path = write_docx(pbc_table1, tmp_path / "t1.docx")
    document = Document(str(path))
    (table,) = document.tables
    cells = texts(table)
    assert cells[0] == ["Characteristic", "1 (n = 158)", "2 (n = 154)", "Overall (n = 312)",
                        "p", "SMD"]  # fmt: skip
    assert cells[1] == ["age, mean (SD)", "51.4 (11.0)", "48.6 (10.0)", "50.0 (10.6)", "0.02",
                        "0.27"]  # fmt: skip
    assert len(cells) == 1 + len(pbc_table1.rows)
    header_runs = [run for c in table.rows[0].cells for run in c.paragraphs[0].runs]
    assert header_runs and all(run.bold for run in header_runs)
    assert not any(run.bold for c in table.rows[1].cells for run in c.paragraphs[0].runs)
    level = table.rows[4].cells[0].paragraphs[0]  # sex: f
    assert (level.text, level.paragraph_format.left_indent > 0) == ("f", True)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Table 1. Baseline characteristics"
    assert document.paragraphs[0].runs[0].bold
    assert any("Wilcoxon rank-sum test" in p and "chi-square" in p for p in paragraphs[1:])
    style = document.styles["Normal"]
    assert (style.font.name, style.font.size) == ("Arial", Pt(9))
    assert document.sections[0].orientation == WD_ORIENT.PORTRAIT


def test_docx_has_only_top_bottom_and_header_rules(tmp_path, pbc_table1):
    """Journal style: no vertical rules, none between body rows (set in the table XML)."""
    table = Document(str(write_docx(pbc_table1, tmp_path / "t1.docx"))).tables[0]
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    edges = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
    assert edges == {"top": "single", "bottom": "single", "left": "nil", "right": "nil",
                     "insideH": "nil", "insideV": "nil"}  # fmt: skip
    for cell in table.rows[0].cells:
        assert cell._tc.tcPr.find(qn("w:tcBorders")).find(qn("w:bottom")) is not None
    assert table.rows[1].cells[1]._tc.tcPr.find(qn("w:tcBorders")) is None
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page


def test_docx_spanners_are_merged_cells_and_p_below_0001_shows_as_such(tmp_path):
    path = write_docx(spanned(), tmp_path / "ae.docx")
    table = Document(str(path)).tables[0]
    cells = texts(table)
    assert cells[0] == ["", "ICI (n = 2)", "ICI (n = 2)", "Combo (n = 2)", "Combo (n = 2)"]
    assert table.rows[0].cells[1]._tc is table.rows[0].cells[2]._tc  # one merged cell
    spanner = table.rows[0].cells[1].paragraphs[0]._p.pPr
    assert spanner.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert cells[1] == ["Event", "Any", "Grade 5", "Any", "Grade 5"]
    cox = balance_table({"n_treated": 3, "n_control": 4, "dropped": 0, "caliper": None,
                         "pairs": [], "unmatched_treated": [], "balance": [
                             {"covariate": "age", "level": None,
                              "mean_before": {"treated": 1.0, "control": 2.0},
                              "mean_after": {"treated": None, "control": None},
                              "smd_before": 0.5, "smd_after": None}]})  # fmt: skip
    cells = texts(Document(str(write_docx(cox, tmp_path / "b.docx"))).tables[0])
    assert cells[2] == ["age", "1.00", "2.00", "0.50", "\u2014", "\u2014", "\u2014"]


def test_a_wide_table_turns_the_page(tmp_path):
    wide = Table("Wide", "x", tuple(f"Arm {i} (n = 100)" for i in range(12)),
                 (Row("a", tuple("100 (100.0)" for _ in range(12))),))  # fmt: skip
    section = Document(str(write_docx(wide, tmp_path / "w.docx"))).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height


def test_p_below_0001_reaches_the_word_table(tmp_path):
    """pbc, bili in the univariable screen: p 1e-16 prints as <0.001."""
    table = Table("Cox", "Covariate", ("HR (95% CI)", "p"),
                  (Row("bili", ("1.16 (1.13\u20131.19)", "<0.001")),))  # fmt: skip
    cells = texts(Document(str(write_docx(table, tmp_path / "c.docx"))).tables[0])
    assert cells[1] == ["bili", "1.16 (1.13\u20131.19)", "<0.001"]


def test_xlsx_reads_back_with_bold_header_merged_spanners_and_footnotes(tmp_path):
    sheet = load_workbook(write_xlsx(spanned(), tmp_path / "ae.xlsx")).active
    assert sheet["A1"].value == "Adverse events" and sheet["A1"].font.bold
    assert [c.value for c in sheet[3]] == [None, "ICI (n = 2)", None, "Combo (n = 2)", None]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"B3:C3", "D3:E3"}
    assert [c.value for c in sheet[4]] == ["Event", "Any", "Grade 5", "Any", "Grade 5"]
    assert all(c.font.bold for c in sheet[4])
    assert [c.value for c in sheet[5]] == ["Any", "1 (50.0)", "0", "2 (100.0)", "0"]
    assert not sheet["B5"].font.bold
    assert sheet["A6"].value == "=cmd" and sheet["A6"].quotePrefix  # text, never a formula
    assert sheet["A7"].value == "-5 mm" and sheet["A7"].alignment.indent == 1
    assert sheet["A8"].value is None and sheet["A9"].value == "Note p."


def test_xlsx_of_table1_holds_every_cell(tmp_path, pbc_table1):
    sheet = load_workbook(write_xlsx(pbc_table1, tmp_path / "t1.xlsx")).active
    assert [c.value for c in sheet[4]] == ["age, mean (SD)", "51.4 (11.0)", "48.6 (10.0)",
                                           "50.0 (10.6)", "0.02", "0.27"]  # fmt: skip
    last = 3 + len(pbc_table1.rows)
    body = [[c.value or "" for c in r] for r in sheet.iter_rows(min_row=4, max_row=last)]
    assert body == [[r.label, *r.cells] for r in pbc_table1.rows]
    assert sheet.cell(last + 2, 1).value == pbc_table1.footnotes[0]


def test_csv_reads_back_with_one_header_row_and_the_footnotes(tmp_path):
    path = write_csv(spanned(), tmp_path / "ae.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Event", "ICI (n = 2): Any", "ICI (n = 2): Grade 5",
                       "Combo (n = 2): Any", "Combo (n = 2): Grade 5"]  # fmt: skip
    assert rows[1] == ["Any", "1 (50.0)", "0", "2 (100.0)", "0"]
    assert rows[2][0] == "'=cmd"  # a spreadsheet shows it as text
    assert rows[3][0] == "  -5 mm"
    assert rows[4:] == [[], ["Note p."]]


def test_csv_of_table1(tmp_path, pbc_table1):
    with open(write_csv(pbc_table1, tmp_path / "t1.csv"), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["age, mean (SD)", "51.4 (11.0)", "48.6 (10.0)", "50.0 (10.6)", "0.02",
                       "0.27"]  # fmt: skip
    assert rows[2][0] == "  Median [Q1, Q3]"


@pytest.mark.parametrize("write", [write_docx, write_xlsx, write_csv])
def test_a_file_that_cannot_be_written_is_an_input_error_and_nothing_is_left(tmp_path, write):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError, match="cannot be written"):
        write(spanned(), blocker / "table.out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


@pytest.mark.parametrize("write", [write_docx, write_xlsx, write_csv])
def test_writing_replaces_a_file_whole(tmp_path, write):
    path = tmp_path / "out" / "table"
    write(spanned(), path)
    first = path.read_bytes()
    write(Table("T", "", ("a",), (Row("x", ("1",)),)), path)
    assert path.read_bytes() != first
    assert sorted(p.name for p in path.parent.iterdir()) == ["table"]
