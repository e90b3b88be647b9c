"""The demo page in a real browser: two users, a message and a typing indicator cross over;
alice sets an avatar and sends a photo and a fake image through the page's presigned POSTs,
and bob sees her avatar, the photo's thumbnail once READY and the fake one REJECTED.

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
from PIL import Image

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


def test_two_users_chat_on_the_demo_page(emulator, tmp_path):
    browser = chromium()
    ensure_bundle()
    for old in SCREENSHOTS.glob("demo-*.png"):
        old.unlink()
    avatar, photo = tmp_path / "avatar.png", tmp_path / "photo.png"
    face = Image.new("RGB", (320, 320), (40, 120, 200))
    face.paste((250, 200, 40), (80, 80, 240, 240))  # a square, so the screenshot shows an image
    face.save(avatar)
    Image.new("RGB", (800, 600), (200, 30, 90)).save(photo)
    env = {
        **os.environ,
        "DEMO_URL": emulator.outputs["demoUrl"],
        "CHROMIUM": browser,
        "TRUSTED_SPKI": spki_sha256(Path(emulator.outputs["caCertificateFile"])),
        "SCREENSHOT_DIR": str(SCREENSHOTS),
        "AVATAR_IMAGE": str(avatar),
        "PHOTO_IMAGE": str(photo),
    }
    finished = subprocess.run(
        ["node", str(SCRIPT)], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    log_tail = "\n".join(emulator.log().splitlines()[-40:])
    report = f"{finished.stdout}{finished.stderr}\nemulator log, last lines:\n{log_tail}"
    assert finished.returncode == 0, report
    for line in (
        "alice sees:",
        "alice received bob's message",
        "the typing indicator cleared",
        "alice set her avatar through the page (its thumbnail is 256 pixels wide)",
        "alice sees bob's initials beside his message: B",
        "bob sees alice's avatar beside her message (256x256)",
        "bob sees alice's photo READY as a 256x192 thumbnail",
        "after a reload bob is still signed in",
        "the history shows alice's photo again (256x192) with her avatar (256x256)",
    ):
        assert line in finished.stdout, report
    # The file check races the send (see the script): either outcome keeps the fake out.
    refused = "alice's send of the fake image was refused: The message was not sent: Validation"
    assert "bob sees the fake image REJECTED: " in finished.stdout or refused in finished.stdout, (
        report
    )
    assert sorted(p.name for p in SCREENSHOTS.glob("demo-*.png")) == [
        "demo-alice.png",
        "demo-bob.png",
    ]
