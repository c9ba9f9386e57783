"""The pages of the main window: navigator, patient page, cohort page, reader comparison,
history.
"""
