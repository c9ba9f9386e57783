"""Edits of a study as values, each with its exact inverse: patients' rows, clinical data,
analysis sets, and the checks they share.
"""
