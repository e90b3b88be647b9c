"""The security tests drive their own running emulator, started as the e2e tests start it."""

from __future__ import annotations

from tests.e2e.conftest import emulator, outputs, users

__all__ = ["emulator", "outputs", "users"]
