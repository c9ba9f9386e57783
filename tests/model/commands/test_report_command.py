"""`python main.py report --db STUDY --out FOLDER`: what the command reads and where it may run.

Issue 19, item 4: a report of a study the app has open works; the report only reads,
so it opens the study read-only, past the app's lock.
"""

import json
import os
import socket

import main
from model.store.locking import lock_path
from model.store.study import Store
from tests.model.store.builders import small_study


def test_a_report_of_a_study_open_in_the_app_is_written(tmp_path, capsys):
    """The study is locked by another live process (the app): the report still reads it,
    and leaves the app's lock in place."""
    study = tmp_path / "s.nadir"
    with Store.open(study) as store:
        store.import_study_data(small_study())
    app = {"host": socket.gethostname(), "pid": os.getppid(), "user": "dr_b", "time": "t"}
    lock_path(study).write_text(json.dumps(app))
    status = main.main(["report", "--db", str(study), "--out", str(tmp_path / "out"),
                        "--no-figures"])  # fmt: skip
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["study"]["patients"] == 2
    assert json.loads(lock_path(study).read_text())["user"] == "dr_b"
