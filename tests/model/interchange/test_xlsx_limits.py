"""Workbooks within Excel's and memory's limits: text longer than a cell holds is refused on
export, naming it; a workbook that would unpack to more than a study's is refused on import.

Source: issue 14, attacks 10 ("`export --xlsx` cuts text over 32,767
characters without a word") and 13 ("50-200 MB xlsx zip bombs are accepted").
"""

from __future__ import annotations

import zipfile
from dataclasses import replace

import pytest

from main import main
from model.analysis import analyse
from model.errors import InputError
from model.exports.workbook import write_study_workbook
from model.interchange.study_files import read_study, write_workbook
from model.interchange.write import MAX_CELL_CHARACTERS
from model.settings import StudySettings
from model.store.study import Store
from tests.model.store.builders import small_study


def long_study():
    data = small_study()
    patient = replace(data.patients[0], histology="x" * (MAX_CELL_CHARACTERS + 1))
    return replace(data, patients=(patient, *data.patients[1:]))


def test_text_longer_than_a_cell_is_refused_naming_it_and_nothing_written(tmp_path):
    target = tmp_path / "s.xlsx"
    with pytest.raises(InputError, match="patients, line 2, column histology.*32,768 characters"):
        write_workbook(long_study(), target)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(InputError, match="32,768 characters do not fit"):
        write_study_workbook(analyse(long_study(), StudySettings()), tmp_path / "a.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_the_export_command_says_so_and_exits_2(tmp_path, capsys):
    study = tmp_path / "s.nadir"
    with Store.open(study) as store:
        store.import_study_data(long_study())
    assert main(["export", "--db", str(study), "--out", str(tmp_path / "x"), "--xlsx"]) == 2
    assert "do not fit an .xlsx cell" in capsys.readouterr().err
    assert main(["export", "--db", str(study), "--out", str(tmp_path / "c")]) == 0
    assert read_study(tmp_path / "c").patients[0].histology == "x" * (MAX_CELL_CHARACTERS + 1)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * 1_000_000
            for _ in range(60):  # 60 MB of spaces, packed to about 60 kB
                sheet.write(chunk)
    with pytest.raises(InputError, match="unpack .* times larger than it is packed"):
        read_study(bomb)
