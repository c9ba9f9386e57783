"""File menu actions that take data from where it already lives (issue 21): DICOM SR
measurement reports and REDCap exports. The main window adds them with one call."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from gui.actions import add_action
from gui.session import StudySession


def add_source_actions(menu: QMenu, window: QMainWindow, session: StudySession) -> None:
    """Add the import actions of other systems to `menu` (the File menu); returns nothing."""
    add_action(
        menu,
        "Import measurements from &DICOM SR…",
        lambda: import_dicom_sr(window, session),
        None,
        "Merge TID 1500 measurement reports (OHIF, 3D Slicer, PACS) into the study after a "
        "preview you confirm",
        window,
    )
    add_action(
        menu,
        "Import from RED&Cap…",
        lambda: import_redcap(window, session),
        None,
        "Import a REDCap export through the project's mapping (made once, with its editor), "
        "checked and previewed, all or nothing",
        window,
    )


def import_redcap(window: QMainWindow, session: StudySession) -> None:
    """Show the REDCap import; after an import re-read the study."""
    from pathlib import Path

    from gui.dialogs.redcap_import_dialog import RedcapImportDialog

    if not session.path:
        return
    dialog = RedcapImportDialog(Path(session.path), window)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.summary:
        session.reload()
        window.statusBar().showMessage(f"REDCap import: {dialog.summary}", 10_000)


def import_dicom_sr(window: QMainWindow, session: StudySession) -> None:
    """Show the DICOM SR import; after a confirmed import show its first patient."""
    from gui.dialogs.sr_import_dialog import SrImportDialog

    dialog = SrImportDialog(session, window)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.plan and dialog.plan.rows:
        patient_id = dialog.plan.rows[0].patient_id
        show = getattr(window, "show_patient", None)
        if show is not None:
            show(patient_id)
        window.statusBar().showMessage(f"Imported: {dialog.plan.summary()}", 10_000)
