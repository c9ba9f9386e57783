"""Pages that re-read the whole study only while they are shown."""

from __future__ import annotations


class RefreshedWhenShown:
    """Mixin (before QWidget) for a page computed from the whole study: a study change marks
    it stale; it re-reads at once when visible, else on its next show, so that typing in the
    grid does not recompute the cohort behind the user's back. Subclasses define `reread()`."""

    _stale = True

    def refresh(self) -> None:
        """Re-read the study if it changed since last shown; returns nothing."""
        if self._stale:
            self._stale = False
            self.reread()

    def reread(self) -> None:
        """Read the study and show it; returns nothing."""
        raise NotImplementedError

    def _on_study_changed(self, *_args) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
