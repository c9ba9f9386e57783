"""The report summary of test_report.py (two arms of hand-made courses), for the response table."""

from tests.model.exports.test_report import summary  # noqa: F401
