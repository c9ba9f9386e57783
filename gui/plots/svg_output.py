"""Rewriting Qt's SVG so that other programs (Illustrator, Inkscape, browsers, LaTeX) draw it
as Qt does.

`QSvgGenerator` writes a curve in data coordinates inside a group whose transform
scales x and y very differently (18 and -248 for a survival curve), relying on
`vector-effect="non-scaling-stroke"` (SVG Tiny 1.2) to keep the line 2 px wide.
A program that ignores that attribute scales the stroke with the data, and the
curve becomes a filled band. Here such a group's coordinates are multiplied
out, so its strokes are plain strokes in figure units; consecutive segments of
one line are joined into one polyline; and the text's font family gets
fallbacks for machines without Liberation Sans. No Qt here: plain XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from gui.plots.fonts import FAMILY, SVG_FALLBACKS

SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_ROOT_TAG = re.compile(r"<svg\b[^>]*>")
_TAG = re.compile(r"^\{[^}]*\}")
_MATRIX = re.compile(r"^\s*matrix\(([^)]*)\)\s*$")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

#: Shapes whose coordinates can be multiplied out of their group's transform.
_SHAPES = {"polyline", "polygon", "path"}

#: Attributes of a font, left out of groups: Qt writes them on each text too.
_FONT_ATTRIBUTES = ("font-family", "font-size", "font-weight", "font-style")

Matrix = tuple[float, float, float, float, float, float]


def clean_svg(path: Path) -> None:
    """Rewrite the SVG file at `path` in place: strokes without transforms, font fallbacks."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    original = path.read_text(encoding="utf-8")
    root = ET.fromstring(original)
    for group in list(root.iter(f"{{{SVG_NS}}}g")):
        _flatten(group)
        _join_polylines(group)
    _drop_empty_groups(root)
    families = ", ".join([f"'{FAMILY}'", *SVG_FALLBACKS])
    for element in root.iter():
        if _name(element) == "g":
            # Qt names the painter's font on every group; each text names its own.
            for attribute in _FONT_ATTRIBUTES:
                element.attrib.pop(attribute, None)
        elif element.get("font-family") in (FAMILY, f"'{FAMILY}'"):
            element.set("font-family", families)
    text = ET.tostring(root, encoding="unicode")
    # Qt's own root tag, whose size in mm comes first, for readers that look for it there.
    start = _ROOT_TAG.search(original)
    if start is not None:
        text = _ROOT_TAG.sub(lambda _: start.group(0), text, count=1)
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + text, encoding="utf-8")


def _name(element: ET.Element) -> str:
    return _TAG.sub("", element.tag)


def _flatten(group: ET.Element) -> None:
    """Multiply a group's transform into its shapes, when they all are non-scaling strokes."""
    matrix = _matrix(group.get("transform", ""))
    shapes = list(group)
    if matrix is None or not shapes or any(_name(s) not in _SHAPES for s in shapes):
        return
    stroked = group.get("stroke", "none") != "none"
    if stroked and any(s.get("vector-effect") != "non-scaling-stroke" for s in shapes):
        return
    new = {}
    for shape in shapes:
        if _name(shape) == "path":
            d = _transform_path(shape.get("d", ""), matrix)
            if d is None:
                return
            new[shape] = ("d", d)
        else:
            new[shape] = ("points", _transform_points(shape.get("points", ""), matrix))
    for shape, (attribute, value) in new.items():
        shape.set(attribute, value)
        shape.attrib.pop("vector-effect", None)
    group.attrib.pop("transform")


def _matrix(text: str) -> Matrix | None:
    match = _MATRIX.match(text)
    if match is None:
        return None
    values = [float(v) for v in _NUMBER.findall(match.group(1))]
    return tuple(values) if len(values) == 6 else None  # type: ignore[return-value]


def _apply(matrix: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _transform_points(points: str, matrix: Matrix) -> str:
    values = [float(v) for v in _NUMBER.findall(points)]
    pairs = (_apply(matrix, x, y) for x, y in zip(values[::2], values[1::2], strict=True))
    return " ".join(f"{_number(x)},{_number(y)}" for x, y in pairs)


def _transform_path(d: str, matrix: Matrix) -> str | None:
    """The path with every point transformed; None for a command other than absolute M, L, C, Z
    (Qt writes only those)."""
    out: list[str] = []
    numbers: list[float] = []
    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            if token not in "MLCZ":
                return None
            if len(numbers) % 2:
                return None
            out += _pairs(numbers, matrix)
            numbers = []
            out.append(token)
        else:
            numbers.append(float(token))
    if len(numbers) % 2:
        return None
    out += _pairs(numbers, matrix)
    return " ".join(out)


def _pairs(numbers: list[float], matrix: Matrix) -> list[str]:
    points = (_apply(matrix, x, y) for x, y in zip(numbers[::2], numbers[1::2], strict=True))
    return [f"{_number(x)},{_number(y)}" for x, y in points]


def _join_polylines(group: ET.Element) -> None:
    """Join consecutive polylines of a group where one ends where the next begins."""
    previous = None
    for shape in list(group):
        if _name(shape) != "polyline" or shape.get("fill", "none") != "none":
            previous = None
            continue
        points = shape.get("points", "").split()
        if previous is not None and points and previous.get("points", "").split()[-1] == points[0]:
            previous.set("points", previous.get("points", "").rstrip() + " " + " ".join(points[1:]))
            group.remove(shape)
        else:
            previous = shape


def _drop_empty_groups(root: ET.Element) -> None:
    """Remove the groups without content that Qt writes for every state change."""
    for parent in list(root.iter()):
        for child in list(parent):
            if _name(child) == "g" and len(child) == 0 and not (child.text or "").strip():
                parent.remove(child)
