"""Every way AppSync's real-time endpoint takes credentials, on both paths, with and without TLS.

AppSync documents the `header`/`payload` query parameters and, as Amplify JS v6 sends it,
a `header-<base64url JSON>` subprotocol next to `graphql-ws`; the headers are a user-pool
token (ID or access) or a SigV4 signature of `POST /graphql/connect` with body `{}`.
"""

from __future__ import annotations

import base64
import json
import ssl
from typing import Any
from urllib.parse import urlsplit

import pytest
import websockets
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

from emulator.authentication import EMULATOR_CREDENTIALS
from tests.e2e.clients import cognito_client, execute

pytestmark = pytest.mark.e2e

ON_TYPING = "subscription($roomId: ID!) { onTyping(roomId: $roomId) { roomId userId } }"


def b64url(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def endpoint(outputs: dict[str, Any], secure: bool, path: str) -> str:
    base = outputs["graphqlHttpsUrl"] if secure else outputs["graphqlUrl"]
    parts = urlsplit(base)
    return f"{'wss' if secure else 'ws'}://{parts.netloc}{path}"


def tls_context(outputs: dict[str, Any]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=outputs["caCertificateFile"])


def open_socket(outputs, url: str, headers: dict[str, Any], form: str, extra=()):
    secure = url.startswith("wss:")
    if form == "query":
        url = f"{url}?header={b64url(headers)}&payload=e30"
        subprotocols = ["graphql-ws", *extra]
    else:
        subprotocols = [*extra, "graphql-ws", f"header-{b64url(headers)}"]
    return websockets.connect(
        url, subprotocols=subprotocols, ssl=tls_context(outputs) if secure else None
    )


async def next_frame(ws) -> dict[str, Any]:
    while True:
        frame = json.loads(await ws.recv())
        if frame["type"] != "ka":
            return frame


def iam_headers(host: str, path: str, body: str, region: str) -> dict[str, str]:
    request = AWSRequest(
        method="POST",
        url=f"https://{host}{path}",
        data=body,
        headers={
            "accept": "application/json, text/javascript",
            "content-encoding": "amz-1.0",
            "content-type": "application/json; charset=UTF-8",
            "host": host,
        },
    )
    SigV4Auth(EMULATOR_CREDENTIALS, "appsync", region).add_auth(request)
    return dict(request.headers.items())


@pytest.fixture
async def typing_room(outputs, users) -> str:
    created = await execute(
        outputs,
        users.token("alice"),
        'mutation { createRoom(input: {name: "auth forms", type: PUBLIC}) { roomId } }',
    )
    return created["createRoom"]["roomId"]


def start_frame(subscription_id: str, room_id: str, authorization: dict[str, Any]) -> str:
    data = json.dumps({"query": ON_TYPING, "variables": {"roomId": room_id}})
    return json.dumps(
        {
            "id": subscription_id,
            "type": "start",
            "payload": {"data": data, "extensions": {"authorization": authorization}},
        }
    )


@pytest.mark.parametrize("form", ["query", "subprotocol"])
@pytest.mark.parametrize("path", ["/graphql", "/graphql/realtime"])
@pytest.mark.parametrize("secure", [False, True], ids=["ws", "wss"])
async def test_a_user_pool_token_connects_and_subscribes(outputs, users, form, path, secure):
    token = users.token("alice")
    url = endpoint(outputs, secure, path)
    headers = {"host": urlsplit(url).netloc, "Authorization": token}
    room_id = (
        await execute(
            outputs,
            token,
            'mutation { createRoom(input: {name: "forms", type: PUBLIC}) { roomId } }',
        )
    )["createRoom"]["roomId"]
    async with open_socket(outputs, url, headers, form) as ws:
        assert ws.subprotocol == "graphql-ws"
        await ws.send(json.dumps({"type": "connection_init"}))
        assert (await next_frame(ws))["type"] == "connection_ack"
        await ws.send(start_frame("s1", room_id, headers))
        assert await next_frame(ws) == {"type": "start_ack", "id": "s1"}


async def test_an_access_token_in_the_subprotocol_is_accepted(outputs, users):
    result = cognito_client(outputs).initiate_auth(
        ClientId=outputs["userPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob@example.com", "PASSWORD": "ChatDemo-2026!"},
    )["AuthenticationResult"]
    url = endpoint(outputs, True, "/graphql/realtime")
    headers = {"host": urlsplit(url).netloc, "Authorization": result["AccessToken"]}
    async with open_socket(outputs, url, headers, "subprotocol") as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert (await next_frame(ws))["type"] == "connection_ack"


@pytest.mark.parametrize("form", ["query", "subprotocol"])
async def test_an_iam_signature_connects_and_is_checked_again_at_start(outputs, typing_room, form):
    url = endpoint(outputs, True, "/graphql/realtime")
    host = urlsplit(outputs["graphqlHttpsUrl"]).netloc
    connect = iam_headers(host, "/graphql/connect", "{}", outputs["region"])
    async with open_socket(outputs, url, connect, form) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert (await next_frame(ws))["type"] == "connection_ack"
        data = json.dumps({"query": ON_TYPING, "variables": {"roomId": typing_room}})
        signed = iam_headers(host, "/graphql", data, outputs["region"])
        frame = json.loads(start_frame("iam-1", typing_room, signed))
        frame["payload"]["data"] = data
        await ws.send(json.dumps(frame))
        answer = await next_frame(ws)
        # Signed correctly, so authenticated; onTyping has no @aws_iam, so not authorized.
        assert answer["type"] == "error" and answer["id"] == "iam-1", answer
        assert answer["payload"]["errors"][0]["errorType"] == "Unauthorized", answer

        tampered = dict(signed, Authorization=signed["Authorization"][:-4] + "0000")
        await ws.send(start_frame("iam-2", typing_room, tampered))
        answer = await next_frame(ws)
        assert answer["payload"]["errors"][0]["errorType"] == "UnauthorizedException", answer


@pytest.mark.parametrize(
    "subprotocol",
    ["header-", "header-bm90LWpzb24", "header-" + b64url({"Authorization": "garbage"})],
    ids=["empty", "not-json", "bad-token"],
)
async def test_bad_subprotocol_credentials_get_connection_error_401(outputs, subprotocol):
    url = endpoint(outputs, True, "/graphql/realtime")
    async with websockets.connect(
        url, subprotocols=["graphql-ws", subprotocol], ssl=tls_context(outputs)
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        answer = await next_frame(ws)
    assert answer["type"] == "connection_error"
    error = answer["payload"]["errors"][0]
    assert error["errorType"] == "UnauthorizedException"
    assert error["errorCode"] == 401


async def test_wss_is_refused_by_a_client_that_does_not_trust_the_ca(outputs, users):
    url = endpoint(outputs, True, "/graphql/realtime")
    headers = {"host": urlsplit(url).netloc, "Authorization": users.token("alice")}
    with pytest.raises(ssl.SSLCertVerificationError):
        async with websockets.connect(
            url,
            subprotocols=["graphql-ws", f"header-{b64url(headers)}"],
            ssl=ssl.create_default_context(),
        ):
            pass
