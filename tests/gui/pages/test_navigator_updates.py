"""A keystroke updates one navigator row, never the whole list (docs/performance.md: a full
refresh per keystroke grew with the study's size)."""

from gui.pages.navigator import NavigatorModel, PatientEntry


def test_update_patient_changes_one_row_without_a_reset(qtmodeltester):
    model = NavigatorModel()
    model.set_patients([PatientEntry("P1", "A", "SD"), PatientEntry("P2", "B", None)])
    resets, changed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda top, bottom: changed.append(top.data()))
    assert model.update_patient(PatientEntry("P2", "B", "PR"))
    assert (resets, changed) == ([], ["P2"])
    arm_b = model.index(1, 0)
    assert model.index(0, 1, arm_b).data() == "PR"
    qtmodeltester.check(model)


def test_a_patient_moved_or_unknown_asks_for_a_full_refresh():
    model = NavigatorModel()
    model.set_patients([PatientEntry("P1", "A", "SD")])
    assert not model.update_patient(PatientEntry("P1", "B", "SD"))
    assert not model.update_patient(PatientEntry("P9", "A", "SD"))
