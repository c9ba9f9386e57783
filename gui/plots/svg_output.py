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
from functools import lru_cache
from pathlib import Path

import numpy as np

from gui.plots.fonts import FAMILY, SVG_FALLBACKS

SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_ROOT_TAG = re.compile(r"<svg\b[^>]*>")
_MATRIX = re.compile(r"^\s*matrix\(([^)]*)\)\s*$")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")

_G, _PATH, _POLYLINE = (f"{{{SVG_NS}}}{name}" for name in ("g", "path", "polyline"))
#: Shapes whose coordinates can be multiplied out of their group's transform.
_SHAPE_TAGS = {f"{{{SVG_NS}}}{name}" for name in ("polyline", "polygon", "path")}

#: Attributes of a font, left out of groups: Qt writes them on each text too.
_FONT_ATTRIBUTES = ("font-family", "font-size", "font-weight", "font-style")

Matrix = tuple[float, float, float, float, float, float]


def clean_svg(path: Path) -> None:
    """Rewrite the SVG file at `path` in place: strokes without transforms, font fallbacks."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", _XLINK_NS)
    original = path.read_text(encoding="utf-8")
    root = ET.fromstring(original)
    groups = list(root.iter(_G))
    _flatten(groups)
    for group in groups:
        _join_polylines(group)
    _drop_empty_groups(root)
    families = ", ".join([f"'{FAMILY}'", *SVG_FALLBACKS])
    for element in root.iter():
        if element.tag == _G:
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


#: A shape's coordinates: its attribute, the (command, pairs) of a path (command "" for
#: pairs before the first), and its numbers, x and y alternating.
_Coordinates = tuple[str, list[tuple[str, int]], list[float]]


def _flatten(groups: list[ET.Element]) -> None:
    """Multiply each group's transform into its shapes, when they all are non-scaling strokes.

    Every point of every such group is transformed at once (numpy) and written as before,
    point by point in Python: 2.6 s of a report's figures went to the latter (issue 19).
    """
    found = []
    for group in groups:
        flattenable = _flattenable(group)
        if flattenable is not None:
            found.append((group, *flattenable))
    if not found:
        return
    matrices = np.array([matrix for _, matrix, _ in found])
    counts = [sum(len(numbers) // 2 for _, _, numbers in shapes.values()) for *_, shapes in found]
    points = np.array([n for *_, shapes in found for _, _, numbers in shapes.values()
                       for n in numbers], dtype=float).reshape(-1, 2)  # fmt: skip
    a, b, c, d, e, f = np.repeat(matrices, counts, axis=0).T
    x, y = points[:, 0], points[:, 1]
    # The same operations in the same order as a * x + c * y + e in Python floats.
    moved = np.column_stack([a * x + c * y + e, b * x + d * y + f]).ravel().tolist()
    texts = [f"{v:.3f}".rstrip("0").rstrip(".") for v in moved]
    texts = [t if t not in ("", "-0") else "0" for t in texts]
    pairs = [f"{x},{y}" for x, y in zip(texts[::2], texts[1::2], strict=True)]
    at = 0
    for group, _, shapes in found:
        for shape, (attribute, commands, numbers) in shapes.items():
            if attribute == "points":
                shape.set("points", " ".join(pairs[at : at + len(numbers) // 2]))
                at += len(numbers) // 2
            else:
                out: list[str] = []
                for command, count in commands:
                    if command:
                        out.append(command)
                    out += pairs[at : at + count]
                    at += count
                shape.set("d", " ".join(out))
            shape.attrib.pop("vector-effect", None)
        group.attrib.pop("transform")


def _flattenable(group: ET.Element) -> tuple[Matrix, dict[ET.Element, _Coordinates]] | None:
    """The group's transform and its shapes' coordinates, when its transform can be
    multiplied out: a matrix over shapes alone, non-scaling strokes if stroked, paths of
    absolute M, L, C and Z only."""
    matrix = _matrix(group.get("transform", ""))
    shapes = list(group)
    if matrix is None or not shapes or any(s.tag not in _SHAPE_TAGS for s in shapes):
        return None
    stroked = group.get("stroke", "none") != "none"
    if stroked and any(s.get("vector-effect") != "non-scaling-stroke" for s in shapes):
        return None
    coordinates = {}
    for shape in shapes:
        if shape.tag == _PATH:
            path = _path_numbers(shape.get("d", ""))
            if path is None:
                return None
            coordinates[shape] = ("d", *path)
        else:
            values = [float(v) for v in _NUMBER.findall(shape.get("points", ""))]
            if len(values) % 2:
                raise ValueError(f"a point without its y in {shape.get('points')!r}")
            coordinates[shape] = ("points", [], values)
    return matrix, coordinates


def _matrix(text: str) -> Matrix | None:
    match = _MATRIX.match(text)
    if match is None:
        return None
    values = [float(v) for v in _NUMBER.findall(match.group(1))]
    return tuple(values) if len(values) == 6 else None  # type: ignore[return-value]


@lru_cache(maxsize=256)
def _path_numbers(d: str) -> tuple[list[tuple[str, int]], list[float]] | None:
    """The path's (command, pairs that follow it) and its numbers; None for a command other
    than absolute M, L, C, Z (Qt writes only those) or an odd count of numbers. Cached, and
    so never to be changed: a plot's markers repeat one path thousands of times."""
    commands: list[tuple[str, int]] = []
    numbers: list[float] = []
    command, count = "", 0
    for token in _PATH_TOKEN.findall(d):
        if token.isalpha():
            if token not in "MLCZ" or count % 2:
                return None
            if command or count:
                commands.append((command, count // 2))
            command, count = token, 0
        else:
            numbers.append(float(token))
            count += 1
    if count % 2:
        return None
    if command or count:
        commands.append((command, count // 2))
    return commands, numbers


def _join_polylines(group: ET.Element) -> None:
    """Join consecutive polylines of a group where one ends where the next begins."""
    previous, last = None, None
    kept = []
    for shape in group:
        if shape.tag != _POLYLINE or shape.get("fill", "none") != "none":
            previous = None
            kept.append(shape)
            continue
        points = shape.get("points", "").split()
        if previous is not None and points and last == points[0]:
            previous.set("points", previous.get("points", "").rstrip() + " " + " ".join(points[1:]))
        else:
            previous = shape
            kept.append(shape)
        last = points[-1] if points else None
    if len(kept) < len(group):
        # Whole: removing each joined line alone searched and shifted the group's children,
        # 3.5 s for a spider plot of 20,000 patients (issue 19).
        group[:] = kept


def _drop_empty_groups(root: ET.Element) -> None:
    """Remove the groups without content that Qt writes for every state change."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == _G and len(child) == 0 and not (child.text or "").strip():
                parent.remove(child)
