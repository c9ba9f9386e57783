"""Colours of response categories, in one place, safe for colour-blind readers.

The hues are the Okabe-Ito palette (Okabe & Ito, "Color Universal Design",
2008), which stays distinguishable under the common colour-vision deficiencies.
The plots and the tables take their colours from here so that PD is the same
vermillion everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtGui import QColor

#: Okabe-Ito hues by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

#: Hex colour of each response code (interchange spec, Response codes and iRECIST).
RESPONSE_COLOURS = {
    "CR": OKABE_ITO["blue"],
    "PR": OKABE_ITO["bluish_green"],
    "SD": OKABE_ITO["yellow"],
    "NON-CR/NON-PD": OKABE_ITO["sky_blue"],
    "NED": OKABE_ITO["reddish_purple"],
    "PD": OKABE_ITO["vermillion"],
    "NE": OKABE_ITO["grey"],
    "iCR": OKABE_ITO["blue"],
    "iPR": OKABE_ITO["bluish_green"],
    "iSD": OKABE_ITO["yellow"],
    "NON-iCR/NON-iUPD": OKABE_ITO["sky_blue"],
    "iUPD": OKABE_ITO["orange"],
    "iCPD": OKABE_ITO["vermillion"],
}

#: Codes whose background is dark enough to need white text.
_DARK = {"CR", "iCR", "PR", "iPR", "PD", "iCPD"}


def response_colour(code: str | None) -> QColor | None:
    """Return the background colour for a response code, None for no code."""
    hex_colour = RESPONSE_COLOURS.get(code or "")
    return QColor(hex_colour) if hex_colour else None


def response_text_colour(code: str | None) -> QColor | None:
    """Return a text colour readable on `response_colour(code)`, None for no code."""
    if (code or "") not in RESPONSE_COLOURS:
        return None
    return QColor("#FFFFFF") if code in _DARK else QColor("#000000")


#: Marker of a stale override: the rules' answer under it changed since the reader decided.
STALE_MARK = "⚠"


def stale_text(stale: Mapping[date, str]) -> str:
    """Return the words for a patient's stale overrides (model: PatientAssessment.stale_overrides),
    empty when there are none: the scans, and the rules' answer at each now."""
    if not stale:
        return ""
    scans = "; ".join(
        f"{scan}: the rules now say {answer}" for scan, answer in sorted(stale.items())
    )
    return f"stale override ({scans}); confirm it (Ctrl+R, OK) or clear it (Ctrl+Shift+R)"
