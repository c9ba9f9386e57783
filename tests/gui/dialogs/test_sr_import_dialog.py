"""File > Import measurements from DICOM SR: a follow-up report fills that scan's targets on
the patient page after one confirmation; a proposed role is changed in the preview; bad
input is listed with its file and nothing is written; the import is one undo step (issue 21).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.dialogs.sr_import_dialog import SrImportDialog
from gui.item_models.sr_preview_model import LESION_COLUMN, ROLE_COLUMN
from tests.gui.conftest import FOLLOW_UP
from tests.gui.grid_helpers import cell_text
from tests.model.sources.sr_builders import Lesion, report, save


def _follow_up_report(tmp_path):
    lesions = [Lesion("T1", "liver", 32.0), Lesion("", "lung", 12.0)]
    return save(report("P01", FOLLOW_UP, lesions, style="ohif"), tmp_path / "fu.dcm")


def _read(qtbot, dialog, path) -> None:
    dialog.path.setText(str(path))
    qtbot.mouseClick(dialog.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.read_button.isEnabled(), timeout=10_000)


def _shown(dialog) -> list[tuple[str, ...]]:
    model = dialog.preview_view.model()
    return [
        tuple(str(model.index(r, c).data()) for c in range(model.columnCount()))
        for r in range(model.rowCount())
    ]


def _row_of(dialog, lesion: str) -> int:
    return next(i for i, row in enumerate(_shown(dialog)) if row[2] == lesion)


def test_a_follow_up_report_fills_its_targets_after_one_confirmation(qtbot, window, tmp_path):
    dialog = SrImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _read(qtbot, dialog, _follow_up_report(tmp_path))
    shown = _shown(dialog)
    assert shown[_row_of(dialog, "T1")][3:6] == ("target", "32 mm", "new")
    assert shown[_row_of(dialog, "NT1")][3:6] == ("non-target", "", "not in report")
    assert shown[_row_of(dialog, "N1")][8] == "first seen 2024-03-01, after the baseline 2024-01-05"
    assert dialog.confirm_button.isEnabled()
    # The reader makes the new lesion a non-target, in the table, with the keyboard.
    view = dialog.preview_view
    index = view.model().index(_row_of(dialog, "N1"), ROLE_COLUMN)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(index)
    assert editor is not None
    qtbot.keyClicks(editor, "non")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(row[2] == "NT2" for row in _shown(dialog)), timeout=2000)
    assert _shown(dialog)[_row_of(dialog, "NT2")][8] == "chosen by the reader"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SrImportDialog.DialogCode.Accepted
    grid = window.patient_page.grid
    assert cell_text(grid, "T1", FOLLOW_UP) == "32"
    assert "NT2" in [grid.model().index(r, 0).data() for r in range(grid.model().rowCount())]
    # One undo step takes the whole import back.
    window.session.undo_stack.undo()
    assert cell_text(grid, "T1", FOLLOW_UP) == ""
    assert window.session.undo_stack.count() == 1


def test_bad_input_is_listed_and_nothing_can_be_confirmed(qtbot, window, tmp_path):
    stranger = save(report("X-9", FOLLOW_UP, [Lesion("T1", "liver", 20.0)]), tmp_path / "x.dcm")
    not_dicom = tmp_path / "notes.txt"
    not_dicom.write_text("no")
    dialog = SrImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    for path, problem in ((not_dicom, "not a DICOM file"), (stranger, "this DICOM Patient ID")):
        _read(qtbot, dialog, path)
        model = dialog.problem_view.model()
        rows = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
        assert rows and rows[0][0] == str(path) and problem in rows[0][4]
        assert not dialog.confirm_button.isEnabled()
        assert "nothing can be imported" in dialog.status.text()
    assert window.session.undo_stack.count() == 0


def test_the_file_menu_opens_the_import(qtbot, window):
    action = next(
        a
        for a in window.menuBar().actions()[0].menu().actions()
        if a.text() == "Import measurements from &DICOM SR…"
    )
    assert action.statusTip()
    opened = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        opened.append(type(dialog))
        dialog.reject()

    QTimer.singleShot(0, close_it)
    action.trigger()
    assert opened == [SrImportDialog]


def test_an_unlabelled_lesion_is_matched_by_typing_the_studys_label(qtbot, window, tmp_path):
    path = save(report("P01", FOLLOW_UP, [Lesion("", "liver", 41.0)], style="ohif"),
                tmp_path / "unlabelled.dcm")  # fmt: skip
    dialog = SrImportDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _read(qtbot, dialog, path)
    assert _shown(dialog)[_row_of(dialog, "N1")][3:6] == ("new", "41 mm", "new")
    view = dialog.preview_view
    index = view.model().index(_row_of(dialog, "N1"), LESION_COLUMN)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(index)
    editor.selectAll()
    qtbot.keyClicks(editor, "T1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: all(row[2] != "N1" for row in _shown(dialog)), timeout=2000)
    row = _shown(dialog)[_row_of(dialog, "T1")]
    assert row[3:6] == ("target", "41 mm", "new") and row[8] == "matched by the reader's choice"
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert cell_text(window.patient_page.grid, "T1", FOLLOW_UP) == "41"
