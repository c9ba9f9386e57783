"""Headless sub-commands of main.py.

Each module defines HELP, add_arguments(parser) and run(args) -> exit status,
prints its result on stdout, and raises model.errors.InputError on bad input
(main.py prints it on stderr and exits with status 2).
"""
