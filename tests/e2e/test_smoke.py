"""scripts/smoke.py, unchanged, against the freshly started emulator (as CI runs it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from emulator.launcher import REPO

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


@pytest.mark.parametrize(
    ("who", "password"),
    [("nobody@example.com", "ChatDemo-2026!"), ("alice@example.com", "Not-Her-Password-1")],
    ids=["unknown-user", "wrong-password"],
)
def test_smoke_script_fails_loudly_when_sign_in_fails(emulator, who, password):
    finished = subprocess.run(
        [
            sys.executable,
            "scripts/smoke.py",
            "--outputs",
            str(emulator.outputs_file),
            "--username",
            who,
            "--password",
            password,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert f"FAILED: sign-in of {who} failed" in finished.stderr
