"""How a demo patient's disease evolves: the target size factor and lesion statuses per scan.

Part of the made-up demo study (model/demo/cohort.py); nothing here is a response
rule. A course is drawn per patient; scan k = 0 is the baseline.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from model.domain import Status

#: The demo study's arms: control first.
ARMS = ("Immunotherapy", "Immunotherapy + dTACE")

#: Chance of each kind of course per arm; dTACE shrinks more and progresses less.
COURSE_WEIGHTS = {
    ARMS[0]: {"complete": 5, "partial": 20, "stable": 35, "early": 32, "pseudo": 8},
    ARMS[1]: {"complete": 12, "partial": 33, "stable": 30, "early": 18, "pseudo": 7},
}


@dataclass(frozen=True)
class Course:
    """One patient's disease course over `n_scans` scans.

    `best` is the smallest factor of the target sizes, reached at scan
    `best_at`; `progression` is the scan of progression (None: none);
    `trigger` says what progresses: "targets", "non-target" or "new".
    A new lesion appears at `new_at`, `equivocal` for one scan first.
    """

    kind: str
    n_scans: int
    best: float
    best_at: int
    progression: int | None
    trigger: str
    new_at: int | None
    equivocal: bool
    viable: float

    def factor(self, k: int) -> float:
        """Returns target size at scan k as a fraction of baseline."""
        if self.kind == "pseudo":
            return 1.35 if k == 1 else self._shrinking(k - 1)
        if self.progression is not None and k >= self.progression and self.trigger == "targets":
            return max(self._shrinking(self.progression - 1), 0.3) * (
                1.32 + 0.1 * (k - self.progression)
            )
        return self._shrinking(k)

    def _shrinking(self, k: int) -> float:
        return 1 - (1 - self.best) * min(1.0, k / self.best_at)

    def viable_fraction(self, k: int) -> float:
        """Returns the viable part of a dTACE-treated liver lesion at follow-up scan k."""
        if self.kind == "complete" and k >= self.best_at:
            return 0.0
        growing = self.progression is not None and k >= self.progression
        return min(1.0, self.viable * (1.8 if growing else 1.0))

    def non_target_status(self, k: int) -> Status:
        """Returns a non-target's status at scan k."""
        if self.progression is not None and self.trigger == "non-target":
            if k == self.progression:
                return Status.PROGRESSION
            if k > self.progression:
                return Status.INCREASED if k == self.progression + 1 else Status.PROGRESSION
        if self.kind == "complete" and k >= self.best_at:
            return Status.ABSENT
        return Status.PRESENT

    def new_status(self, k: int) -> Status | None:
        """Returns the new lesion's status at scan k, or None where it has no row."""
        if self.new_at is None or k < self.new_at:
            return None
        if k == self.new_at:
            return Status.EQUIVOCAL if self.equivocal else Status.PRESENT
        return Status.INCREASED if k == self.new_at + 2 else Status.PRESENT


def draw_course(rng: random.Random, arm: str) -> Course:
    """Returns a random course for a patient of `arm`, with 4 to 12 scans."""
    weights = COURSE_WEIGHTS[arm]
    kind = rng.choices(list(weights), list(weights.values()))[0]
    n_scans = rng.randint(4, 12)
    best, best_at, progression = {
        "complete": (0.0, rng.randint(2, 4), None),
        "partial": (rng.uniform(0.35, 0.62), rng.randint(1, 3), rng.randint(4, 9)),
        "stable": (rng.uniform(0.8, 1.05), 1, rng.randint(2, 6)),
        "early": (1.0, 1, 1),
        "pseudo": (rng.uniform(0.4, 0.6), 2, None),
    }[kind]
    if kind in ("partial", "stable") and rng.random() < 0.4:
        progression = None
    best_at = min(best_at, n_scans - 1)
    if progression is not None:
        if progression >= n_scans:
            progression = None
        else:
            n_scans = min(n_scans, max(4, progression + rng.randint(1, 3)))
    trigger = rng.choices(("targets", "non-target", "new"), (6, 1, 3))[0]
    new_at = progression if trigger == "new" else None
    equivocal = new_at is not None and new_at + 1 < n_scans and rng.random() < 0.3
    if equivocal:
        new_at = max(1, new_at - 1) if new_at > 1 else new_at
    return Course(
        kind,
        n_scans,
        best,
        max(best_at, 1),
        progression,
        trigger,
        new_at,
        equivocal,
        rng.uniform(0.1, 0.6),
    )
