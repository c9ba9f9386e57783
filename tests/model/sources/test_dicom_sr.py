"""TID 1500 Measurement Reports read as the viewers write them, and bad input refused with a
message naming the file and what is wrong (issue 21; DICOM PS3.16, TID 1500 and CID 7470)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.sr.coding import Code

from model.errors import InputError
from model.sources.dicom_sr import read_reports
from tests.model.sources.sr_builders import Lesion, image_file, report, save

BASELINE, FOLLOW_UP = date(2024, 1, 5), date(2024, 3, 1)


def _findings(path):
    (found,) = read_reports([path])
    return [
        (f.label, f.site, f.lymph_node, f.long_axis_mm, f.short_axis_mm) for f in found.findings
    ]


def test_dcmqi_report_names_lesions_by_tracking_identifier(tmp_path):
    lesions = [
        Lesion("T1", "liver", 23.04),
        Lesion("T2", "mediastinal node", 25.0, 16.0),
        Lesion("NT1", "bone"),
    ]
    path = save(report("P01", BASELINE, lesions), tmp_path / "baseline.dcm")
    (found,) = read_reports([path])
    assert (found.patient_id, found.study_date) == ("P01", BASELINE)
    assert found.sop_instance_uid
    # Sizes are rounded to 0.1 mm; a node's size is its short axis.
    assert _findings(path) == [
        ("T1", "Liver", False, 23.0, None),
        ("T2", "Mediastinal lymph node", True, 25.0, 16.0),
        ("NT1", "Bone", False, None, None),
    ]
    assert found.findings[1].size_mm == 16.0
    assert all(f.tracking_uid for f in found.findings)


@pytest.mark.parametrize("comment", [False, True], ids=["free-text finding", "comment"])
def test_ohif_report_takes_the_label_from_free_text_not_the_tool(tmp_path, comment):
    lesions = [Lesion("T1", "liver", 18.0), Lesion("T2", "lung", 14.0, 9.0), Lesion("", "lung", 7)]
    sr = report("P01", FOLLOW_UP, lesions, style="ohif", comment=comment)
    path = save(sr, tmp_path / "ohif.dcm")
    (found,) = read_reports([path])
    assert [f.tracking_id for f in found.findings] == [
        "Length",
        "Cornerstone3DTools@^0.1.0:Bidirectional",
        "Length",
    ]
    # A tool's name is no label: the unlabelled lesion has none.
    assert _findings(path) == [
        ("T1", "Liver", False, 18.0, None),
        ("T2", "Lung", False, 14.0, 9.0),
        ("", "Lung", False, 7.0, None),
    ]


def test_sizes_in_centimetres_are_read_in_millimetres(tmp_path):
    cm = Code("cm", "UCUM", "centimeter")
    path = save(report("P01", BASELINE, [Lesion("T1", "liver", 2.35, unit=cm)]), tmp_path / "a.dcm")
    assert _findings(path)[0][3] == 23.5


def test_a_folder_passes_over_images_and_reads_every_report(tmp_path):
    save(report("P01", BASELINE, [Lesion("T1", "liver", 20.0)]), tmp_path / "s1" / "sr1")
    save(report("P01", FOLLOW_UP, [Lesion("T1", "liver", 15.0)]), tmp_path / "s2" / "sr2")
    save(image_file("P01", BASELINE), tmp_path / "s1" / "ct1")
    (tmp_path / "notes.txt").write_text("not DICOM")
    found = read_reports([tmp_path])
    assert sorted(r.study_date for r in found) == [BASELINE, FOLLOW_UP]


def _error(paths) -> str:
    with pytest.raises(InputError) as caught:
        read_reports(paths)
    return str(caught.value)


def test_a_file_that_is_not_dicom_is_named(tmp_path):
    path = tmp_path / "report.csv"
    path.write_text("patient_id,scan_date\n")
    assert _error([path]) == f"{path}: not a DICOM file"


def test_an_image_is_not_a_structured_report(tmp_path):
    path = save(image_file("P01", BASELINE), tmp_path / "ct.dcm")
    assert _error([path]) == f"{path}: not a DICOM Structured Report (it is CT Image Storage)"


def test_a_report_without_measurements_has_nothing_to_import(tmp_path):
    path = save(report("P01", BASELINE, [Lesion("NT1", "bone")]), tmp_path / "empty.dcm")
    assert "a Measurement Report without lesion measurements" in _error([path])
    assert _error([path]).startswith(str(path))


def test_an_sr_of_another_template_is_named_by_its_title(tmp_path):
    sr = report("P01", BASELINE, [Lesion("T1", "liver", 20.0)])
    sr.ConceptNameCodeSequence[0].CodeValue = "18748-4"
    sr.ConceptNameCodeSequence[0].CodeMeaning = "Diagnostic imaging report"
    path = save(sr, tmp_path / "text.dcm")
    message = "not a TID 1500 Measurement Report (its title is 'Diagnostic imaging report')"
    assert message in _error([path])


def test_a_report_without_study_date_or_patient_id_is_named(tmp_path):
    sr = report("P01", BASELINE, [Lesion("T1", "liver", 20.0)])
    sr.StudyDate, sr.PatientID = "", ""
    path = save(sr, tmp_path / "anon.dcm")
    message = _error([path])
    assert f"{path}: has no Patient ID (0010,0020)" in message
    assert f"{path}: has no Study Date (0008,0020)" in message


def test_a_size_in_another_unit_names_the_group(tmp_path):
    ml = Code("ml", "UCUM", "milliliter")
    sr = report("P01", BASELINE, [Lesion("T1", "liver", 20.0), Lesion("T2", "lung", 3, unit=ml)])
    path = save(sr, tmp_path / "unit.dcm")
    assert "measurement group 2 (T2): the long axis is in 'ml'; expected mm or cm" in _error([path])


def test_a_folder_without_reports_and_a_missing_path_are_named(tmp_path):
    (tmp_path / "empty").mkdir()
    message = _error([tmp_path / "empty", tmp_path / "gone"])
    assert "holds no DICOM SR measurement report (TID 1500)" in message
    assert f"{tmp_path / 'gone'}: no such file or folder" in message


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.binary(max_size=400), preamble=st.booleans())
def test_any_file_is_read_or_named_never_a_crash(tmp_path_factory, body, preamble):
    """A damaged or foreign file (with or without DICOM's 128-byte preamble and DICM mark)
    is refused with its name, never a traceback."""
    path = tmp_path_factory.mktemp("bytes") / "report.dcm"
    path.write_bytes((b"\0" * 128 + b"DICM" if preamble else b"") + body)
    with pytest.raises(InputError) as caught:
        read_reports([path])
    assert all(p.file == str(path) for p in caught.value.problems)
