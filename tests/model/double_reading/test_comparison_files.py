"""Import and export carry the reader (interchange spec, measurements.csv `reader`; issue #7,
part 4): a double-read study goes out and comes back with every row's reader."""

from __future__ import annotations

from dataclasses import replace

from model.interchange.study_files import read_study, write_study
from model.store.study import Store
from tests.model.double_reading.builders import double_read


def test_export_then_import_keeps_each_rows_reader(tmp_path):
    """Interchange spec: export then import gives the same study, readers included."""
    study = double_read({"P1": ("PR", "SD"), "P2": ("PD", "PD")})
    first = Store.in_memory()
    first.import_study_data(study)
    write_study(first.study_data(), tmp_path)
    again = Store.in_memory()
    again.import_study_data(read_study(tmp_path))
    assert again.study_data() == first.study_data()
    assert again.readers() == first.readers() == ("A", "B")
    readers = sorted({(m.patient_id, m.reader) for m in again.study_data().measurements})
    assert readers == [("P1", "A"), ("P1", "B"), ("P2", "A"), ("P2", "B")]


def test_the_store_keeps_a_blank_reader_apart_from_a_named_one():
    """Interchange spec, "Readers": a blank reader beside a named one counts as a second."""
    study = double_read({"P1": ("PR", "SD")})
    rows = tuple(m if m.reader == "A" else replace(m, reader="") for m in study.measurements)
    store = Store.in_memory()
    store.import_study_data(type(study)(study.patients, rows))
    assert {m.reader for m in store.study_data().measurements} == {"A", ""}
