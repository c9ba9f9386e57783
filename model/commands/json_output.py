"""JSON for the analysis commands: numbers unrounded, never NaN or Infinity (null instead).

analysis.md, introduction: "JSON never holds NaN or Infinity (null instead)".
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

from model.commands.text_output import r_number


def finite(value: Any) -> Any:
    """`value` with every non-finite float, at any depth, replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def dumps(document: Any) -> str:
    """The JSON text of `document`, with null for NaN and Infinity."""
    return json.dumps(finite(document), allow_nan=False, ensure_ascii=False)


def number(value: float | None, digits: int = 4) -> str:
    """A number for the text output: `digits` significant digits as R prints them, `-` for null."""
    return "-" if value is None else r_number(value, digits)


def warn(store: Any) -> None:
    """Prints on stderr what the user should know about the study a command opened: why it is
    read-only, a write-ahead log gone (model/store/study.py, `problems` and `warnings`)."""
    for message in (*store.problems, *store.warnings):
        print(f"warning: {store.path}: {message}", file=sys.stderr)
