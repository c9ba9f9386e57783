"""What the navigator's filter box keeps: every word typed must match the patient.

A plain word matches the patient's id, arm or best response as a part of them; a word
`name:value` matches a fact of the patient (issue 16): a baseline variable (`ecog:1`,
`tls:present`) equal to the value, or the arm, sex, histology or stage containing it
(`histology:ASPS`); `name:>=50`, `<`, `<=` and `>` compare a number (`pdl1:>=50`). Case is
ignored throughout.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping

from model.clinical import is_number

#: Facts matched as a part of their text rather than whole.
FREE_TEXT_FACTS = ("arm", "sex", "histology", "stage")

_COMPARISON = re.compile(r"(<=|>=|<|>)(.+)")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def word_matches(word: str, text: str, facts: Mapping[str, str]) -> bool:
    """Return whether one lower-cased filter `word` matches a patient whose id, arm and best
    response read `text` (lower case) and whose facts (name -> value) are `facts`."""
    name, colon, wanted = word.partition(":")
    if not colon or not name or not wanted:
        return word in text
    found = {k.lower(): v.lower() for k, v in facts.items()}.get(name)
    if found is None:
        return False
    comparison = _COMPARISON.fullmatch(wanted)
    if comparison and is_number(comparison[2]):
        return is_number(found) and _OPERATORS[comparison[1]](float(found), float(comparison[2]))
    if name in FREE_TEXT_FACTS:
        return wanted in found
    return found == wanted
