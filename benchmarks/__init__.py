"""How Nadir's cost grows with the study, side by side with R (issue #10).

Run `python -m benchmarks.run`; docs/performance.md shows a table and explains it.
"""
