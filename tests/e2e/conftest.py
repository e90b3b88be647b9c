"""One emulator for the whole e2e session, started and stopped as a user would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.launcher import RunningEmulator, start_emulator
from tests.e2e.clients import Users, cognito_client


def clean_emulator(workdir: Path, *args: str) -> Iterator[RunningEmulator]:
    """An emulator for a fixture, which must exit cleanly and log no traceback."""
    running = start_emulator(workdir, *args)
    yield running
    status = running.stop()
    assert status == 0, f"emulator exited with {status}:\n{running.log()}"
    assert "Traceback" not in running.log(), running.log()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    yield from clean_emulator(tmp_path_factory.mktemp("emulator"))


@pytest.fixture(scope="session")
def outputs(emulator: RunningEmulator) -> dict[str, Any]:
    return emulator.outputs


@pytest.fixture(scope="session")
def users(outputs: dict[str, Any]) -> Users:
    return Users(outputs, cognito_client(outputs))
