"""Merging a copy of a study back into the study it was copied from."""
