"""Export, save-as and opening studies from the File menu (interchange spec, export/import)."""

from __future__ import annotations

from model.interchange.study_files import read_study
from tests.gui.conftest import small_study


def test_export_writes_files_that_read_back_as_the_study(qtbot, window, tmp_path):
    """Export then import gives the same study (interchange spec, Headless commands)."""
    target = tmp_path / "export"
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=5000):
        window.files.export(target)
    assert "Exported" in window.statusBar().currentMessage()
    data = read_study(target)
    assert {p.patient_id for p in data.patients} == {p.patient_id for p in small_study().patients}
    assert len(data.measurements) == len(small_study().measurements)


def test_save_as_continues_on_the_copy(qtbot, window, tmp_path):
    """Save as copies every edit so far and opens the copy; the original stays as it was."""
    from tests.gui.conftest import FOLLOW_UP
    from tests.gui.grid_helpers import response, type_into

    type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "35")
    original = window.session.path
    window.files.copy_to(tmp_path / "copy.nadir")
    assert window.windowTitle() == "Nadir — copy.nadir"
    window.show_patient("P01")
    assert response(window.patient_page, "Overall", FOLLOW_UP) == "PR"
    assert window.files.recent_menu.actions()[1].text() == original


def test_a_file_that_is_not_a_study_is_refused(qtbot, window, tmp_path, monkeypatch):
    """Opening a file that is not a Nadir study says so and keeps the open study."""
    from PySide6.QtWidgets import QMessageBox

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    junk = tmp_path / "junk.nadir"
    junk.write_text("not a database")
    assert not window.files.open_path(str(junk))
    assert warnings and "not a Nadir study" in warnings[0]
    assert window.windowTitle() == "Nadir — small.nadir"


def test_a_study_another_nadir_writes_opens_read_only(qtbot, study_path):
    """A second Nadir may read a study the first writes, never change it
    (model/store/locking.py).
    """
    import subprocess
    import sys
    from pathlib import Path

    from gui.app import build_main_window
    from tests.gui.conftest import FOLLOW_UP
    from tests.gui.grid_helpers import cell_text, type_into

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(study_path)],
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        window = build_main_window(str(study_path))
        qtbot.addWidget(window)
        assert window.windowTitle() == "Nadir — small.nadir (read-only)"
        # Said on the page too, not only in the title (issue 15, item 5).
        assert not window.read_only_bar.isHidden()
        assert "nothing typed here is saved" in window.read_only_bar.text()
        window.show_patient("P01")
        type_into(qtbot, window.patient_page, "T1", FOLLOW_UP, "35")
        assert cell_text(window.patient_page.grid, "T1", FOLLOW_UP) == ""
        assert "Not saved" in window.statusBar().currentMessage()
        window.close()
    finally:
        holder.communicate("", timeout=30)


#: A process that opens a study for writing and holds it until its stdin closes.
HOLD_LOCK = """
import sys
from model.store.study import Store
store = Store.open(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()
store.close()
"""


def test_closing_the_window_closes_the_study_and_releases_its_lock(qtbot, window, study_path):
    """Quitting leaves no lock behind for the next Nadir (model/store/locking.py)."""
    lock = study_path.with_name(study_path.name + ".lock")
    assert lock.exists()
    window.close()
    assert not lock.exists()


def test_a_value_still_being_typed_is_saved_when_the_window_closes(qtbot, window, study_path):
    """There is no Save to forget: closing writes what the open editor holds (issue #4)."""
    from model.store.study import Store
    from tests.gui.conftest import FOLLOW_UP
    from tests.gui.grid_helpers import go_to

    page = window.patient_page
    index = go_to(page, "T1", FOLLOW_UP)
    qtbot.keyClicks(page.grid, "3")
    qtbot.keyClicks(page.grid.indexWidget(index), "7")
    window.close()
    with Store.open(study_path, create=False) as store:
        rows = store.patient_data("P01").measurements
    assert [(m.lesion_id, m.diameter_mm) for m in rows if m.scan_date == FOLLOW_UP] == [
        ("T1", 37.0)
    ]
