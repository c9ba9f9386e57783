"""Best overall response over a patient's time points, for RECIST 1.1, mRECIST and iRECIST.

Interchange spec, "Best overall response"; RECIST 1.1, section 4.4 and
Table 3 (confirmation). The criteria differ only in their codes, given as a
`ResponseCodes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from model.domain import AssessmentSettings, TimepointResponse

#: Days between a CR or PR and the time point that confirms it (RECIST 1.1, section 4.4.1).
CONFIRMATION_DAYS = 28
#: NE time points allowed between a response and its confirmation (interchange spec).
MAX_NE_BETWEEN = 1


@dataclass(frozen=True)
class ResponseCodes:
    """The codes of one criteria, best first in `ranking`."""

    complete: str
    partial: str
    stable: str
    non_complete_non_progression: str
    progression: str
    not_evaluable: str
    ranking: tuple[str, ...]


#: RECIST 1.1 and mRECIST: CR > PR > SD > NON-CR/NON-PD > NED > PD > NE (interchange spec).
RECIST_CODES = ResponseCodes(
    "CR",
    "PR",
    "SD",
    "NON-CR/NON-PD",
    "PD",
    "NE",
    ranking=("CR", "PR", "SD", "NON-CR/NON-PD", "NED", "PD", "NE"),
)


def best_response(
    timepoints: Sequence[TimepointResponse],
    reference_date: date,
    codes: ResponseCodes,
    settings: AssessmentSettings,
) -> tuple[str, float | None]:
    """Best overall response and best_pct_change of a patient's time points, baseline first.

    Both are taken over the post-baseline time points up to and including the
    first `codes.progression` (interchange spec, "Best overall response").
    """
    window = response_window(timepoints, codes)
    best = best_overall_response(
        [(p.scan_date, p.overall) for p in window],
        reference_date,
        codes,
        confirm=settings.confirm,
        min_sd_days=settings.min_sd_days,
    )
    return best, best_pct_change([p.change_from_baseline_pct for p in window])


def response_window(
    timepoints: Sequence[TimepointResponse], codes: ResponseCodes
) -> Sequence[TimepointResponse]:
    """The post-baseline time points up to and including the first `codes.progression`.

    All post-baseline time points when none is a progression (interchange spec,
    "Best overall response"; for iRECIST the first iCPD, section "iRECIST").
    """
    return timepoints[1 : 1 + _window_length([p.overall for p in timepoints[1:]], codes)]


def best_overall_response(
    points: Sequence[tuple[date, str | None]],
    reference_date: date,
    codes: ResponseCodes,
    *,
    confirm: bool = False,
    min_sd_days: int = 0,
) -> str:
    """The best response code over post-baseline `points` (date, overall) in date order.

    Only points up to the first progression count; with `confirm` a CR or PR
    without its confirmation ranks as SD; SD and non-CR/non-PD earlier
    than `min_sd_days` after `reference_date` rank as NE; no point gives NE
    (interchange spec, "Best overall response"; RECIST 1.1, sections 4.4.1-4.4.2).
    """
    points = points[: _window_length([code for _, code in points], codes)]
    counted = [
        _counted(i, points, reference_date, codes, confirm, min_sd_days) for i in range(len(points))
    ]
    rank = {code: i for i, code in enumerate(codes.ranking)}
    return min(counted, key=lambda code: rank.get(code, len(rank)), default=codes.not_evaluable)


def best_pct_change(changes: Sequence[float | None]) -> float | None:
    """The smallest non-null change from baseline, None when there is none (interchange spec)."""
    return min((c for c in changes if c is not None), default=None)


def _window_length(codes_in_order: Sequence[str | None], codes: ResponseCodes) -> int:
    """How many time points count: up to and including the first progression."""
    if codes.progression in codes_in_order:
        return codes_in_order.index(codes.progression) + 1
    return len(codes_in_order)


def _counted(
    i: int,
    window: Sequence[tuple[date, str | None]],
    reference_date: date,
    codes: ResponseCodes,
    confirm: bool,
    min_sd_days: int,
) -> str:
    """The code the i-th point counts as, after confirmation and the minimum SD duration."""
    day, code = window[i]
    if code is None:
        return codes.not_evaluable
    if confirm and code in (codes.complete, codes.partial) and not _confirmed(i, window, codes):
        code = codes.stable
    stable = (codes.stable, codes.non_complete_non_progression)
    if code in stable and (day - reference_date).days < min_sd_days:
        return codes.not_evaluable
    return code


def _confirmed(i: int, window: Sequence[tuple[date, str | None]], codes: ResponseCodes) -> bool:
    """Whether the CR or PR at `i` is confirmed (interchange spec; RECIST 1.1, Table 3).

    A CR needs a later CR at least 28 days on, a PR a later PR or CR; in
    between only the same responses (CR for a CR; PR or CR for a PR) and at
    most one NE.
    """
    day, code = window[i]
    allowed = (codes.complete,) if code == codes.complete else (codes.partial, codes.complete)
    not_evaluated = 0
    for later_day, later in window[i + 1 :]:
        if later in allowed and (later_day - day).days >= CONFIRMATION_DAYS:
            return True
        if later == codes.not_evaluable:
            not_evaluated += 1
            if not_evaluated > MAX_NE_BETWEEN:
                return False
        elif later not in allowed:
            return False
    return False
