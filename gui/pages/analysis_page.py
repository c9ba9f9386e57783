"""The Analysis page (issue 17): Table 1, the Cox models and the forest plot of the chosen
analysis set and endpoint, computed off the GUI thread (gui/tasks.py) by
model/analysis_results.run_analyses, the function `report` uses; each table exported as
.docx, .xlsx or .csv (model/exports/analysis_tables.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.item_models.manuscript_table_model import ManuscriptTableModel
from gui.plots.forest import ForestPlot
from gui.session import StudySession
from gui.tasks import Task
from model.analyses.results import (
    AnalysisRequest,
    AnalysisResults,
    categorical_variables,
    run_analyses,
)
from model.analyses.sets import ALL, set_names
from model.analyses.table import ARM, PAIR, covariate_names
from model.errors import InputError
from model.exports.analysis_tables import analysis_tables, write_table
from model.exports.manuscript import cox_table
from model.settings import ANALYSIS_ENDPOINTS

#: The export dialog's formats.
EXPORT_FILTER = "Word table (*.docx);;Excel sheet (*.xlsx);;CSV (*.csv)"
#: What the strata box shows for no strata.
NO_STRATA = "(none)"


def _table_view() -> QTableView:
    view = QTableView()
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class AnalysisPage(QWidget):
    """Set and endpoint pickers over three tabs: Table 1, Cox, Forest."""

    #: New results were shown (for tests and the status bar).
    results_shown = Signal(object)

    def __init__(self, session: StudySession, parent=None):
        super().__init__(parent)
        self._session = session
        self._generation = 0
        self._task: Task | None = None
        self.results: AnalysisResults | None = None
        self._references: dict[str, str] = {}
        self.set_box, self.endpoint_box = QComboBox(), QComboBox()
        self.set_box.setObjectName("analysis_set")
        self.endpoint_box.addItems(ANALYSIS_ENDPOINTS)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._table1_tab(), "Table 1")
        self.tabs.addTab(self._cox_tab(), "Cox models")
        self.tabs.addTab(self._forest_tab(), "Forest plot")
        pickers = QHBoxLayout()
        for label, box in (("Analysis set", self.set_box), ("Endpoint", self.endpoint_box)):
            pickers.addWidget(QLabel(label))
            pickers.addWidget(box)
        pickers.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.status)
        # The tables scroll rather than widen the window past a small screen (1366 x 768 at 150 %).
        self.tabs.setMinimumWidth(360)
        layout.addWidget(self.tabs, 1)
        self.set_box.activated.connect(self.recompute)
        self.endpoint_box.activated.connect(self.recompute)
        session.study_changed.connect(self._on_study_changed)
        session.study_replaced.connect(self._on_study_changed)
        self._fill_sets()

    def _table1_tab(self) -> QWidget:
        self.table1_model = ManuscriptTableModel(self)
        self.table1_view = _table_view()
        self.table1_view.setModel(self.table1_model)
        return self._with_export(self.table1_view, "table1")

    def _cox_tab(self) -> QWidget:
        self.covariate_list = QListWidget()
        self.covariate_list.setObjectName("covariates")
        self.factor_box, self.reference_box = QComboBox(), QComboBox()
        self.strata_box = QComboBox()
        self.enter_by_p = QCheckBox("Enter by screen p <")
        self.enter_threshold = QDoubleSpinBox(decimals=3, minimum=0.001, maximum=1.0,
                                              singleStep=0.05, value=0.1)  # fmt: skip
        self.fit_button = QPushButton("&Fit models")
        form = QFormLayout()
        form.addRow("Covariates", self.covariate_list)
        form.addRow("Factor", self.factor_box)
        form.addRow("Reference level", self.reference_box)
        form.addRow("Strata", self.strata_box)
        form.addRow(self.enter_by_p, self.enter_threshold)
        form.addRow(self.fit_button)
        choices = QWidget()
        choices.setLayout(form)
        self.screen_model, self.multi_model = ManuscriptTableModel(self), ManuscriptTableModel(self)
        self.screen_view, self.multi_view = _table_view(), _table_view()
        self.screen_view.setModel(self.screen_model)
        self.multi_view.setModel(self.multi_model)
        tables = QSplitter(Qt.Orientation.Horizontal)
        for title, view in (("Univariable screen", self.screen_view),
                            ("Multivariable model", self.multi_view)):  # fmt: skip
            box = QWidget()
            column = QVBoxLayout(box)
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(view)
            tables.addWidget(box)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(choices)
        splitter.addWidget(tables)
        splitter.setStretchFactor(1, 1)
        self.factor_box.currentTextChanged.connect(self._show_levels)
        self.reference_box.activated.connect(self._on_reference_chosen)
        self.fit_button.clicked.connect(self.recompute)
        return self._with_export(splitter, "cox")

    def _forest_tab(self) -> QWidget:
        self.subgroup_list = QListWidget()
        self.subgroup_list.setObjectName("subgroups")
        self.subgroup_list.setMaximumWidth(220)
        self.subgroup_list.itemChanged.connect(self.recompute)
        self.forest_plot = ForestPlot()
        self.forest_model = ManuscriptTableModel(self)
        self.forest_view = _table_view()
        self.forest_view.setModel(self.forest_model)
        self.forest_plot.row_clicked.connect(self.forest_view.selectRow)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.forest_plot)
        right.addWidget(self.forest_view)
        right.setStretchFactor(0, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.subgroup_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        return self._with_export(splitter, "forest")

    def _with_export(self, body: QWidget, stem: str) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(body, 1)
        button = QPushButton("&Export table…")
        button.setToolTip("Write this table as a Word table, an Excel sheet or CSV")
        button.clicked.connect(lambda: self.export_table(stem))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        layout.addLayout(row)
        return tab

    def _fill_sets(self) -> None:
        current = self.set_box.currentText() or ALL
        self.set_box.clear()
        self.set_box.addItems(set_names(self._session.store.analysis_sets()))
        self.set_box.setCurrentText(current)
        self.endpoint_box.setCurrentText(self._session.store.settings().analysis_endpoint)

    def _on_study_changed(self, *_args) -> None:
        self._fill_sets()
        if self.isVisible():
            self.recompute()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.results is None:
            self.recompute()

    def request(self) -> AnalysisRequest:
        """The analyses the page's controls ask for."""
        checked = _checked(self.covariate_list)
        strata = self.strata_box.currentText()
        return AnalysisRequest(
            analysis_set=self.set_box.currentText() or ALL,
            endpoint=self.endpoint_box.currentText(),
            covariates=tuple(checked),
            references={k: v for k, v in self._references.items() if k in checked},
            strata=None if strata in ("", NO_STRATA) else strata,
            enter_p=self.enter_threshold.value() if self.enter_by_p.isChecked() else None,
            subgroups=tuple(_checked(self.subgroup_list)),
        )

    def recompute(self, *_args) -> None:
        """Run the analyses of the controls off the GUI thread; the newest result is shown."""
        self._generation += 1
        generation, request = self._generation, self.request()
        analysis, saved = self._session.analysis(), self._session.store.analysis_sets()
        self.status.setText("Computing…")
        task = Task(lambda _progress: run_analyses(analysis, saved, request), self)
        task.finished.connect(lambda results: self._show(generation, results))
        task.failed.connect(lambda error: self._fail(generation, error))
        self._task = task
        task.start()

    def _fail(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            if not isinstance(error, InputError):
                raise error
            self.status.setText(str(error))

    def _show(self, generation: int, results: AnalysisResults) -> None:
        if generation != self._generation:
            return
        self.results = results
        tables = analysis_tables(results)
        self.table1_model.set_table(tables["table1"])
        references = {n: c.reference for n, c in results.table.columns.items() if c.levels}
        self.screen_model.set_table(results.univariable and cox_table(
            univariable=results.univariable, references=references))  # fmt: skip
        self.multi_model.set_table(results.multivariable and cox_table(
            results.multivariable, references=references))  # fmt: skip
        self.forest_model.set_table(tables.get("forest"))
        if results.forest:
            self.forest_plot.set_data(results.forest)
        for view in (self.table1_view, self.screen_view, self.multi_view, self.forest_view):
            view.resizeColumnsToContents()
        self._fill_choices(results)
        n = len(results.table)
        self.status.setText("; ".join((f"{n} patients", *results.problems)))
        self.results_shown.emit(results)

    def _fill_choices(self, results: AnalysisResults) -> None:
        """Offer the table's columns as covariates, factors, strata and subgroups, keeping
        what the user chose."""
        table = results.table
        names = [c for c in covariate_names(table)]
        _fill_checklist(self.covariate_list, names, set(results.covariates) or
                        set(self.request().covariates))  # fmt: skip
        subgroups = categorical_variables(table)
        _fill_checklist(self.subgroup_list, subgroups, set(self.request().subgroups))
        factors = [n for n in names if table.columns[n].kind == "categorical"]
        _refill(self.factor_box, factors)
        _refill(self.strata_box, [NO_STRATA, *([PAIR] if PAIR in table.columns else []),
                                  *[f for f in factors if f != ARM]])  # fmt: skip
        self._show_levels(self.factor_box.currentText())

    def _show_levels(self, factor: str) -> None:
        column = self.results.table.columns.get(factor) if self.results else None
        _refill(self.reference_box, list(column.levels) if column else [])
        if column:
            self.reference_box.setCurrentText(column.reference or "")

    def _on_reference_chosen(self, *_args) -> None:
        factor = self.factor_box.currentText()
        if factor:
            self._references[factor] = self.reference_box.currentText()
            self.recompute()

    def export_table(self, stem: str) -> None:
        """Ask where, then write the tab's table as .docx, .xlsx or .csv."""
        tables = analysis_tables(self.results) if self.results else {}
        if stem not in tables:
            self.status.setText(f"No {stem} table to export yet")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export table", f"{stem}.docx", EXPORT_FILTER)
        if path:
            try:
                written = write_table(tables[stem], path)
            except (InputError, ValueError) as error:
                self.status.setText(str(error))
            else:
                self.status.setText(f"Wrote {written}")


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]  # fmt: skip


def _fill_checklist(widget: QListWidget, names: list[str], checked: set[str]) -> None:
    """Show `names` as checkable items, `checked` ticked, without signalling a change."""
    if [widget.item(i).text() for i in range(widget.count())] == names:
        return
    widget.blockSignals(True)
    widget.clear()
    for name in names:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        state = Qt.CheckState.Checked if name in checked else Qt.CheckState.Unchecked
        item.setCheckState(state)
        widget.addItem(item)
    widget.blockSignals(False)


def _refill(box: QComboBox, items: list[str]) -> None:
    current = box.currentText()
    box.blockSignals(True)
    box.clear()
    box.addItems(items)
    if current in items:
        box.setCurrentText(current)
    box.blockSignals(False)
