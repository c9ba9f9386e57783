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


def test_a_pseudonymised_report_names_no_patient_date_or_reason_and_is_private(tmp_path):
    """Issue 14, attack 8: `report` wrote real ids, dates and override reasons (PDF, swimmer)
    with mode 0644 and had no pseudonymised mode."""
    from model.editing.edits import SetOverride
    from model.exports.privacy import pseudonymise, read_key

    study = tmp_path / "Sarcoma trial.nadir"
    with Store.open(study) as store:
        store.import_study_data(demo_study(n_patients=12))
        data = store.study_data()
        scan = data.measurements[-1]
        store.apply(
            SetOverride(scan.patient_id, scan.scan_date, scan.reader, "PD", "Dr Jones saw it")
        )
    out, key = tmp_path / "out", tmp_path / "k.key"
    command = ["main.py", "report", "--db", str(study), "--out", str(out), "--pdf",
               "--pseudonymise", "--key-file", str(key)]  # fmt: skip
    result = subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out / "report.pdf").pages)
    text += " ".join(p.read_text() for p in out.iterdir() if p.suffix in (".json", ".md", ".svg"))
    for patient in data.patients:
        assert patient.patient_id not in text
    shifted = pseudonymise(data, read_key(key)[0])
    # A real date may equal a shifted one (another patient's); no other may appear.
    real = _dates(data) - _dates(shifted)
    assert not [day for day in real if day.isoformat() in text]
    assert "Dr Jones" not in text and "Sarcoma trial" not in text
    assert all(p.stat().st_mode & 0o077 == 0 for p in out.iterdir())


def _dates(data) -> set:
    """Every date in the study's rows."""
    records = (*data.patients, *data.measurements, *data.scans, *data.events)
    return {v for r in records for v in vars(r).values() if hasattr(v, "isoformat")}
