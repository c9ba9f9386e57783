"""File > Report… writes the study's summary, figures and PDF from the app, on the study the
app holds open, with progress and Cancel (issue 15, item 3)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from gui.dialogs.report_dialog import ReportDialog


def _drive(qtbot, out, figures: bool, then) -> dict:
    """When File > Report… opens: type the folder, choose, Enter, wait, then `then(dialog)`."""
    seen: dict = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReportDialog)
        dialog.figures.setChecked(figures)
        dialog.folder.clear()
        qtbot.keyClicks(dialog.folder, str(out))
        qtbot.keyClick(dialog.folder, Qt.Key.Key_Return)
        then(dialog, seen)
        dialog.reject()

    QTimer.singleShot(0, drive)
    return seen


def test_file_report_writes_the_pdf_of_the_open_study(qtbot, window, tmp_path):
    out = tmp_path / "report"

    def wait(dialog, seen) -> None:
        qtbot.waitUntil(lambda: "Wrote" in dialog.status.text(), timeout=60_000)
        seen["status"] = dialog.status.text()

    seen = _drive(qtbot, out, figures=False, then=wait)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert "Wrote 3 file(s)" in seen["status"]
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "summary.json").stat().st_size > 0
    assert not (out / "waterfall.png").exists()  # figures were not chosen


def test_a_report_can_be_cancelled(qtbot, window, tmp_path):
    out = tmp_path / "report"

    def cancel(dialog, seen) -> None:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Cancelled" in dialog.status.text(), timeout=60_000)
        seen["status"] = dialog.status.text()

    seen = _drive(qtbot, out, figures=True, then=cancel)
    window.files.write_report()
    assert seen["status"].startswith("Cancelled")
    assert not (out / "report.pdf").exists()
