"""The study file: the only SQL in Nadir (the Store, its schema, audit trail, lock and backups).

sqlite-utils imports pandas and numpy when it is imported, only to map their value
types to column types in its `insert()`, which Nadir never calls (every write is its
own SQL). That was 0.3 to 0.5 s of every start-up and command (issue 19), so it is
imported here, first, with pandas and numpy held back when nothing has loaded them
yet; they import as usual afterwards.
"""

import sys


def _import_sqlite_utils() -> None:
    held = [name for name in ("pandas", "numpy") if name not in sys.modules]
    sys.modules.update(dict.fromkeys(held))  # None: "import pandas" raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in held:
            del sys.modules[name]


_import_sqlite_utils()
