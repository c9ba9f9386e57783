"""Files shipped with Nadir that are not code, found through one Qt-free lookup."""

from pathlib import Path

_HERE = Path(__file__).parent


def path(name: str) -> Path:
    """Path of the shipped resource `name` (e.g. ``"style.qss"``).

    Raises ValueError listing the known names when `name` is not shipped.
    """
    candidate = _HERE / name
    if candidate.is_file():
        return candidate
    known = sorted(
        str(p.relative_to(_HERE)) for p in _HERE.rglob("*") if p.is_file() and p.suffix != ".py"
    )
    raise ValueError(f"no resource named {name!r}; known resources: {', '.join(known)}")
