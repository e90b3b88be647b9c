"""scripts/smoke.py, unchanged, against the freshly started emulator (as CI runs it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.e2e.running import REPO

pytestmark = pytest.mark.e2e


def test_smoke_script_passes_against_the_emulator(emulator):
    finished = subprocess.run(
        [sys.executable, "scripts/smoke.py", "--outputs", str(emulator.outputs_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    for step in ("signing in", "received over the subscription", "search found", "deleting room"):
        assert step in finished.stdout, finished.stdout


def test_smoke_script_fails_loudly_for_an_unknown_user(emulator):
    """(moto's SRP does not check the password itself, so the unknown user is the probe.)"""
    finished = subprocess.run(
        [
            sys.executable,
            "scripts/smoke.py",
            "--outputs",
            str(emulator.outputs_file),
            "--username",
            "nobody@example.com",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert "FAILED: sign-in of nobody@example.com failed" in finished.stderr
