"""File > Merge a copy: the nurse merges a radiologist's offline copy back in the app
(issue #7, part 5), after a backup, and sees what came in."""

from PySide6.QtWidgets import QMessageBox

from gui.app import build_main_window
from model.domain import Status
from model.editing.edits import SetObservation
from model.store.backup_files import list_backups
from model.store.study import Store
from tests.model.double_reading.builders import BASELINE, FOLLOW_UP, double_read


def test_merging_a_copy_brings_in_its_reads_and_keeps_a_backup(qtbot, tmp_path):
    study = double_read({"P1": ("PR", "SD")})
    only_a = tuple(m for m in study.measurements if m.reader == "A")
    path, copy = tmp_path / "study.nadir", tmp_path / "copy.nadir"
    with Store.open(path) as nurse:
        nurse.import_study_data(type(study)(study.patients, only_a))
        nurse.backup(copy)
    with Store.open(copy) as laptop:
        laptop.apply(SetObservation("P1", "T1", BASELINE, "B", Status.MEASURED, 50.0))
        laptop.apply(SetObservation("P1", "T1", FOLLOW_UP, "B", Status.MEASURED, 30.0))
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    report = window.files.merge_path(copy)
    assert report is not None and report.added == 2 and not report.conflicts
    readers = {m.reader for m in window.session.store.study_data().measurements}
    assert readers == {"A", "B"}
    assert [b.kind for b in list_backups(path)] == ["before-merge"]
    shown = window.findChild(QMessageBox, "merge_report")
    assert shown is not None and "2 rows added" in shown.text()
    window.session.close()


def test_a_study_cannot_be_merged_into_itself(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "study.nadir"
    Store.open(path).close()
    window = build_main_window(str(path))
    qtbot.addWidget(window)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    assert window.files.merge_path(path) is None
    assert warnings == ["a study cannot be merged into itself"]
    assert list_backups(path) == ()
    window.session.close()
