"""The public surface is documented: every command, option and study setting appears in the
README (shared/style.md, practice 12), and building the command line stays cheap."""

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

import main
from model.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: Where the contracts are kept beside the repository (absent in a plain clone).
SHARED_SPEC = ROOT.parent / "shared" / "spec"


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = main.build_parser()
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


@pytest.mark.parametrize("name", list(main.command_modules()))
def test_every_command_and_option_is_in_the_readme(name):
    assert f"python main.py {name}" in README
    options = [
        option
        for action in _subcommands()[name]._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    ]
    missing = [option for option in options if option not in README]
    assert not missing, f"README does not document {name} {missing}"


@pytest.mark.parametrize("name", [name for name, _, _ in SETTINGS])
def test_every_study_setting_is_in_the_readme(name):
    assert f"`{name}`" in README


def test_building_the_command_line_loads_no_heavy_library():
    """Every command pays for the parser: it must not import pandas, Qt or the statistics."""
    code = (
        "import sys, main\n"
        "main.build_parser()\n"
        "heavy = [m for m in ('pandas', 'scipy', 'lifelines', 'PySide6', 'sqlite_utils', "
        "'docx', 'openpyxl') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_link_of_the_readme_resolves_in_a_clone():
    """Issue 20: a link to a file outside the repository is broken for everyone who clones it."""
    targets = re.findall(r"\]\(([^)#]+)\)", README)
    local = [target for target in targets if "://" not in target]
    assert local and all(not target.startswith("..") for target in local)
    missing = [target for target in local if not (ROOT / target).exists()]
    assert not missing, f"README links to missing files {missing}"


@pytest.mark.parametrize("name", ["interchange.md", "analysis.md"])
def test_the_contracts_ship_in_docs_as_written(name):
    shipped = ROOT / "docs" / name
    assert shipped.is_file()
    source = SHARED_SPEC / name
    if source.is_file():
        assert shipped.read_text(encoding="utf-8") == source.read_text(encoding="utf-8"), (
            f"docs/{name} differs from shared/spec/{name}: copy the contract again"
        )
