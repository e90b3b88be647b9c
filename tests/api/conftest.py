"""The `api` fixture: a fresh in-process chat API (moto + engine + real Lambdas) per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from emulator.testing import LocalApi


@pytest.fixture
def api() -> Iterator[LocalApi]:
    with LocalApi() as local:
        yield local
