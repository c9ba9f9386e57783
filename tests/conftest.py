"""Shared test set-up: Qt runs offscreen, before anything imports it; hypothesis is
deterministic in CI (CI=true) so that a run lands or fails on the code alone, and explores
new examples on developers' machines."""

import os

from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
