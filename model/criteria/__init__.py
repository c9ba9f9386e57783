"""Response criteria: RECIST 1.1, iRECIST and mRECIST time points, best overall response, and
the assessment entry point.
"""
