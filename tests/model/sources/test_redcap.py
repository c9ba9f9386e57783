"""A REDCap export (repeating instruments, events, checkbox columns, coded choices) read through
a saved mapping and its data dictionary, and bad input named in the export's terms (issue 21).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.domain import Role, Status
from model.errors import InputError
from model.sources.redcap import read_redcap
from model.sources.redcap_dictionary import parse_choices, read_dictionary
from model.sources.redcap_mapping import read_mapping, write_mapping

DATA = Path(__file__).resolve().parents[2] / "data" / "redcap"
EXPORT, MAPPING = DATA / "export.csv", DATA / "mapping.json"


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the REDCap fixtures that a test may spoil."""
    for name in ("export.csv", "dictionary.csv", "mapping.json"):
        shutil.copy(DATA / name, tmp_path / name)
    return tmp_path


def _error(*args, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        read_redcap(*args, **kwargs)
    return str(caught.value)


def test_the_export_becomes_patients_measurements_events_and_adverse_events():
    imported = read_redcap(EXPORT, MAPPING)
    first, second, third = imported.data.patients
    assert (first.patient_id, first.sex, first.arm, first.start_date) == (
        "HCC-01", "M", "Camrelizumab + dTACE", date(2024, 1, 8))  # fmt: skip
    # Values of other events of the record (end of study) are found too.
    assert (second.sex, second.death_date, second.last_contact_date) == (
        "F", date(2024, 5, 15), date(2024, 5, 15))  # fmt: skip
    assert first.extra == {"x_ecog": "0", "x_risk_factors": "HBV, Alcohol",
                           "x_redcap_record_id": "1001"}  # fmt: skip
    assert third.extra["x_redcap_record_id"] == "1003" and "x_risk_factors" not in third.extra
    rows = imported.data.measurements
    assert len(rows) == 11
    node = next(r for r in rows if r.lesion_id == "T2" and r.patient_id == "HCC-01")
    assert (node.role, node.lymph_node, node.site, node.diameter_mm) == (
        Role.TARGET, True, "Lymph node", 18.0)  # fmt: skip
    new = next(r for r in rows if r.lesion_id == "N1")
    assert (new.patient_id, new.role, new.status) == ("HCC-02", Role.NEW, Status.PRESENT)
    assert next(r for r in rows if r.status is Status.PROGRESSION).lesion_id == "NT1"
    assert [(e.patient_id, e.kind, e.detail) for e in imported.data.events] == [
        ("HCC-01", "treatment", "camrelizumab"),
        ("HCC-02", "treatment", "dTACE"),
        ("HCC-03", "treatment", "camrelizumab"),
    ]
    fever, rash, pain = imported.data.adverse_events
    assert (fever.term, fever.grade, fever.attribution, fever.serious) == (
        "Fever",
        2,
        "dTACE",
        False,
    )
    assert (pain.patient_id, pain.grade, pain.serious) == ("HCC-02", 3, True)
    assert imported.records == 3


def test_a_yaml_mapping_reads_the_same(tmp_path):
    pytest.importorskip("yaml")
    mapping = read_mapping(MAPPING)
    yaml_path = tmp_path / "mapping.yaml"
    write_mapping(mapping, yaml_path)
    shutil.copy(DATA / "dictionary.csv", tmp_path / "dictionary.csv")
    assert read_mapping(yaml_path).as_json() == mapping.as_json()
    assert read_redcap(EXPORT, yaml_path).data == read_redcap(EXPORT, MAPPING).data


def test_an_export_of_labels_reads_like_one_of_codes(project):
    text = (project / "export.csv").read_text()
    header, *rows = text.splitlines()
    # REDCap's "labels" export: the choice's label instead of its code.
    rows = [r.replace("1001,enrolment_arm_1,,,HCC-01,1,", "1001,enrolment_arm_1,,,HCC-01,Male,")
            for r in rows]  # fmt: skip
    (project / "export.csv").write_text("\n".join([header, *rows]) + "\n")
    assert read_redcap(project / "export.csv", project / "mapping.json").data.patients[0].sex == "M"


def test_a_code_that_is_no_choice_names_line_record_and_field(project):
    text = (project / "export.csv").read_text().replace("HCC-02,2,58", "HCC-02,7,58")
    (project / "export.csv").write_text(text)
    message = _error(project / "export.csv", project / "mapping.json")
    assert message == (
        "export.csv, line 12, column sex, value '7': record 1002, event enrolment_arm_1: "
        "'7' is not a choice of sex (1, Male | 2, Female)"
    )


def test_bad_values_are_named_in_the_exports_terms(project):
    text = (project / "export.csv").read_text()
    text = text.replace("2024-03-25,T1,1,1,0,1,70,1", "2024-03-25,T1,1,1,0,1,7O,1")
    text = text.replace("2024-02-03,2024-02-10,2,1", "2024-02-13,2024-02-10,2,1")
    (project / "export.csv").write_text(text)
    message = _error(project / "export.csv", project / "mapping.json")
    assert (
        "export.csv, line 16, column lesion_diameter, value '7O': record 1002, event "
        "follow_up_arm_1, lesion_measurements #3: expected a number of mm (Nadir's "
        "measurements.csv column diameter_mm)"
    ) in message
    assert "line 19, column ae_end, value '2024-02-10': record 1002" in message
    assert "is before start_date" in message


def test_a_mapping_naming_what_is_not_there_is_named_by_its_key(project):
    mapping = json.loads((project / "mapping.json").read_text())
    mapping["measurements"]["columns"]["diameter_mm"] = "lesion_diam"
    mapping["measurements"]["columns"]["size"] = "lesion_diameter"
    del mapping["adverse_events"]["columns"]["grade"]
    (project / "mapping.json").write_text(json.dumps(mapping))
    message = _error(project / "export.csv", project / "mapping.json")
    assert "column measurements.columns.size: not a column of measurements.csv" in message
    assert "column adverse_events.columns: the required column grade is missing" in message
    mapping["measurements"]["columns"].pop("size")
    mapping["adverse_events"]["columns"]["grade"] = "ae_grade"
    (project / "mapping.json").write_text(json.dumps(mapping))
    message = _error(project / "export.csv", project / "mapping.json")
    assert message == (
        f"{project / 'mapping.json'}, column measurements.columns.diameter_mm: the field "
        "'lesion_diam' is not a column of export.csv"
    )


def test_a_file_that_is_no_mapping_is_named(tmp_path):
    path = tmp_path / "mapping.json"
    path.write_text('{"patients": {}}')
    assert _error(EXPORT, path) == (
        f"{path}: is not a Nadir REDCap mapping: expected an object with nadir_redcap_mapping: 1"
    )
    path.write_text("{not json")
    assert _error(EXPORT, path).startswith(f"{path}, line 1: is not valid JSON")


def test_a_dictionary_with_bad_choices_is_named_by_line(tmp_path):
    path = tmp_path / "dictionary.csv"
    text = (DATA / "dictionary.csv").read_text().replace('"1, Male | 2, Female"', '"Male | 2"')
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_dictionary(path)
    assert f"{path}, line 4, column choices, value 'Male | 2'" in str(caught.value)
    assert parse_choices("1, Yes, really | 0, No") == {"1": "Yes, really", "0": "No"}
    not_a_dictionary = tmp_path / "export.csv"
    shutil.copy(EXPORT, not_a_dictionary)
    with pytest.raises(InputError, match="is not a REDCap data dictionary"):
        read_dictionary(not_a_dictionary)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    column=st.sampled_from([5, 6, 14, 18, 19, 20, 22, 24, 25, 28, 32]),
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
def test_any_cell_text_is_read_or_named_never_a_crash(tmp_path_factory, column, text):
    """Whatever a cell holds (sex, age, dates, role, site, flags, diameter, grade, serious),
    the export is read or refused with named problems."""
    folder = tmp_path_factory.mktemp("cell")
    rows = list(csv.reader(io.StringIO((DATA / "export.csv").read_text())))
    line = 3 if column >= 18 else 1
    rows[line][column] = text
    with open(folder / "export.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    try:
        read_redcap(folder / "export.csv", MAPPING)
    except InputError as error:
        assert all(p.file for p in error.problems)
