"""Cohort plots: pyqtgraph panels drawn from `model.plot_data`, shown on screen and exported.

- `cohort_plots.CohortPlots`: the four plots as cohort-page tabs, fed a `StudyAnalysis`.
- `waterfall`, `spider`, `swimmer`, `kaplan_meier`: one panel class and item builders each;
  run a module (`python -m gui.plots.waterfall`) to see it with sample data.
- `export.export_plot(panel, path)`: PNG (300 dpi), SVG or PDF at journal column width.
- `palette`: arm colours, marker styles and text sizes; response colours are `gui.palette`.
"""
