"""The moto internals local Cognito relies on (`emulator/cognito/moto_internals.py`).

Each test names one internal and fails when moto changes it, so upgrading moto is a
deliberate step: re-check the module against the new version, then update
`MOTO_VERSION_CHECKED`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import moto
import pytest
from moto import mock_aws
from moto.cognitoidp.models import CognitoIdpUserPool

from emulator.cognito import moto_internals as internals
from emulator.cognito.keys import load_or_create_signing_key
from emulator.testing import KEEP_BOTO3_SESSION

ACCOUNT = "123456789012"
REGION = "eu-west-1"
PASSWORD = "Internals-2026!"
EMAIL = "someone@example.com"


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("cognito-idp", region_name=REGION)
        pool_id = client.create_user_pool(PoolName="p", UsernameAttributes=["email"])["UserPool"][
            "Id"
        ]
        client_id = client.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            EnableTokenRevocation=True,
            PreventUserExistenceErrors="ENABLED",
        )["UserPoolClient"]["ClientId"]
        client.admin_create_user(
            UserPoolId=pool_id,
            Username=EMAIL,
            UserAttributes=[{"Name": "email", "Value": EMAIL}],
            MessageAction="SUPPRESS",
        )
        client.admin_set_user_password(
            UserPoolId=pool_id, Username=EMAIL, Password=PASSWORD, Permanent=True
        )
        yield {"client": client, "pool_id": pool_id, "client_id": client_id}


def sign_in(pool: dict[str, Any]) -> dict[str, str]:
    return pool["client"].initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": EMAIL, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]


def model(pool: dict[str, Any]) -> Any:
    return internals.user_pool(ACCOUNT, REGION, pool["pool_id"])


def test_the_moto_version_is_the_one_checked():
    assert moto.__version__ == internals.MOTO_VERSION_CHECKED, (
        "moto changed: re-check emulator/cognito/moto_internals.py against it, "
        "then update MOTO_VERSION_CHECKED"
    )


def test_create_jwt_keeps_its_signature():
    parameters = list(inspect.signature(CognitoIdpUserPool.create_jwt).parameters)
    assert parameters == ["self", "client_id", "username", "token_use", "expires_in", "extra_data"]


def test_pools_are_found_by_id_and_by_client(pool):
    found = model(pool)
    assert found.id == pool["pool_id"]
    assert internals.pool_of_client(ACCOUNT, REGION, pool["client_id"]) is found
    assert internals.pool_of_client(ACCOUNT, REGION, "no-such-client") is None
    assert internals.token_revocation_enabled(found, pool["client_id"]) is True
    assert internals.prevents_user_existence_errors(found, pool["client_id"]) is True


def test_users_carry_their_password_and_id_and_are_found_by_email(pool):
    user = internals.find_user(model(pool), EMAIL)
    assert internals.password_of(user) == PASSWORD
    sub = next(a["Value"] for a in user.attributes if a["Name"] == "sub")
    assert internals.user_id_of(user) == sub
    assert internals.find_user(model(pool), sub) is user


def test_token_books_hold_the_shapes_local_cognito_reads(pool):
    tokens = sign_in(pool)
    found = model(pool)
    record = internals.refresh_token_record(found, tokens["RefreshToken"])
    origin_jti = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})[
        "origin_jti"
    ]
    assert record == (pool["client_id"], EMAIL, origin_jti)
    assert internals.access_token_owner(found, tokens["AccessToken"]) == (pool["client_id"], EMAIL)
    assert found.id_tokens[tokens["IdToken"]] == (pool["client_id"], EMAIL)
    assert internals.refresh_token_record(found, "never-issued") is internals.NOT_ISSUED


def test_a_wrapped_create_jwt_signs_every_token_and_moto_keeps_using_them(pool):
    key = load_or_create_signing_key(None)
    internals.sign_tokens_with(model(pool), key.sign)
    tokens = sign_in(pool)
    public = key.private_key.public_key()
    for name in ("IdToken", "AccessToken"):
        assert jwt.get_unverified_header(tokens[name])["kid"] == key.kid
        jwt.decode(tokens[name], public, algorithms=["RS256"], options={"verify_aud": False})
    assert pool["client"].get_user(AccessToken=tokens["AccessToken"])["Username"]
    renewed = pool["client"].initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    jwt.decode(renewed["AccessToken"], public, algorithms=["RS256"])


def test_a_revoked_refresh_token_is_refused_by_motos_own_refresh(pool):
    tokens = sign_in(pool)
    internals.revoke_refresh_token(model(pool), tokens["RefreshToken"])
    assert internals.refresh_token_record(model(pool), tokens["RefreshToken"]) is None
    with pytest.raises(pool["client"].exceptions.NotAuthorizedException):
        pool["client"].initiate_auth(
            ClientId=pool["client_id"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    with pytest.raises(pool["client"].exceptions.NotAuthorizedException):
        pool["client"].get_user(AccessToken=tokens["AccessToken"])


def test_signing_out_everywhere_ends_sessions_under_any_spelling(pool):
    by_email = sign_in(pool)
    user = internals.find_user(model(pool), EMAIL)
    other_spelling = model(pool).create_refresh_token(
        pool["client_id"], internals.user_id_of(user)
    )[0]
    internals.sign_out_everywhere(model(pool), internals.user_id_of(user))
    for token in (by_email["RefreshToken"], other_spelling):
        assert internals.refresh_token_record(model(pool), token) is None
    assert internals.access_token_owner(model(pool), by_email["AccessToken"]) is None
