"""Moved to `emulator.launcher`; kept while parallel branches land."""

from emulator.launcher import REPO, START_TIMEOUT_SECONDS, RunningEmulator, start_emulator

__all__ = ["REPO", "START_TIMEOUT_SECONDS", "RunningEmulator", "start_emulator"]
