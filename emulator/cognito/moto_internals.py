"""Every place local Cognito reaches into moto's Cognito models, and why. Checked: moto 5.2.5.

moto's public API (boto3 over its server) cannot do what a Cognito client needs here:

- **Signing key.** `CognitoIdpUserPool.create_jwt` signs every ID and access token with
  the private key shipped in moto (`cognitoidp/resources/jwks-private.json`). There is no
  setting for another key, so the pool's bound `create_jwt` is wrapped: moto builds the
  claims as before, and the token is re-signed with the emulator's own key
  (`emulator.cognito.keys`). moto's token books (`access_tokens`, `id_tokens`) then hold
  the re-signed tokens, so moto's own `GetUser` & co. keep working with them.
- **Passwords** for SRP: `CognitoIdpUser.password` holds the plain password moto checks in
  `USER_PASSWORD_AUTH`; the SRP verifier is derived from it (`emulator.cognito.srp`).
- **Refresh tokens and revocation.** moto keeps `refresh_tokens[token] = (client_id,
  username, origin_jti)` (None once signed out), never checks that a refresh token belongs
  to the client using it, has no `RevokeToken`, and its `GlobalSignOut` only ends the
  sessions opened under the same user-name spelling. Local Cognito reads and edits these
  dictionaries to do what Cognito does.

Nothing else in the emulator touches these internals (the snapshot's user copy is the one
other place, see `emulator.snapshot`). `tests/emulator/test_moto_cognito_internals.py`
fails when any of them changes shape, naming the internal, so a moto upgrade is a
deliberate step rather than a silent loss of the checks above.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

MOTO_VERSION_CHECKED = "5.2.5"


def backend(account_id: str, region: str) -> Any:
    from moto.cognitoidp.models import cognitoidp_backends

    return cognitoidp_backends[account_id][region]


def user_pool(account_id: str, region: str, pool_id: str) -> Any:
    return backend(account_id, region).user_pools[pool_id]


def pool_of_client(account_id: str, region: str, client_id: str) -> Any | None:
    for pool in backend(account_id, region).user_pools.values():
        if client_id in pool.clients:
            return pool
    return None


def token_revocation_enabled(pool: Any, client_id: str) -> bool:
    client = pool.clients[client_id]
    return bool(client.extended_config.get("EnableTokenRevocation", True))


def prevents_user_existence_errors(pool: Any, client_id: str) -> bool:
    client = pool.clients[client_id]
    return client.extended_config.get("PreventUserExistenceErrors") == "ENABLED"


def unverified_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def sign_tokens_with(pool: Any, sign: Callable[[dict[str, Any]], str]) -> None:
    """Make `pool` hand out tokens signed by `sign(claims)` instead of moto's shipped key."""
    moto_create_jwt = type(pool).create_jwt

    def create_jwt(
        client_id: str,
        username: str,
        token_use: str,
        expires_in: int = 60 * 60,
        extra_data: dict[str, Any] | None = None,
    ) -> tuple[str, int]:
        token, lifetime = moto_create_jwt(
            pool, client_id, username, token_use, expires_in, extra_data
        )
        return sign(unverified_claims(token)), lifetime

    pool.create_jwt = create_jwt


def find_user(pool: Any, username: str) -> Any | None:
    """By user name, sub or e-mail, as moto's `_get_user` resolves sign-in names."""
    return pool._get_user(username)


def attributes_of(user: Any) -> dict[str, str]:
    """The user's attributes by name (`sub`, `email`, ...), as AdminGetUser lists them."""
    return {a["Name"]: a["Value"] for a in user.attributes}


def username_of(user: Any) -> str:
    return user.username


def status_of(user: Any) -> str:
    return user.status


def password_of(user: Any) -> str:
    return user.password


def user_id_of(user: Any) -> str:
    return user.id


NOT_ISSUED = object()


def refresh_token_record(pool: Any, token: str) -> Any:
    """(client_id, username, origin_jti); None once revoked; NOT_ISSUED if never issued."""
    return pool.refresh_tokens.get(token, NOT_ISSUED)


def access_token_owner(pool: Any, token: str) -> tuple[str, str] | None:
    """(client_id, username) of a live access token, None if revoked or unknown."""
    return pool.access_tokens.get(token)


def _drop_tokens(pool: Any, matches: Callable[[str, str], bool]) -> None:
    for book in (pool.access_tokens, pool.id_tokens):
        for token, (_, username) in list(book.items()):
            if matches(token, username):
                del book[token]


def revoke_refresh_token(pool: Any, token: str) -> None:
    """The refresh token, and the access and ID tokens it produced, stop working."""
    record = pool.refresh_tokens.get(token)
    if not record:
        return
    origin_jti = record[2]
    pool.refresh_tokens[token] = None
    _drop_tokens(pool, lambda t, _: unverified_claims(t).get("origin_jti") == origin_jti)


def sign_out_everywhere(pool: Any, user_id: str) -> None:
    """Every session of the user ends, whichever name it was opened with."""

    def same_user(username: str) -> bool:
        user = find_user(pool, username)
        return user is not None and user.id == user_id

    for token, record in list(pool.refresh_tokens.items()):
        if record and same_user(record[1]):
            pool.refresh_tokens[token] = None
    _drop_tokens(pool, lambda _, username: same_user(username))
