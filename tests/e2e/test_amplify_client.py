"""The real `aws-amplify` package in Node against the emulator, as `make smoke-amplify` runs it.

The scenario (`scripts/amplify/scenario.mjs`) is configured only from the emulator's client
configuration file and `NODE_EXTRA_CA_CERTS`, with Node's own fetch and WebSocket: SRP
sign-in, a wrong password, queries and mutations, subscriptions delivering, a refused
subscription, removal ending a subscription, a forced token refresh, sign-out revoking.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from emulator.launcher import REPO

pytestmark = pytest.mark.e2e
EXPECTED_STEPS = 8


def test_the_amplify_js_scenario_passes_against_the_emulator(emulator):
    finished = subprocess.run(
        [sys.executable, "scripts/amplify_smoke.py", "--outputs", str(emulator.outputs_file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = finished.stdout + finished.stderr
    assert finished.returncode == 0, report
    passed = re.search(r"^# pass (\d+)$", finished.stdout, re.MULTILINE)
    assert passed and int(passed[1]) == EXPECTED_STEPS, report
    assert re.search(r"^# fail 0$", finished.stdout, re.MULTILINE), report
