"""Credentials as AppSync checks them: Cognito JWTs (JWKS, issuer, client, expiry) and IAM."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import aiohttp
import jwt
import pytest
from botocore.credentials import Credentials
from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.appsync_auth import AppSyncIAMAuthentication
from gql.transport.exceptions import TransportQueryError, TransportServerError

from emulator.authentication import EMULATOR_CREDENTIALS
from emulator.cognito.keys import SIGNING_KEY_FILE, load_or_create_signing_key
from tests.e2e.clients import host, realtime_client

SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided."
)
UNKNOWN_KEY = "The security token included in the request is invalid."

pytestmark = pytest.mark.e2e

GET_ROOM = '{ getRoom(roomId: "nowhere") { roomId } }'
LIST_MEMBERS = '{ listMembers(roomId: "nowhere") { items { userId } } }'
ON_TYPING = gql('subscription { onTyping(roomId: "nowhere") { roomId } }')


def pool_signed(claims: dict[str, Any], key_directory: Path) -> str:
    """A token signed with the emulated pool's own key: only the claims can be wrong."""
    return load_or_create_signing_key(key_directory).sign(claims)


async def post(
    outputs: dict[str, Any], headers: dict[str, str], query: str = GET_ROOM
) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(outputs["graphqlUrl"], json={"query": query}, headers=headers) as reply,
    ):
        return reply.status, await reply.json()


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def key_directory(users) -> Path:
    """Where the emulator keeps its signing key (no --data-dir: beside the outputs file)."""
    directory = Path(users.outputs["amplifyConfigFile"]).parent
    assert (directory / SIGNING_KEY_FILE).exists(), "the emulator's signing key is not there"
    return directory


def expired(users) -> str:
    claims = claims_of(users.token("alice"))
    claims["exp"] = int(time.time()) - 60
    return pool_signed(claims, key_directory(users))


def other_issuer(users) -> str:
    claims = claims_of(users.token("alice"))
    claims["iss"] = claims["iss"] + "-elsewhere"
    return pool_signed(claims, key_directory(users))


def tampered_signature(users) -> str:
    head, payload, signature = users.token("alice").split(".")
    return ".".join(
        (head, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB"))
    )


def tampered_claims(users) -> str:
    head, _, signature = users.token("alice").split(".")
    claims = claims_of(users.token("alice"))
    claims["cognito:groups"] = ["Admin", "Moderator"]
    payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    return ".".join((head, payload, signature))


def other_client(users) -> str:
    client_id = users.cognito.create_user_pool_client(
        UserPoolId=users.outputs["userPoolId"],
        ClientName="another-app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return users.token("bob", client_id=client_id)


BAD_TOKENS = {
    "expired": expired,
    "wrong-issuer": other_issuer,
    "bad-signature": tampered_signature,
    "forged-claims": tampered_claims,
    "other-app-client": other_client,
    "garbage": lambda users: "garbage",
}


async def test_a_valid_token_is_accepted(outputs, users):
    query = "{ listPublicRooms(limit: 1) { items { roomId } } }"
    status, body = await post(outputs, {"Authorization": users.token("alice")}, query)
    assert status == 200
    assert "errors" not in body, body
    assert isinstance(body["data"]["listPublicRooms"]["items"], list)


async def test_the_pool_key_with_unchanged_claims_is_accepted(outputs, users):
    """The control for `expired` and `wrong-issuer`: only their claims make them fail."""
    token = pool_signed(claims_of(users.token("alice")), key_directory(users))
    status, body = await post(outputs, {"Authorization": token})
    assert status == 200, body


async def test_a_request_without_authorization_is_unauthorized(outputs):
    status, body = await post(outputs, {})
    assert status == 401
    assert body["errors"][0]["errorType"] == "UnauthorizedException"


@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_bad_tokens_are_rejected_over_http(outputs, users, make_token):
    status, body = await post(outputs, {"Authorization": make_token(users)})
    assert status == 401
    assert body["errors"][0]["errorType"] == "UnauthorizedException", body


@pytest.mark.parametrize("make_token", BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
async def test_bad_tokens_are_rejected_over_the_websocket(outputs, users, make_token):
    with pytest.raises(TransportServerError, match="UnauthorizedException"):
        async with realtime_client(outputs, make_token(users)) as session:
            async for _ in session.subscribe(ON_TYPING):
                pass


def iam_client(outputs, credentials: Credentials) -> Client:
    auth = AppSyncIAMAuthentication(
        host=host(outputs), region_name=outputs["region"], credentials=credentials
    )
    return Client(transport=AIOHTTPTransport(url=outputs["graphqlUrl"], auth=auth))


async def test_iam_caller_is_authenticated_but_denied_fields_without_aws_iam(outputs):
    """Query.listMembers has no auth directive, so only the default mode (user pools) may
    call it: AppSync authenticates the signed request and denies the field."""
    async with iam_client(outputs, EMULATOR_CREDENTIALS) as session:
        with pytest.raises(TransportQueryError) as denied:
            await session.execute(gql(LIST_MEMBERS))
    assert denied.value.errors[0]["errorType"] == "Unauthorized"
    assert denied.value.errors[0]["path"] == ["listMembers"]


async def test_iam_signature_with_unknown_secret_is_rejected(outputs):
    forged = Credentials(EMULATOR_CREDENTIALS.access_key, "not-the-secret")
    async with iam_client(outputs, forged) as session:
        with pytest.raises(TransportQueryError) as rejected:
            await session.execute(gql(GET_ROOM))
    assert rejected.value.errors == [
        {"errorType": "UnauthorizedException", "message": SIGNATURE_MISMATCH}
    ]


async def test_iam_signature_with_unknown_key_is_rejected(outputs):
    stranger = Credentials("AKIASTRANGER00000000", EMULATOR_CREDENTIALS.secret_key)
    async with iam_client(outputs, stranger) as session:
        with pytest.raises(TransportQueryError) as rejected:
            await session.execute(gql(GET_ROOM))
    assert rejected.value.errors == [{"errorType": "UnauthorizedException", "message": UNKNOWN_KEY}]
