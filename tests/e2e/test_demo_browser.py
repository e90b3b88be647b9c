"""The demo page in a real browser: two users, a message and a typing indicator cross over.

Headless Chromium from Debian's `chromium` package, driven by playwright-core
(`tests/e2e/browser/demo_two_users.mjs`), trusting the emulator's CA key and nothing else.
Screenshots of both pages land in `.local/demo-browser/` (a CI artifact). On a machine with
no Chromium the test is skipped with the reason in pytest's summary; under CI (`CI=true`)
a missing browser fails instead, since `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from emulator.launcher import REPO
from emulator.tls import spki_sha256
from emulator.web.build import ensure_bundle

pytestmark = pytest.mark.e2e
SCREENSHOTS = REPO / ".local" / "demo-browser"
SCRIPT = REPO / "tests" / "e2e" / "browser" / "demo_two_users.mjs"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = "the browser test did not run: Chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install it (.ci/run)")
    pytest.skip(reason)


def test_two_users_chat_on_the_demo_page(emulator):
    browser = chromium()
    ensure_bundle()
    for old in SCREENSHOTS.glob("demo-*.png"):
        old.unlink()
    env = {
        **os.environ,
        "DEMO_URL": emulator.outputs["demoUrl"],
        "CHROMIUM": browser,
        "TRUSTED_SPKI": spki_sha256(Path(emulator.outputs["caCertificateFile"])),
        "SCREENSHOT_DIR": str(SCREENSHOTS),
    }
    finished = subprocess.run(
        ["node", str(SCRIPT)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    report = finished.stdout + finished.stderr
    assert finished.returncode == 0, report
    for line in (
        "alice sees:",
        "alice received bob's message",
        "the typing indicator cleared",
        "after a reload bob is still signed in",
    ):
        assert line in finished.stdout, report
    assert sorted(p.name for p in SCREENSHOTS.glob("demo-*.png")) == [
        "demo-alice.png",
        "demo-bob.png",
    ]
