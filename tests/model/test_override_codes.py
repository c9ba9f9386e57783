"""The override codes a study takes are its criteria's, checked by the model, not a dialog.

Source: interchange spec, "Response codes" (RECIST 1.1 and mRECIST answer CR, PR, SD,
NON-CR/NON-PD, PD, NE, NED); iRECIST (Seymour et al., Lancet Oncol 2017: iCR, iPR, iSD,
iUPD, iCPD); model/domain.OVERRIDE_CODES, the one vocabulary.
"""

from __future__ import annotations

import pytest

from model.domain import OVERRIDE_CODES, Criteria
from model.editing.edits import RESPONSE_CODES, SetOverride, check_in_study
from model.errors import InputError
from model.settings import StudySettings
from tests.model.store.builders import FOLLOW_UP, state, study_store


def test_every_code_any_criteria_takes_is_a_response_code_and_no_other():
    assert RESPONSE_CODES == {c for codes in OVERRIDE_CODES.values() for c in codes}


@pytest.mark.parametrize(
    ("criteria", "code"),
    [(Criteria.RECIST11, "iUPD"), (Criteria.MRECIST, "iCPD"), (Criteria.IRECIST, "PD")],
)
def test_a_code_the_study_criteria_do_not_take_is_refused_by_the_edit(criteria, code):
    edit = SetOverride("P1", FOLLOW_UP, "", code, "clinical judgement")
    with pytest.raises(InputError, match=f"not a {criteria} response"):
        edit.check(criteria)
    with pytest.raises(InputError, match="not a"):
        check_in_study(SetOverride("P1", FOLLOW_UP, "", code, "why"), StudySettings(criteria))


def test_the_store_refuses_an_irecist_override_in_a_recist_study_and_writes_nothing():
    store = study_store()
    before = state(store)
    edit = SetOverride("P1", FOLLOW_UP, "", "iUPD", "pseudoprogression?")
    with pytest.raises(InputError, match="not a recist1.1 response"):
        store.apply(edit)
    assert state(store) == before


def test_a_code_of_the_study_criteria_is_taken():
    store = study_store()
    store.apply(SetOverride("P1", FOLLOW_UP, "", "SD", "why"))
    assert [o.response for o in store.overrides("P1")] == ["SD"]
    check_in_study(SetOverride("P1", FOLLOW_UP, "", "iSD", "why"), StudySettings(Criteria.IRECIST))


def test_the_store_judges_an_override_by_its_own_criteria():
    store = study_store()
    with pytest.raises(InputError):
        store.apply(SetOverride("P1", FOLLOW_UP, "", "iUPD", "no criteria named by the edit"))
