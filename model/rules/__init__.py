"""The rules an import and every edit obey alike: values of records, measurement rows, baseline
variables, adverse events and surgery outcomes, and the filter words that select patients.
"""
