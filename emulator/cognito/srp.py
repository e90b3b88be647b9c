"""The server side of Cognito's SRP sign-in (`USER_SRP_AUTH` + `PASSWORD_VERIFIER`).

moto 5.2.5 answers `USER_SRP_AUTH` with random `SRP_B` and `SALT` and then accepts any
`PASSWORD_CLAIM_SIGNATURE`, so a wrong password signs in. Cognito runs SRP-6a over the
3072-bit group of RFC 5054 with its own derivations (x from `<pool suffix><user id>:<password>`,
an HKDF labelled "Caldera Derived Key", the claim an HMAC over pool, user, secret block and
timestamp). No library implements the server half, so it is written here from the very
primitives the client half uses: pycognito's `aws_srp` helpers (the same arithmetic as
Amplify JS's AuthenticationHelper), so server and client cannot drift apart.

The verifier is derived at challenge time from the password moto stores (a real pool keeps
only the verifier; the emulator keeps what moto keeps).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from pycognito.aws_srp import (
    G_HEX,
    N_HEX,
    calculate_u,
    compute_hkdf,
    hash_sha256,
    hex_hash,
    hex_to_long,
    long_to_hex,
    pad_hex,
)

N = hex_to_long(N_HEX)
G = hex_to_long(G_HEX)
K = hex_to_long(hex_hash("00" + N_HEX + "0" + G_HEX))


class SrpError(ValueError):
    """The client's SRP values are unusable (Cognito answers InvalidParameterException)."""


def pool_suffix(user_pool_id: str) -> str:
    """`eu-west-1_AbC123` -> `AbC123`, the pool name SRP hashes."""
    return user_pool_id.split("_", 1)[1]


def new_salt() -> str:
    """16 random bytes in hex whose first byte is 0x10..0x7f.

    Clients parse SALT as a number and re-pad it (Amplify JS) or pad the string as given
    (pycognito); a salt with no leading zero nibble and no high bit pads the same both ways.
    """
    while True:
        salt = os.urandom(16)
        if 0x10 <= salt[0] <= 0x7F:
            return salt.hex()


def verifier(pool_id: str, user_id: str, password: str, salt_hex: str) -> int:
    """v = g^x mod N, x = H(salt | H(pool | user | ':' | password))."""
    identity = hash_sha256(f"{pool_suffix(pool_id)}{user_id}:{password}".encode())
    x = hex_to_long(hex_hash(pad_hex(salt_hex) + identity))
    return pow(G, x, N)


@dataclass(frozen=True)
class ServerChallenge:
    """One PASSWORD_VERIFIER challenge: what was sent and the secret needed to check it."""

    pool_id: str
    user_id: str
    salt_hex: str
    large_a: int
    small_b: int
    large_b: int
    v: int

    @classmethod
    def start(cls, pool_id: str, user_id: str, password: str, srp_a_hex: str) -> ServerChallenge:
        try:
            large_a = hex_to_long(srp_a_hex)
        except ValueError:
            raise SrpError("SRP_A is not a hexadecimal number.") from None
        if large_a % N == 0:
            raise SrpError("SRP_A is not a valid SRP value.")
        salt = new_salt()
        v = verifier(pool_id, user_id, password, salt)
        while True:
            small_b = int.from_bytes(os.urandom(128), "big") % N
            large_b = (K * v + pow(G, small_b, N)) % N
            if large_b % N and calculate_u(large_a, large_b):
                return cls(pool_id, user_id, salt, large_a, small_b, large_b, v)

    @property
    def srp_b_hex(self) -> str:
        return long_to_hex(self.large_b)

    def expected_signature(self, secret_block_b64: str, timestamp: str) -> bytes:
        u = calculate_u(self.large_a, self.large_b)
        s = pow(self.large_a * pow(self.v, u, N), self.small_b, N)
        key = compute_hkdf(
            bytearray.fromhex(pad_hex(s)), bytearray.fromhex(pad_hex(long_to_hex(u)))
        )
        message = (
            pool_suffix(self.pool_id).encode()
            + self.user_id.encode()
            + base64.b64decode(secret_block_b64)
            + timestamp.encode()
        )
        return hmac.new(key, message, hashlib.sha256).digest()

    def verify(self, signature_b64: str, secret_block_b64: str, timestamp: str) -> bool:
        try:
            given = base64.b64decode(signature_b64, validate=True)
        except ValueError:
            return False
        return hmac.compare_digest(given, self.expected_signature(secret_block_b64, timestamp))
