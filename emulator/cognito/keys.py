"""The user pool's token-signing key: one RSA key per data directory, and its JWKS.

moto signs every Cognito token with one private key that ships inside the moto package,
the same for every pool and every installation, so anyone could mint an Admin token for
a running emulator. The emulator signs with a key of its own instead: generated on first
start, kept as `cognito-signing-key.pem` (mode 0600) in the key directory (`--data-dir`,
or the outputs file's folder), so tokens stay valid across restarts that keep it. The
JWKS served at `<awsEndpoint>/<poolId>/.well-known/jwks.json` holds only this key, with
its RFC 7638 thumbprint as `kid`, which is how Cognito names its keys too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SIGNING_KEY_FILE = "cognito-signing-key.pem"


def _thumbprint(public_jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 over the required members in lexical order, no whitespace."""
    canonical = json.dumps(
        {name: public_jwk[name] for name in ("e", "kty", "n")}, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    private_key: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def from_private_key(cls, key: rsa.RSAPrivateKey) -> SigningKey:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
        return cls(key, _thumbprint(public))

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict[str, Any]:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        return {"keys": [{**public, "alg": "RS256", "kid": self.kid, "use": "sig"}]}


def load_or_create_signing_key(directory: Path | None) -> SigningKey:
    """The key kept in `directory` (made on first use); a fresh one when there is none."""
    if directory is None:
        return SigningKey.from_private_key(
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
    path = directory / SIGNING_KEY_FILE
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{path} does not hold an RSA private key; move it away")
        return SigningKey.from_private_key(key)
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    os.replace(temporary, path)
    return SigningKey.from_private_key(key)
