"""mRECIST for hepatocellular carcinoma: RECIST 1.1 with viable (enhancing) tumour sizes.

Lencioni and Llovet, "Modified RECIST (mRECIST) assessment for hepatocellular
carcinoma", Semin Liver Dis 2010; 30: 52-60, as the interchange spec fixes it
("mRECIST"). Non-target, new-lesion and overall rules are RECIST 1.1's.
"""

from __future__ import annotations

from decimal import Decimal

from model.criteria.recist import (
    Rules,
    TargetState,
    Verdict,
    complete,
    growth_pd,
    not_evaluated,
    partial,
    reappearance_pd,
    recist_size,
    size_by_status,
    stable,
)
from model.domain import Criteria, Lesion, Observation


def mrecist_size(lesion: Lesion, observation: Observation | None) -> Decimal | None:
    """Target size in mm: viable_mm, a node's short axis; None when not evaluated (mRECIST).

    A `measured` non-node target without viable_mm is not evaluated
    (interchange spec, "mRECIST").
    """
    if lesion.lymph_node or observation is None:
        return recist_size(lesion, observation)
    return size_by_status(observation, observation.viable_mm)


def mrecist_target(t: TargetState) -> Verdict:
    """Target response, first match wins: CR, PD, NE, PR, SD (Lencioni and Llovet 2010).

    CR wins over the PD ratio; PD at 1.2 x a nadir above 0 with no 5 mm
    minimum, or on a target back after an overall CR (interchange spec, "mRECIST").
    """
    return (
        complete(t)
        or growth_pd(t, min_increase=None, positive_nadir=True)
        or reappearance_pd(t)
        or not_evaluated(t)
        or partial(t)
        or stable(t)
    )


#: mRECIST as the interchange spec fixes it.
MRECIST = Rules(Criteria.MRECIST, mrecist_size, mrecist_target)
