"""The made-up demo cohort: two arms of sarcoma patients for the first start, screenshots and
benchmarks.
"""
