"""One emulator for the whole e2e session, started and stopped as a user would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from emulator.launcher import RunningEmulator, start_emulator
from tests.e2e.clients import Users, cognito_client


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    running = start_emulator(tmp_path_factory.mktemp("emulator"))
    yield running
    status = running.stop()
    assert status == 0, f"emulator exited with {status}:\n{running.log()}"
    assert "Traceback" not in running.log(), running.log()


@pytest.fixture(scope="session")
def outputs(emulator: RunningEmulator) -> dict[str, Any]:
    return emulator.outputs


@pytest.fixture(scope="session")
def users(outputs: dict[str, Any]) -> Users:
    return Users(outputs, cognito_client(outputs))
