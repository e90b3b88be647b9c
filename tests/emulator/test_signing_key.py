"""The Cognito signing key: one per data directory, private, named by its RFC 7638 thumbprint."""

from __future__ import annotations

import base64
import hashlib
import json

import jwt

from emulator.cognito.keys import SIGNING_KEY_FILE, load_or_create_signing_key


def test_the_key_is_kept_private_and_reused(tmp_path):
    first = load_or_create_signing_key(tmp_path)
    assert (tmp_path / SIGNING_KEY_FILE).stat().st_mode & 0o777 == 0o600
    again = load_or_create_signing_key(tmp_path)
    assert again.kid == first.kid
    token = first.sign({"sub": "x"})
    assert jwt.decode(token, again.private_key.public_key(), algorithms=["RS256"]) == {"sub": "x"}


def test_each_data_directory_and_each_keyless_run_has_its_own_key(tmp_path):
    kids = {
        load_or_create_signing_key(tmp_path / "a").kid,
        load_or_create_signing_key(tmp_path / "b").kid,
        load_or_create_signing_key(None).kid,
        load_or_create_signing_key(None).kid,
    }
    assert len(kids) == 4


def test_the_jwks_holds_the_public_key_under_its_thumbprint(tmp_path):
    key = load_or_create_signing_key(tmp_path)
    (public,) = key.jwks()["keys"]
    assert "d" not in public, "the JWKS must not carry the private exponent"
    canonical = json.dumps(
        {"e": public["e"], "kty": "RSA", "n": public["n"]}, separators=(",", ":")
    )
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=")
    assert public["kid"] == key.kid == thumbprint.decode()
    verifier = jwt.PyJWK(public)
    assert jwt.decode(key.sign({"a": 1}), verifier.key, algorithms=["RS256"]) == {"a": 1}
    assert jwt.get_unverified_header(key.sign({}))["kid"] == key.kid
