"""Which patients a filter keeps: every word must match the patient (the navigator's filter
box and a saved subgroup's recipe, issue 17, use this one parser).

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

from model.domain import PatientRecord
from model.rules.clinical import is_number, variable_values

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


def patient_facts(record: PatientRecord) -> tuple[tuple[str, str], ...]:
    """Return (name, value) of what a filter matches a patient by: the arm, sex, histology
    and stage, then the baseline variable values (issue 16)."""
    fixed = {"arm": record.arm, "sex": record.sex, "histology": record.histology,
             "stage": record.stage}  # fmt: skip
    own = ((name, value) for name, value in fixed.items() if value)
    return (*own, *variable_values(record).items())


def filter_words(text: str) -> tuple[str, ...]:
    """Return the lower-cased words of a filter text (blank-separated)."""
    return tuple(text.lower().split())


def record_matches(words: tuple[str, ...], record: PatientRecord, best: str | None) -> bool:
    """Return whether every filter word matches the patient of `record` whose best overall
    response is `best` (None: not known)."""
    text = " ".join((record.patient_id, record.arm, best or "")).lower()
    facts = dict(patient_facts(record))
    return all(word_matches(word, text, facts) for word in words)
