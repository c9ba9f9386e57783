"""Manuscript tables (issue 17, item 5; issue 18): each analysis document as a journal's
table, written as a real Word table, an Excel sheet or CSV.

    table = table1_table(document)        # or response_table, cox_table, forest_table,
    write_docx(table, "table1.docx")      #    ae_table, balance_table
    write_xlsx(table, "table1.xlsx")
    write_csv(table, "table1.csv")

The builders take the JSON documents of shared/spec/analysis.md (and the `report`
summary); they format numbers as journals print them (formatting.py) and return a
`Table`, which the writers lay out without knowing what it holds.
"""

from model.exports.manuscript.baseline import balance_table, table1_table
from model.exports.manuscript.hazards import cox_table, forest_table
from model.exports.manuscript.outcomes import ae_table, response_table
from model.exports.manuscript.spreadsheet import write_csv, write_xlsx
from model.exports.manuscript.table import Row, Span, Table
from model.exports.manuscript.word import write_docx

__all__ = [
    "Row",
    "Span",
    "Table",
    "ae_table",
    "balance_table",
    "cox_table",
    "forest_table",
    "response_table",
    "table1_table",
    "write_csv",
    "write_docx",
    "write_xlsx",
]
