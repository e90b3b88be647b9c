"""Each stack runs once per session under mocks; tests only read the recordings."""

from __future__ import annotations

import pytest

from stackrun.stack import StackRun
from stacksettings.settings import StackSettings, load_settings
from tests.support.stack_runs import stack_run

STACKS = ("dev", "prod")


@pytest.fixture(scope="session")
def runs() -> dict[str, StackRun]:
    return {stack: stack_run(stack) for stack in STACKS}


@pytest.fixture(scope="session")
def dev(runs: dict[str, StackRun]) -> StackRun:
    return runs["dev"]


@pytest.fixture(scope="session")
def prod(runs: dict[str, StackRun]) -> StackRun:
    return runs["prod"]


@pytest.fixture(params=STACKS, scope="session")
def stack(request: pytest.FixtureRequest, runs: dict[str, StackRun]) -> StackRun:
    return runs[request.param]


@pytest.fixture(scope="session")
def settings_of() -> dict[str, StackSettings]:
    return {name: load_settings(name) for name in STACKS}
