"""Help > About Nadir says which Nadir, under which licence, and where the study and the log
are: what a bug report needs first (issue 20)."""

from __future__ import annotations

from gui.dialogs.about_dialog import AboutDialog
from model.about import LICENCE, VERSION
from model.app_log import log_path
from tests.gui.grid_helpers import answer_next_dialog


def test_about_names_the_version_licence_study_and_log(window, study_path):
    (help_menu,) = (a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    (about,) = (a for a in help_menu.actions() if a.text() == "&About Nadir")
    assert about.statusTip()
    seen = {}
    answer_next_dialog(AboutDialog, lambda dialog: seen.update(dialog.facts))
    about.trigger()
    assert VERSION in seen["Version"] and LICENCE in seen["Licence"]
    assert seen["Study"] == str(study_path)
    assert seen["Log"] == str(log_path())


def test_the_application_icon_is_shipped_and_loads(qapp):
    from PySide6.QtGui import QIcon

    import resources
    from gui.app import ICON

    icon = QIcon(str(resources.path(ICON)))
    assert not icon.isNull() and icon.availableSizes()[0].width() >= 256
