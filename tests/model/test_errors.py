"""Messages name a bad value without repeating it whole (issue 14, attack 13: "error messages
repeat a 100 kB value whole")."""

from model.errors import MAX_SHOWN, InputError, InputProblem
from model.interchange.study_files import read_study


def test_a_long_value_is_shortened_in_the_message_with_its_length():
    problem = InputProblem("bad", "patients.csv", 2, "patient_id", "x" * 100_000)
    text = str(problem)
    assert len(text) < 200 and "100,000 characters" in text
    assert str(InputProblem("bad", value="P1 ")) == "value 'P1 ': bad"


def test_a_100_kb_cell_is_named_not_repeated_by_the_reader(tmp_path):
    (tmp_path / "patients.csv").write_text(
        f"patient_id,start_date,age\nP1,2024-01-01,{'9' * 100_000}\n"
    )
    try:
        read_study(tmp_path)
    except InputError as error:
        assert len(str(error)) < 300 and "line 2" in str(error)
    else:
        raise AssertionError("refused")
    assert MAX_SHOWN <= 100
