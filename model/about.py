"""What Nadir is: its version, distribution name and licence, in one place.

The version here is the package's (pyproject.toml reads it), so that a clone,
an installed copy and a desktop bundle all report the same `nadir --version`.
"""

from __future__ import annotations

#: Nadir's version (PEP 440).
VERSION = "0.1.0"

#: The name Nadir is installed by: `pip install nadir-recist` (`nadir` on PyPI is another project).
DISTRIBUTION = "nadir-recist"

#: The licence Nadir is distributed under (SPDX identifier); its text is the file LICENSE.
LICENCE = "Apache-2.0"
