"""The history dialog and the backup dialog show the audit trail and the backups of a study.

Source: issue #8, parts 1 (a GUI view of a patient's history) and 3 (a restore dialog).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from gui.dialogs.backup_dialog import BackupDialog, kind_in_words, restore_study
from gui.pages.history_view import NEW, OLD, USER, WHAT, HistoryDialog
from model.domain import Status
from model.editing.edits import SetObservation, SetSettings
from model.store.backups import backup_now, every_hours
from model.store.study import Store
from tests.gui.conftest import FOLLOW_UP


def test_history_lists_the_patients_changes_with_old_and_new_values(
    qtbot, qtmodeltester, study_path
):
    with Store.open(study_path, user="dr_a") as store:
        store.apply(SetObservation("P02", "T1", FOLLOW_UP, "", Status.MEASURED, 27.0))
        dialog = HistoryDialog(store, "P02")
    qtbot.addWidget(dialog)
    model = dialog.model
    qtmodeltester.check(model)
    last = model.rowCount() - 1
    cell = lambda column: model.index(last, column).data()  # noqa: E731
    assert (cell(USER), cell(OLD), cell(NEW)) == ("dr_a", "29.0", "27.0")
    assert "diameter_mm" in model.index(last, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "P02" in dialog.windowTitle()


def test_study_history_shows_settings_changes(qtbot, study_path):
    with Store.open(study_path) as store:
        store.apply(SetSettings(replace(store.settings(), confirm=True)))
        dialog = HistoryDialog(store, None)
    qtbot.addWidget(dialog)
    assert "settings" in dialog.windowTitle()
    tables = {dialog.model.index(row, WHAT).data() for row in range(dialog.model.rowCount())}
    assert "settings" in tables and tables <= {"settings", "arms", "readers", "import"}


def test_backup_dialog_backs_up_sets_the_schedule_and_chooses_a_restore(qtbot, study_path):
    with Store.open(study_path) as store:
        backup_now(store)
        dialog = BackupDialog(study_path, store)
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() == 1 and not dialog.restore.isEnabled()
        qtbot.mouseClick(dialog.back_up, Qt.MouseButton.LeftButton)
        assert dialog.model.rowCount() == 2
        assert dialog.model.index(0, 1).data() == "scheduled"
        dialog.hours.setValue(2.5)
        dialog.select_row(1)
        assert dialog.restore.isEnabled()
        dialog.restore.click()
        assert dialog.chosen == dialog.model.row_at(1).path
        assert every_hours(store) == 2.5
        store.apply(SetObservation("P02", "T1", FOLLOW_UP, "", Status.MEASURED, 5.0))
    assert restore_study(None, dialog.chosen, study_path) is not None
    with Store.open(study_path) as store:
        sizes = [m.diameter_mm for m in store.patient_data("P02").measurements]
    assert 5.0 not in sizes and 29.0 in sizes


def test_backup_dialog_without_a_study_still_lists_backups(qtbot, study_path):
    with Store.open(study_path) as store:
        backup_now(store)
    dialog = BackupDialog(study_path, None)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 1
    assert not dialog.back_up.isEnabled() and not dialog.hours.isEnabled()


def test_backup_kinds_read_as_words():
    assert kind_in_words("v3") == "before updating from version 3"
    assert kind_in_words("before-restore") == "before a restore"


def test_safety_actions_back_up_when_due_and_restore_into_the_open_window(qtbot, study_path):
    from PySide6.QtWidgets import QMainWindow, QMenu

    from gui.safety_actions import SafetyActions
    from gui.session import StudySession
    from model.store.backup_files import list_backups

    window = QMainWindow()
    qtbot.addWidget(window)
    session = StudySession(Store.open(study_path), window)
    safety = SafetyActions(session, window)
    assert list_backups(study_path) == ()  # changed minutes ago: not yet due
    backup_now(session.store)
    (backup,) = list_backups(study_path)
    menu = QMenu(window)
    safety.build_file_menu(menu)
    safety.build_patient_menu(menu, lambda: "P02")
    assert [a.text() for a in menu.actions()][-1] == "&History…"
    session.store.apply(SetObservation("P02", "T1", FOLLOW_UP, "", Status.MEASURED, 5.0))
    safety.back_up_if_due()
    assert len(list_backups(study_path)) == 1  # changed, but the last backup is recent
    safety.restore(backup.path, study_path)
    sizes = [m.diameter_mm for m in session.store.patient_data("P02").measurements]
    assert 5.0 not in sizes and "Restored" in window.statusBar().currentMessage()
    session.close()


def test_a_damaged_study_is_offered_its_newest_backup(qtbot, monkeypatch, study_path):
    from PySide6.QtWidgets import QMessageBox

    from gui.safety_actions import offer_newest_backup
    from model.errors import InputError

    with Store.open(study_path) as store:
        backup_now(store)
    study_path.write_bytes(b"SQLite format 3\x00" + b"\x5a" * 8000)
    try:
        Store.open(study_path)
    except InputError as error:
        damaged = error
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args: asked.append(args) or QMessageBox.StandardButton.Yes
    )
    assert not offer_newest_backup(None, study_path, InputError("newer version of Nadir"))
    assert asked == []
    assert offer_newest_backup(None, study_path, damaged)
    with Store.open(study_path) as store:
        assert store.patient_ids() == ("P01", "P02")


def test_the_window_offers_history_backups_and_reload(window):
    """Issue #8: Patient > History…, File > Backups…, Study history… and Reload study."""
    texts = {
        action.text()
        for menu_action in window.menuBar().actions()
        for action in menu_action.menu().actions()
    }
    assert {"&History…", "&Backups…", "Study &history…", "Re&load study"} <= texts
    assert window.safety.timer.isActive()
