"""Cohort plots: pyqtgraph panels drawn from `model.plot_data`, shown on screen and exported.

- `cohort_plots.CohortPlots`: the four plots as cohort-page tabs, fed a `StudyAnalysis`.
- `waterfall`, `spider`, `swimmer`, `kaplan_meier`: one panel class and item builders each;
  run a module (`python -m gui.plots.waterfall`) to see it with sample data.
- `export.export_plot(panel, path)`: PNG (300 dpi), SVG or PDF at the panel's journal size
  (`export_width_mm`, `export_height_mm`: one or two columns, at most a page high).
- `legend`: where a legend goes: in a corner of the plot the data leave empty, else above it.
- `report_figures`: the report's five figures as files (`main.py report --out`).
- `palette`: arm colours, marker styles, text and figure sizes; response colours are
  `gui.palette`.
"""
