"""Shared test set-up: Qt runs offscreen, before anything imports it; the app's log goes to a
temporary folder; hypothesis is
deterministic in CI (CI=true) so that a run lands or fails on the code alone, and explores
new examples on developers' machines."""

import os
import tempfile

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The app started by a test (in this process or a child) logs here, never in the tester's log.
os.environ.setdefault("NADIR_LOG_DIR", tempfile.mkdtemp(prefix="nadir-test-log-"))

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
