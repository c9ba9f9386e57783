"""R's reference values for the analysis tables (tests/data/analysis/tables_reference.R)."""

import json
import math
from pathlib import Path

DATA = Path(__file__).parents[2] / "data" / "analysis"
REFERENCE = json.loads((DATA / "tables_reference.json").read_text(encoding="utf-8"))
#: Relative tolerance against R.
REL = 1e-6


def assert_matches(ours, theirs, where="document"):
    """Every value R gives equals ours (numbers within REL); R's keys only."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict), where
        for key, value in theirs.items():
            assert key in ours, f"{where}: no {key!r}"
            assert_matches(ours[key], value, f"{where}.{key}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_matches(a, b, f"{where}[{i}]")
    elif isinstance(theirs, bool) or theirs is None or isinstance(theirs, str):
        assert ours == theirs, f"{where}: {ours!r} != {theirs!r}"
    else:
        assert ours is not None, f"{where}: null, R says {theirs}"
        close = math.isclose(ours, theirs, rel_tol=REL, abs_tol=1e-12)
        assert close, f"{where}: {ours} != {theirs}"
