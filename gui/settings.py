"""Per-user interface state kept in QSettings, behind typed accessors.

Per-study choices (criteria, confirmation, minimum SD duration, time origin)
travel inside the study file through the store; only what belongs to this
user on this machine lives here (style practice 10).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True)
class UiSetting:
    """One per-user setting: its QSettings key, default and what it is for."""

    name: str
    default: object
    help: str


#: Every per-user setting Nadir keeps; tests check that each is documented.
UI_SETTINGS = (
    UiSetting("window/geometry", None, "Size and position of the main window."),
    UiSetting("window/state", None, "Toolbars and docks of the main window."),
    UiSetting("window/splitter", None, "Width of the navigator beside the pages."),
    UiSetting("study/recent", [], "Study files opened lately, newest first (at most 8)."),
    UiSetting("reading/name", "", "Who reads on this machine, in a study read twice (issue #7)."),
    UiSetting("reading/role", "reader", "Reader, nurse or adjudicator, in a study read twice."),
)

#: How many recent studies the File menu lists.
MAX_RECENT = 8

_DEFAULTS = {s.name: s.default for s in UI_SETTINGS}


class UiSettings:
    """Typed access to the per-user settings; `store` defaults to the application's QSettings."""

    def __init__(self, store: QSettings | None = None):
        self._store = store or QSettings("Nadir", "Nadir")

    def _bytes(self, name: str) -> QByteArray | None:
        value = self._store.value(name, _DEFAULTS[name])
        return value if isinstance(value, QByteArray) else None

    def geometry(self) -> QByteArray | None:
        """Return the saved main-window geometry, None before the first run."""
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        """Return the saved main-window state, None before the first run."""
        return self._bytes("window/state")

    def splitter(self) -> QByteArray | None:
        """Return the saved navigator splitter state, None before the first run."""
        return self._bytes("window/splitter")

    def save_window(self, geometry: QByteArray, state: QByteArray, splitter: QByteArray) -> None:
        """Remember the window's geometry, state and splitter; returns nothing."""
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)
        self._store.setValue("window/splitter", splitter)

    def recent_studies(self) -> list[str]:
        """Return the paths of recently opened studies, newest first."""
        value = self._store.value("study/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []][:MAX_RECENT]

    def add_recent_study(self, path: str) -> list[str]:
        """Put `path` first in the recent list; returns the new list."""
        recent = [path] + [p for p in self.recent_studies() if p != path]
        recent = recent[:MAX_RECENT]
        self._store.setValue("study/recent", recent)
        return recent

    def reading_as(self) -> tuple[str, str]:
        """Return (name, role) of who reads on this machine (role: reader, nurse, adjudicator)."""
        name = self._store.value("reading/name", "") or ""
        role = self._store.value("reading/role", "reader") or "reader"
        return str(name), str(role)

    def set_reading_as(self, name: str, role: str) -> None:
        """Remember who reads on this machine; returns nothing."""
        self._store.setValue("reading/name", name)
        self._store.setValue("reading/role", role)
