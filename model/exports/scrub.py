"""Dates inside free text that a pseudonymised export keeps: moved like the patient's dates, or
removed where they cannot be.

A kept note ("relapse 2024-03-05, see letter of 12/03/2024") would tell the
real calendar date its patient's shifted dates hide. ISO dates (YYYY-MM-DD)
move by the patient's offset; every other way of writing a date (12/03/2024,
12.03.24, 2024/03/12, 12 March 2024, March 12, 2024) is replaced by `[date]`,
since which of day and month comes first cannot be told. Issue 14, attack 7.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: What a date that cannot be moved becomes.
REMOVED = "[date]"

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_OTHER = re.compile(
    r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)"
    r"|(?<!\d)\d{4}[./]\d{1,2}[./]\d{1,2}(?!\d)"
    rf"|(?<!\d)\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{2,4}}(?!\d)"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)",
    re.IGNORECASE,
)


def scrubbed(text: str, shift: timedelta | None) -> str:
    """Returns `text` with its ISO dates moved by `shift` (removed when None, or when moved
    out of the calendar) and every other written date removed."""
    text = _OTHER.sub(REMOVED, text)
    return _ISO.sub(lambda match: _moved(match, shift), text)


def _moved(match: re.Match[str], shift: timedelta | None) -> str:
    if shift is None:
        return REMOVED
    try:
        return (date(*map(int, match.groups())) + shift).isoformat()
    except (ValueError, OverflowError):
        return REMOVED
