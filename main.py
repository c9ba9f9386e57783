"""Nadir's one entry point: the desktop app by default, headless sub-commands for scripting.

    python main.py                      open the app on the default study
    python main.py --db STUDY.nadir     open the app on STUDY
    python main.py assess ... --json    and the other commands below

The GUI is imported only when the window is started, so the headless commands
never load Qt (tests/test_headless.py checks this). The commands are imported
by name, not computed, so that a desktop bundle (packaging/nadir.spec) finds
them; each imports its heavy libraries only when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from types import ModuleType

from model.about import VERSION


def command_modules() -> dict[str, ModuleType]:
    """The headless sub-commands, in the order `--help` lists them: name on the command line ->
    its module in model.commands (HELP, add_arguments, run)."""
    from model.commands import (
        ae,
        assess,
        cox,
        export_study,
        forest,
        import_study,
        match,
        merge,
        report,
        survival,
        table1,
        verify,
    )

    return {
        "assess": assess,
        "survival": survival,
        "import": import_study,
        "export": export_study,
        "report": report,
        "merge": merge,
        "table1": table1,
        "cox": cox,
        "match": match,
        "forest": forest,
        "ae": ae,
        "verify": verify,
    }


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for the app and every sub-command."""
    parser = argparse.ArgumentParser(
        prog="nadir",
        description="Nadir: tumour response (RECIST 1.1, iRECIST, mRECIST) and survival "
        "for oncology studies. Without a command, opens the desktop app.",
    )
    parser.add_argument("--db", metavar="STUDY", help="study file (*.nadir) to open")
    parser.add_argument("--version", action="version", version=f"nadir {VERSION}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module in command_modules().items():
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
        if name == "report":
            sub.set_defaults(write_figures=_write_report_figures, write_pdf=_write_pdf_report)
    return parser


def _write_report_figures(analysis, summary, out_dir):
    """The report's plots as PNG, SVG and PDF files; Qt is loaded only here, offscreen."""
    from gui.plots.report_figures import write_report_figures

    return write_report_figures(analysis, out_dir, summary)


def _write_pdf_report(analysis, summary, out_path, study):
    """The study report as one PDF document; Qt is loaded only here, offscreen."""
    from gui.reports.pdf_report import write_pdf_report

    return write_pdf_report(analysis, summary, out_path, study=study)


def _run_app(db: str | None) -> int:
    """Starts the desktop app after the log (model/app_log.py); returns its exit status."""
    import logging

    from model.app_log import start_logging

    log_file = start_logging()
    try:
        from gui.app import run_app
    except ImportError as error:
        # Qt itself does not load (a system library missing): no dialog can say so.
        logging.getLogger("nadir.app").exception("cannot load Qt")
        _tell_without_qt(f"Nadir cannot start: {error}. The log is {log_file}")
        return 1
    return run_app(db, log_file)


def _tell_without_qt(message: str) -> None:
    """Shows `message` on stderr, or, without a console on Windows, in a system message box."""
    if sys.stderr is not None:
        print(f"nadir: {message}", file=sys.stderr)
    elif sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.MessageBoxW(None, message, "Nadir", 0x10)  # MB_ICONERROR


def main(argv: list[str] | None = None) -> int:
    """Run Nadir with `argv` (default: the process's arguments); returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        return _run_app(args.db)

    from model.errors import InputError

    try:
        return args.run(args)
    except InputError as error:
        print(f"nadir {args.command}: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        if isinstance(error, BrokenPipeError):
            # The reader of our output went away (`nadir assess ... | head`): not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        print(f"nadir {args.command}: {error}", file=sys.stderr)
        return 2
    except Exception as error:
        from model.store.study_file import damage_met

        damage = damage_met(error, getattr(args, "db", None))
        if damage is not None:
            print(f"nadir {args.command}: {damage}", file=sys.stderr)
            return 2
        if os.environ.get("NADIR_DEBUG"):
            raise
        print(
            f"nadir {args.command}: internal error ({type(error).__name__}: {error}); "
            "please report it, with NADIR_DEBUG=1 set to see where it happened",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
