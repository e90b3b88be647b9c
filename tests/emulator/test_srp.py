"""The server side of Cognito SRP against pycognito's client side (Amplify JS: e2e tests)."""

from __future__ import annotations

import base64
import os

import pytest
from pycognito.aws_srp import AWSSRP, N_HEX

from emulator.cognito.srp import ServerChallenge, SrpError, new_salt

POOL = "eu-west-1_Example123"
USER = "7d0a4c2e-0000-4000-8000-000000000001"
PASSWORD = "Correct-Horse-2026!"


class _NoClient:
    """AWSSRP wants a boto3 client; these tests only use its arithmetic."""


def run(password_at_server: str, password_at_client: str) -> bool:
    srp = AWSSRP(USER, password_at_client, POOL, "client", client=_NoClient())
    challenge = ServerChallenge.start(
        POOL, USER, password_at_server, format(srp.large_a_value, "x")
    )
    secret_block = base64.b64encode(os.urandom(64)).decode()
    answer = srp.process_challenge(
        {
            "USER_ID_FOR_SRP": USER,
            "SALT": challenge.salt_hex,
            "SRP_B": challenge.srp_b_hex,
            "SECRET_BLOCK": secret_block,
        },
        {"USERNAME": USER},
    )
    return challenge.verify(
        answer["PASSWORD_CLAIM_SIGNATURE"],
        answer["PASSWORD_CLAIM_SECRET_BLOCK"],
        answer["TIMESTAMP"],
    )


def test_the_right_password_is_verified():
    assert run(PASSWORD, PASSWORD)


@pytest.mark.parametrize("wrong", ["", "correct-horse-2026!", PASSWORD + " ", PASSWORD[:-1]])
def test_a_wrong_password_is_not(wrong: str):
    assert not run(PASSWORD, wrong)


def test_a_signature_that_is_not_base64_is_refused():
    srp = AWSSRP(USER, PASSWORD, POOL, "client", client=_NoClient())
    challenge = ServerChallenge.start(POOL, USER, PASSWORD, format(srp.large_a_value, "x"))
    assert not challenge.verify("not base64!", base64.b64encode(b"x").decode(), "now")


@pytest.mark.parametrize("srp_a", ["zz", "0", N_HEX], ids=["not-hex", "zero", "N"])
def test_unusable_client_values_are_refused(srp_a: str):
    with pytest.raises(SrpError):
        ServerChallenge.start(POOL, USER, PASSWORD, srp_a)


def test_salts_pad_the_same_way_as_numbers_and_as_strings():
    for _ in range(200):
        salt = new_salt()
        assert len(salt) == 32
        assert format(int(salt, 16), "x") == salt, "a leading zero would pad differently"
        assert salt[0] in "1234567", "a high first nibble would pad differently"
