"""Which lesions may be targets: measurability, and the limits of five in all and two per organ.

RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009; 45: 228-247), section 3.1.1
(measurable: 10 mm longest diameter; a lymph node 15 mm in short axis) and
section 3.3.1 (at most five target lesions in all, two per organ, chosen on
the basis of their size); iRECIST picks its new-lesion targets by the same
limits (Seymour et al. 2017). One choice for both: the baseline proposal of
an import (model/sources/sr_plan.py) and iRECIST's new-lesion targets
(model/criteria/irecist.py).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

from model.criteria.recist import MEASURABLE_MM, MEASURABLE_NODE_MM, exact

K = TypeVar("K", bound=Hashable)


def is_measurable(size_mm: float | None, lymph_node: bool) -> bool:
    """Returns whether a lesion of `size_mm` (a node's short axis) is measurable at baseline:
    10 mm, a lymph node 15 mm (RECIST 1.1, section 3.1.1); a lesion without a size is not."""
    smallest = MEASURABLE_NODE_MM if lymph_node else MEASURABLE_MM
    return size_mm is not None and exact(size_mm) >= smallest


def smallest_measurable_mm(lymph_node: bool) -> float:
    """Returns the smallest measurable size in mm: 15 for a node's short axis, else 10."""
    return float(MEASURABLE_NODE_MM if lymph_node else MEASURABLE_MM)


def pick_within_limits(
    candidates: Iterable[tuple[K, str | None]],
    *,
    limit: int,
    per_site: int,
    taken: Iterable[str | None] = (),
) -> list[K]:
    """Returns the candidates chosen, in the order given, while fewer than `limit` are chosen
    in all and fewer than `per_site` at the candidate's site (RECIST 1.1, section 3.3.1).

    Each candidate is (key, site); a site of None is not counted per site. `taken`
    lists the sites of targets chosen before (they count towards both limits).
    """
    counts: dict[str, int] = {}
    total = 0
    for site in taken:
        total += 1
        if site is not None:
            counts[site] = counts.get(site, 0) + 1
    chosen: list[K] = []
    for key, site in candidates:
        if total >= limit:
            break
        if site is not None and counts.get(site, 0) >= per_site:
            continue
        chosen.append(key)
        total += 1
        if site is not None:
            counts[site] = counts.get(site, 0) + 1
    return chosen
