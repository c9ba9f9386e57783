"""Propensity score matching in the app (issue 18, item 1): the Match button opens the Match
dialog; the matched set is stored in the study as a named analysis set (one undoable,
audited edit); its balance is drawn as a love plot and every analysis is shown for all
patients and for the matched set side by side: the before/after table (ORR/DCR, PFS
log-rank, hazard ratio, Cox and the Cox stratified on the pairs), Table 1 and Kaplan-Meier
PFS. The numbers are model/analyses/matched.py's; nothing is computed here.
"""

from __future__ import annotations

import getpass
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.dialogs.match_dialog import MatchDialog
from gui.pages.outcome_tables import TableView
from gui.pages.study_page import RefreshedWhenShown
from gui.session import StudySession
from model.analyses.table import ARM, analysis_table, covariate_names
from model.errors import InputError


class MatchingView(RefreshedWhenShown, QWidget):
    """The Match button, the matched set shown, and its tabs."""

    #: A matched set's views were shown (its name), once computed off the GUI thread.
    views_shown = Signal(str)

    def __init__(self, session: StudySession, parent: QWidget | None = None):
        super().__init__(parent)
        self._session = session
        self.match_button = QPushButton("Match…")
        self.match_button.setObjectName("match_button")
        self.match_button.setStatusTip(
            "Make a propensity score matched set: treated arm, covariates and caliper"
        )
        self.match_button.clicked.connect(self._on_match_clicked)
        self.set_choice = QComboBox()
        self.set_choice.setObjectName("matched_set")
        self.set_choice.setStatusTip("The matched set compared with all patients")
        self.set_choice.currentIndexChanged.connect(self._show_chosen)
        self.recipe = QLabel()
        self.recipe.setObjectName("matched_recipe")
        self.recipe.setWordWrap(True)
        self.comparison = TableView("matched_comparison")
        self.balance = TableView("balance_table")
        self.table1 = (TableView("table1_before"), TableView("table1_after"))
        self.cox = (TableView("cox_before"), TableView("cox_after"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("matching_tabs")
        self.tabs.addTab(self.comparison, "Before / after")
        # The plots are made on first show (`_make_plots`): pyqtgraph loads only then.
        self._balance_tab, self._km_tab = _holder(), _holder()
        self.love = None
        self.km: tuple = ()
        self.tabs.addTab(self._balance_tab, "Balance")
        self.tabs.addTab(_side_by_side(*self.table1), "Table 1")
        self.tabs.addTab(self._km_tab, "Kaplan-Meier PFS")
        self.tabs.addTab(_side_by_side(*self.cox), "Cox")
        bar = QHBoxLayout()
        bar.addWidget(self.match_button)
        bar.addWidget(QLabel("Matched set"))
        bar.addWidget(self.set_choice)
        bar.addWidget(self.recipe, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self._sets: list = []
        self._generation = 0
        self._task = None
        session.study_changed.connect(self._on_study_changed)
        session.study_replaced.connect(self._on_study_changed)

    def _make_plots(self) -> None:
        """Make the love plot and the two Kaplan-Meier plots, once; returns nothing."""
        if self.love is not None:
            return
        from gui.plots.kaplan_meier import KaplanMeierPlot
        from gui.plots.love import LovePlot

        self.love = LovePlot()
        self._balance_tab.layout().addWidget(_side_by_side(_with_export(self.love), self.balance))
        self.km = (KaplanMeierPlot(), KaplanMeierPlot())
        self._km_tab.layout().addWidget(_side_by_side(*(_with_export(p) for p in self.km)))

    def reread(self) -> None:
        """Read the study's matched sets and show the chosen one; returns nothing."""
        from model.analyses.matched import matched_sets

        self._make_plots()
        chosen = self.set_choice.currentText()
        self._sets = matched_sets(self._session.store.analysis_sets())
        self.set_choice.blockSignals(True)
        self.set_choice.clear()
        self.set_choice.addItems([s.name for s in self._sets])
        if chosen in [s.name for s in self._sets]:
            self.set_choice.setCurrentText(chosen)
        self.set_choice.blockSignals(False)
        self._show_chosen()

    def _show_chosen(self, *_args) -> None:
        """Compute the chosen set's views off the GUI thread (gui/tasks.py), then show them;
        a result that arrives after another choice is dropped."""
        from gui.tasks import Task
        from model.analyses.matched import matched_set_views

        self._generation += 1
        index = self.set_choice.currentIndex()
        if index < 0:
            self._show_nothing()
            return
        generation, matched = self._generation, self._sets[index]
        analysis, saved = self._session.analysis(), self._session.store.analysis_sets()
        self.recipe.setText("Computing…")
        task = Task(lambda _progress: matched_set_views(analysis, matched, saved), self)
        task.finished.connect(lambda views: self._on_views_done(generation, matched, views))
        task.failed.connect(lambda error: self._on_views_failed(generation, error))
        self._task = task
        task.start()

    def _on_views_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        if not isinstance(error, InputError):
            raise error
        self._show_nothing()
        self.recipe.setText(f"⚠ {error}")

    def _show_nothing(self) -> None:
        self.recipe.setText("No matched set yet: Match… makes one.")
        for view in (self.comparison, self.balance, *self.table1, *self.cox):
            view.set_table(None)

    def _on_views_done(self, generation: int, matched, views: dict) -> None:
        from model.exports.manuscript import (
            balance_table,
            comparison_table,
            cox_table,
            table1_table,
        )
        from model.plot_data.love import love_data

        if generation != self._generation:
            return
        document, result = views["match"], views["comparison"]
        self.comparison.set_table(comparison_table(result))
        self.balance.set_table(balance_table(document))
        self.love.set_data(love_data(document))
        titles = ("All patients", f"Matched set {matched.name}")
        for view, side, title in zip(self.table1, ("before", "after"), titles, strict=True):
            view.set_table(table1_table(result[side]["table1"], title=f"Table 1: {title}"))
        for view, side, title in zip(self.cox, ("before", "after"), titles, strict=True):
            cox = result[side]["cox_adjusted"]
            view.set_table(None if cox is None else cox_table(cox, title=f"Cox PFS: {title}"))
        for plot, data, title in zip(self.km, views["km"], titles, strict=True):
            plot.set_data(data)
            plot.set_texts(replace(plot.texts(), title=title))
        self.recipe.setText(_recipe_text(matched, document["stale"]))
        self.views_shown.emit(matched.name)

    def _on_match_clicked(self) -> None:
        analysis = self._session.analysis()
        table = analysis_table(analysis)
        labels = {v.name: v.label for v in analysis.data.variables if v.label}
        covariates = [(n, f"{labels[n]} ({n})" if n in labels else n)
                      for n in covariate_names(table) if n != ARM]  # fmt: skip
        taken = {s.name for s in self._sets}
        name = next(f"PSM {i}" if i else "PSM" for i in range(100) if
                    (f"PSM {i}" if i else "PSM") not in taken)  # fmt: skip
        dialog = MatchDialog(analysis.arms, covariates, name, self.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.make_set(dialog.choice())

    def make_set(self, choice) -> None:
        """Match as `choice` (gui.dialogs.match_dialog.MatchChoice) says and store the set;
        a refusal is announced by the session, never raised."""
        from model.analyses.matched import make_matched_set, new_recipe

        who = self._session.viewer or getpass.getuser()
        recipe = new_recipe(choice.treated_arm, choice.covariates, who,
                            caliper=choice.caliper, caliper_sd=choice.caliper_sd)  # fmt: skip
        try:
            edit, _ = make_matched_set(self._session.analysis(), choice.name, recipe,
                                       self._session.store.analysis_sets())  # fmt: skip
        except InputError as error:
            self._session.refuse(str(error))
            return
        if self._session.submit(edit, f"Make matched set {choice.name}"):
            self._stale = True
            self.refresh()
            self.set_choice.setCurrentText(choice.name)


def _holder() -> QWidget:
    """An empty tab whose layout takes its widgets later."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    return box


def _with_export(panel: QWidget) -> QWidget:
    """The plot `panel` under a bar with its Export… button."""
    from gui.plots.cohort_plots import export_button

    bar = QHBoxLayout()
    bar.addStretch(1)
    bar.addWidget(export_button(panel))
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(bar)
    layout.addWidget(panel, 1)
    return box


def _side_by_side(left: QWidget, right: QWidget) -> QSplitter:
    splitter = QSplitter()
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setSizes([10_000, 10_000])  # halves, whatever each side would rather have
    return splitter


def _recipe_text(matched, stale: bool) -> str:
    recipe = matched.recipe
    if recipe.caliper is not None:
        caliper = f"caliper {recipe.caliper:g}"
    elif recipe.caliper_sd is not None:
        caliper = f"caliper {recipe.caliper_sd:g} SD"
    else:
        caliper = "no caliper"
    text = (f"{len(matched.members) // 2} pairs: {recipe.treated_arm} against the other arms "
            f"on {', '.join(recipe.covariates)}; {caliper}; made {recipe.made_on} by "
            f"{recipe.made_by}.")  # fmt: skip
    if stale:
        text += " ⚠ The data changed since: the recipe now gives other pairs."
    return text
