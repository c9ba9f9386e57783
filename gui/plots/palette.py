"""Colours, marker shapes and text sizes of the cohort plots, shared by screen and print.

Response colours are `gui.palette.RESPONSE_COLOURS` (Okabe-Ito), the same as in
the tables; arms take other Okabe-Ito hues in order of first appearance.
Text sizes are in pixels of a 96-dpi figure, so a figure exported at a journal
size prints its tick labels at about 8 pt, whatever the figure's width.
"""

from __future__ import annotations

from collections.abc import Iterable

from gui.palette import OKABE_ITO, RESPONSE_COLOURS

#: Response codes in the order of the best-response ranking (interchange spec,
#: "Best overall response" and iRECIST), for legends.
RESPONSE_ORDER = (
    "CR",
    "iCR",
    "PR",
    "iPR",
    "SD",
    "iSD",
    "NON-CR/NON-PD",
    "NON-iCR/NON-iUPD",
    "NED",
    "PD",
    "iUPD",
    "iCPD",
    "NE",
)

#: Colour of a response code the palette does not know.
UNKNOWN_COLOUR = OKABE_ITO["grey"]

#: Arm colours, given to arms in name order so an arm keeps its colour in every plot;
#: hues chosen to differ under colour-vision deficiency.
ARM_COLOURS = tuple(
    OKABE_ITO[name]
    for name in ("blue", "orange", "bluish_green", "reddish_purple", "sky_blue", "vermillion")
)

#: Outline of bars and symbols, so that pale hues (yellow SD) stand out on white paper.
OUTLINE = "#333333"

#: Dark grey of reference lines, axes and text.
INK = "#222222"

#: Journal figure sizes in mm: one column, two columns (the full text width), and the
#: tallest figure a page holds under its caption (174 x 230 mm is the usual maximum).
COLUMN_MM = 85.0
DOUBLE_COLUMN_MM = 174.0
PAGE_HEIGHT_MM = 230.0

#: Pixel sizes of text in a figure laid out at 96 dpi.
TEXT_PX = 12
TICK_PX = 11
SMALL_PX = 10

#: Symbol and colour of each swimmer marker kind (model.plot_data.MARKER_KINDS).
MARKER_STYLES = {
    "response": ("t1", OKABE_ITO["bluish_green"]),
    "progression": ("t", OKABE_ITO["vermillion"]),
    "death": ("x", OKABE_ITO["black"]),
    "procedure": ("d", OKABE_ITO["yellow"]),
    "surgery": ("s", OKABE_ITO["reddish_purple"]),
    "adverse_event": ("star", OKABE_ITO["black"]),
}

#: Legend words of each swimmer marker kind.
MARKER_NAMES = {
    "response": "First response (CR/PR)",
    "progression": "Progression",
    "death": "Death",
    "procedure": "Procedure",
    "surgery": "Surgery",
    "adverse_event": "Adverse event, grade 3+",
}


def response_colour(code: str | None) -> str:
    """Return the hex colour of a response code, grey for an unknown one."""
    return RESPONSE_COLOURS.get(code or "", UNKNOWN_COLOUR)


def arm_colours(arms: Iterable[str]) -> dict[str, str]:
    """Return a hex colour for each distinct arm, arms in name order.

    Name order, not order of appearance, so that an arm has the same colour in
    the waterfall, spider, swimmer and Kaplan-Meier plots of any subset.
    """
    distinct = sorted(set(arms))
    return {arm: ARM_COLOURS[i % len(ARM_COLOURS)] for i, arm in enumerate(distinct)}


def responses_in_order(codes: Iterable[str]) -> list[str]:
    """Return the distinct codes present, in ranking order, unknown codes last."""
    present = set(codes)
    known = [c for c in RESPONSE_ORDER if c in present]
    return known + sorted(present - set(RESPONSE_ORDER))
