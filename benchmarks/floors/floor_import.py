"""The least any program could do to import a study: `python floor_import.py CSV_DIR DB`.

Reads each interchange CSV with the csv module and inserts its rows, as text, into a
new SQLite file in one transaction: no checking, no typing, no audit, no index. The
import row of benchmarks/run.py is measured against this, in the same run (issue 19).
Standard library only, so its start-up is Python's alone.
"""

import csv
import sqlite3
import sys
from pathlib import Path

#: The interchange files, in the order Nadir reads them.
FILES = ("patients.csv", "measurements.csv", "scans.csv", "events.csv")


def main(folder: Path, target: Path) -> None:
    """Insert every row of the CSV files in `folder` into a new SQLite file `target`."""
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    with conn:
        for name in FILES:
            path = folder / name
            if not path.exists():
                continue
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = csv.reader(handle)
                header = next(rows)
                table = path.stem
                columns = ", ".join(f'"{c}"' for c in header)
                conn.execute(f"CREATE TABLE {table} ({columns})")
                marks = ", ".join("?" * len(header))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    conn.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
