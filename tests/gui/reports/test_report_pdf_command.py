"""`python main.py report --db STUDY --out FOLDER --pdf` (issue #9, item 3)."""

import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from model.demo.cohort import demo_study
from model.store.study import Store

ROOT = Path(__file__).resolve().parents[3]


def test_report_pdf_has_title_summary_figures_and_appendix(tmp_path):
    study = tmp_path / "Sarcoma trial.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(n_patients=12))
    out = tmp_path / "out"
    command = ["main.py", "report", "--db", str(study), "--out", str(out), "--pdf", "--no-figures"]
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(out / "report.pdf")
    pages = [" ".join(page.extract_text().split()) for page in pdf.pages]
    text = "\n".join(pages)
    assert "Sarcoma trial" in pages[0]
    for expected in ("Summary", "Figures", "Immunotherapy + dTACE", "S00001"):
        assert expected in text, expected
    assert not (out / "waterfall.png").exists()  # --no-figures leaves the separate files out
