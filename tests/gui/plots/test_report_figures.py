"""`python main.py report` writes the four plots next to summary.json (issue #5, item 5)."""

import subprocess
import sys
from pathlib import Path

from model.demo.cohort import demo_study
from model.store.study import Store

ROOT = Path(__file__).resolve().parents[3]
FIGURES = ("waterfall", "spider", "swimmer", "km_pfs", "km_os")


def test_report_writes_summary_and_every_figure_in_png_svg_and_pdf(tmp_path):
    study = tmp_path / "demo.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(n_patients=40))
    out = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "main.py", "report", "--db", str(study), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert (out / "summary.json").stat().st_size > 0
    for name in FIGURES:
        png, svg, pdf = (out / f"{name}{suffix}" for suffix in (".png", ".svg", ".pdf"))
        assert png.read_bytes().startswith(b"\x89PNG"), name
        assert b"<svg" in svg.read_bytes()[:2000], name
        assert pdf.read_bytes().startswith(b"%PDF"), name
        assert str(png) in result.stdout


def test_report_on_a_missing_study_fails_cleanly(tmp_path):
    """Bad input: exit 2, a message naming the file, nothing on stdout, nothing written."""
    out = tmp_path / "report"
    missing = tmp_path / "missing.nadir"
    result = subprocess.run(
        [sys.executable, "main.py", "report", "--db", str(missing), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert str(missing) in result.stderr and result.stdout == ""
    assert not out.exists() and not missing.exists()


#: A process that opens a study for writing, as the app does, and holds it until stdin closes.
HOLD_LOCK = """
import sys
from model.store.study import Store
store = Store.open(sys.argv[1])
print("locked", flush=True)
sys.stdin.read()
store.close()
"""


def test_report_on_a_study_another_nadir_holds_reads_it_without_the_lock(tmp_path):
    """`report` writes nothing into the study, so it reads it read-only and is not refused
    while the app has it open (issue 15, item 3)."""
    study = tmp_path / "held.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(n_patients=12))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(study)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        out = tmp_path / "report"
        result = subprocess.run(
            [sys.executable, "main.py", "report", "--db", str(study), "--out", str(out),
             "--no-figures"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert (out / "summary.json").stat().st_size > 0
    finally:
        holder.communicate("", timeout=30)


def test_the_forest_plot_draws_the_summarys_forest_without_running_the_analyses_again(
    qapp, monkeypatch
):
    """Issue 19: the report hands its summary to the figures, whose forest it already holds."""
    import gui.plots.report_figures as report_figures
    from model.analysis import analyse
    from model.exports.report import study_summary
    from model.settings import StudySettings

    analysis = analyse(demo_study(n_patients=60), StudySettings())
    summary = study_summary(analysis)

    def again(*_args, **_kwargs):
        raise AssertionError("the analyses ran again")

    monkeypatch.setattr(report_figures, "analysis_section", again)
    panels = report_figures.report_panels(analysis, summary)
    assert ("forest" in panels) == bool(summary["analyses"]["forest"])
