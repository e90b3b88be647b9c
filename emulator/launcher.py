"""A real `python -m emulator` in a subprocess, as `make local` starts it.

The emulator announces readiness by writing its outputs file, so the fixture waits for
that file (or for the process to die, which fails the session with its output). Stopping
sends SIGINT, as Ctrl-C does, and the tests check the exit was clean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_SECONDS = 90


@dataclass
class RunningEmulator:
    process: subprocess.Popen[str]
    outputs_file: Path
    log_file: Path
    outputs: dict[str, Any]

    def log(self) -> str:
        return self.log_file.read_text()

    def stop(self, timeout: float = 30) -> int:
        """Ctrl-C, as a user would; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(f"emulator ignored SIGINT; log:\n{self.log()}") from None
        return self.process.returncode


def start_emulator(workdir: Path, *extra: str) -> RunningEmulator:
    workdir.mkdir(parents=True, exist_ok=True)
    outputs_file = workdir / "outputs.json"
    log_file = workdir / "emulator.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OPENSEARCH_"))}
    env["PYTHONUNBUFFERED"] = "1"
    with log_file.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "emulator",
                "--port",
                "0",
                "--outputs-file",
                str(outputs_file),
                *extra,
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not outputs_file.exists():
        if process.poll() is not None:
            raise AssertionError(
                f"emulator exited with {process.returncode}:\n{log_file.read_text()}"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(
                f"emulator not ready in {START_TIMEOUT_SECONDS}s:\n{log_file.read_text()}"
            )
        time.sleep(0.1)
    return RunningEmulator(process, outputs_file, log_file, json.loads(outputs_file.read_text()))
