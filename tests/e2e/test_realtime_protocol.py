"""The AppSync real-time protocol frame by frame, with a plain WebSocket client."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.e2e.clients import execute, host

pytestmark = pytest.mark.e2e

SUBSCRIBE_TYPING = "subscription($roomId: ID!) { onTyping(roomId: $roomId) { roomId userId } }"


def encoded(value: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def connect(outputs: dict[str, Any], token: str, subprotocols=("graphql-ws",)):
    header = encoded({"host": host(outputs), "Authorization": token})
    url = f"{outputs['realtimeUrl']}?header={header}&payload=e30="
    return websockets.connect(url, subprotocols=list(subprotocols))


async def receive(ws) -> dict[str, Any]:
    return json.loads(await ws.recv())


async def acknowledged(ws) -> dict[str, Any]:
    await ws.send(json.dumps({"type": "connection_init"}))
    return await receive(ws)


def start(subscription_id: str, token: str, outputs: dict[str, Any], variables: dict) -> str:
    data = json.dumps({"query": SUBSCRIBE_TYPING, "variables": variables})
    return json.dumps(
        {
            "id": subscription_id,
            "type": "start",
            "payload": {
                "data": data,
                "extensions": {"authorization": {"host": host(outputs), "Authorization": token}},
            },
        }
    )


async def public_room(outputs, token: str) -> str:
    created = await execute(
        outputs,
        token,
        'mutation { createRoom(input: {name: "frames", type: PUBLIC}) { roomId } }',
    )
    return created["createRoom"]["roomId"]


async def test_connection_init_is_acknowledged_then_kept_alive(outputs, users):
    async with connect(outputs, users.token("alice")) as ws:
        assert ws.subprotocol == "graphql-ws"
        ack = await acknowledged(ws)
        assert ack["type"] == "connection_ack"
        assert isinstance(ack["payload"]["connectionTimeoutMs"], int)
        assert ack["payload"]["connectionTimeoutMs"] > 0
        assert await receive(ws) == {"type": "ka"}


async def test_a_connection_without_the_graphql_ws_subprotocol_is_refused(outputs, users):
    with pytest.raises(InvalidStatus):
        async with connect(outputs, users.token("alice"), subprotocols=()) as ws:
            await ws.recv()


async def test_an_invalid_token_in_the_header_gets_connection_error(outputs):
    async with connect(outputs, "not-a-jwt") as ws:
        answer = await acknowledged(ws)
    assert answer["type"] == "connection_error"
    assert answer["payload"]["errors"][0]["errorType"] == "UnauthorizedException"


async def test_start_stop_and_events_follow_the_protocol(outputs, users):
    token = users.token("alice")
    room_id = await public_room(outputs, token)
    async with connect(outputs, token) as ws:
        await acknowledged(ws)
        await ws.send(start("typing-1", token, outputs, {"roomId": room_id}))
        frames = [await receive(ws)]
        while frames[-1]["type"] == "ka":
            frames.append(await receive(ws))
        assert frames[-1] == {"type": "start_ack", "id": "typing-1"}

        await execute(
            outputs,
            users.token("alice"),
            "mutation($r: ID!) { sendTyping(roomId: $r, isTyping: true) { roomId userId } }",
            {"r": room_id},
        )
        event = await receive(ws)
        while event["type"] == "ka":
            event = await receive(ws)
        assert event == {
            "type": "data",
            "id": "typing-1",
            "payload": {"data": {"onTyping": {"roomId": room_id, "userId": users.sub("alice")}}},
        }

        await ws.send(json.dumps({"type": "stop", "id": "typing-1"}))
        answer = await receive(ws)
        while answer["type"] == "ka":
            answer = await receive(ws)
        assert answer == {"type": "complete", "id": "typing-1"}


async def test_start_with_a_rejected_token_gets_an_error_for_that_id(outputs, users):
    token = users.token("alice")
    room_id = await public_room(outputs, token)
    async with connect(outputs, token) as ws:
        await acknowledged(ws)
        await ws.send(start("bad-1", token + "x", outputs, {"roomId": room_id}))
        answer = await receive(ws)
        while answer["type"] == "ka":
            answer = await receive(ws)
    assert answer["type"] == "error"
    assert answer["id"] == "bad-1"
    assert answer["payload"]["errors"][0]["errorType"] == "UnauthorizedException"


async def test_a_duplicate_subscription_id_is_an_error(outputs, users):
    token = users.token("alice")
    room_id = await public_room(outputs, token)
    async with connect(outputs, token) as ws:
        await acknowledged(ws)
        for _ in range(2):
            await ws.send(start("same", token, outputs, {"roomId": room_id}))
        answers = []
        while len([a for a in answers if a["type"] != "ka"]) < 2:
            answers.append(await receive(ws))
    answers = [a for a in answers if a["type"] != "ka"]
    assert answers[0] == {"type": "start_ack", "id": "same"}
    assert answers[1]["type"] == "error"
    assert answers[1]["payload"]["errors"][0]["errorType"] == "DuplicatedOperationError"
