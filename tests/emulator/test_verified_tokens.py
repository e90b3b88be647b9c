"""The Cognito verifier remembers a verified token only until it expires."""

from __future__ import annotations

import pytest

from emulator import authentication as auth
from emulator.authentication import AuthError, CognitoVerifier


@pytest.fixture
def verifier(monkeypatch):
    verifier = CognitoVerifier("https://issuer", "client", "http://127.0.0.1:1/jwks.json")
    calls: list[str] = []

    def verify(token: str) -> dict:
        calls.append(token)
        if token == "revoked-key":
            raise AuthError("Token signature is invalid.")
        return {"sub": token, "exp": 1_000, "token_use": "id"}

    monkeypatch.setattr(verifier, "_verify", verify)
    verifier.calls = calls
    return verifier


def test_a_verified_token_is_not_verified_again_before_it_expires(verifier, monkeypatch):
    monkeypatch.setattr(auth.time, "time", lambda: 500.0)
    assert verifier.claims("Bearer t1")["sub"] == "t1"
    assert verifier.claims("t1")["sub"] == "t1"
    assert verifier.calls == ["t1"]


def test_an_expired_token_is_verified_again_and_refused(verifier, monkeypatch):
    monkeypatch.setattr(auth.time, "time", lambda: 500.0)
    verifier.claims("t1")
    monkeypatch.setattr(auth.time, "time", lambda: 1_000.0)
    verifier.claims("t1")
    assert verifier.calls == ["t1", "t1"]


def test_a_refused_token_is_never_remembered(verifier):
    for _ in range(2):
        with pytest.raises(AuthError):
            verifier.claims("revoked-key")
    assert verifier.calls == ["revoked-key", "revoked-key"]


def test_at_most_the_bound_is_kept(verifier, monkeypatch):
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_KEPT", 2)
    monkeypatch.setattr(auth.time, "time", lambda: 500.0)
    for token in ("a", "b", "c", "a"):
        verifier.claims(token)
    assert verifier.calls == ["a", "b", "c", "a"]
