"""Everything a user can trigger or set says what it does (style practices 10 and 12)."""

from __future__ import annotations

from PySide6.QtGui import QAction

from gui.settings import UI_SETTINGS


def test_every_action_has_a_status_tip(window):
    """Each QAction has a statusTip, as in Qt's application example (style practice 12)."""
    actions = window.findChildren(QAction)
    assert len(actions) > 15
    missing = [a.text() for a in actions if a.text() and not a.isSeparator() and not a.statusTip()]
    assert missing == []


def test_frequent_actions_have_shortcuts(window):
    """Undo, redo, open, import, override and moving between patients have keys (issue #4)."""
    keyed = {
        a.text().replace("&", ""): a.shortcut().toString() for a in window.findChildren(QAction)
    }
    for name in ("Open study…", "Import…", "Override response…", "Next patient", "Add scan…"):
        assert keyed[name], name
    assert any(text.startswith("Undo") and key for text, key in keyed.items())


def test_every_ui_setting_is_documented():
    """Each per-user setting has a help text (style practice 10)."""
    assert UI_SETTINGS
    assert all(setting.help.strip() for setting in UI_SETTINGS)


def test_recent_studies_are_newest_first_without_repeats_and_at_most_eight(tmp_path):
    """The recent list keeps the last MAX_RECENT distinct studies (style practice 10)."""
    from PySide6.QtCore import QSettings

    from gui.settings import MAX_RECENT, UiSettings

    settings = UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    for n in range(10):
        settings.add_recent_study(f"/studies/{n}.nadir")
    settings.add_recent_study("/studies/5.nadir")
    recent = settings.recent_studies()
    assert recent[:2] == ["/studies/5.nadir", "/studies/9.nadir"]
    assert len(recent) == MAX_RECENT == len(set(recent))
