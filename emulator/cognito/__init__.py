"""Local Cognito: moto's user pool, made to behave like Cognito for what clients call.

`install(backend, key_directory)` signs the pool's tokens with the emulator's own key and
puts `LocalCognito` in front of moto on the AWS endpoint (kept as `backend.cognito`, where
the emulator sets the pool's Lambda triggers). See `service.py` for what it
changes and `moto_internals.py` for the one place that reaches into moto.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.cognito import moto_internals
from emulator.cognito.keys import SigningKey, load_or_create_signing_key
from emulator.cognito.service import LocalCognito

__all__ = ["LocalCognito", "SigningKey", "install"]


def install(backend: Any, key_directory: Path | None, account_id: str) -> SigningKey:
    """Sign `backend`'s pool tokens with the key kept in `key_directory`; serve local Cognito."""
    key = load_or_create_signing_key(key_directory)
    pool = moto_internals.user_pool(account_id, backend.region, backend.user_pool_id)
    moto_internals.sign_tokens_with(pool, key.sign)

    def wrap(app: Any) -> LocalCognito:
        backend.cognito = LocalCognito(app, account_id, backend.region, backend.user_pool_id, key)
        return backend.cognito

    backend.wrap_requests(wrap)
    return key
