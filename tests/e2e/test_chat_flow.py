"""A chat as clients see it: rooms over HTTP, messages over the real-time WebSocket."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from gql import gql
from gql.transport.exceptions import TransportQueryError

from tests.e2e.clients import execute, first_event, realtime_client

pytestmark = pytest.mark.e2e

CREATE_ROOM = """mutation($input: CreateRoomInput!) {
  createRoom(input: $input) { roomId type memberCount } }"""
SEND = """mutation($roomId: ID!, $content: String!) {
  sendMessage(input: {roomId: $roomId, content: $content}) {
    roomId messageId content authorId } }"""
ON_MESSAGE = gql(
    """subscription($roomId: ID!) {
      onMessageAdded(roomId: $roomId) { roomId messageId content authorId } }"""
)
LEAVE = "mutation($roomId: ID!) { leaveRoom(roomId: $roomId) { userId } }"
BAN = """mutation($roomId: ID!, $userId: ID!) {
  banMember(roomId: $roomId, userId: $userId) { userId } }"""


async def private_room(outputs, users, owner: str, *members: str) -> str:
    room = await execute(
        outputs,
        users.token(owner),
        CREATE_ROOM,
        {
            "input": {
                "name": f"e2e-{uuid.uuid4().hex[:8]}",
                "type": "PRIVATE",
                "memberIds": [users.sub(m) for m in members],
            }
        },
    )
    return room["createRoom"]["roomId"]


async def send(outputs, users, author: str, room_id: str, content: str) -> dict:
    reply = await execute(
        outputs, users.token(author), SEND, {"roomId": room_id, "content": content}
    )
    return reply["sendMessage"]


async def test_member_receives_the_message_another_member_sends(outputs, users):
    room_id = await private_room(outputs, users, "alice", "bob")
    sent: list[dict] = []

    async def alice_sends() -> None:
        sent.append(await send(outputs, users, "alice", room_id, "hello bob"))

    async with realtime_client(outputs, users.token("bob")) as bob:
        stream = bob.subscribe(ON_MESSAGE, variable_values={"roomId": room_id})
        event = (await first_event(stream, alice_sends))["onMessageAdded"]
        await stream.aclose()

    assert event["messageId"] in {m["messageId"] for m in sent}
    assert event == {
        "roomId": room_id,
        "messageId": event["messageId"],
        "content": "hello bob",
        "authorId": users.sub("alice"),
    }


async def test_non_member_subscription_is_refused(outputs, users):
    room_id = await private_room(outputs, users, "alice", "bob")
    async with realtime_client(outputs, users.token("carol")) as carol:
        with pytest.raises(TransportQueryError) as refused:
            async for _ in carol.subscribe(ON_MESSAGE, variable_values={"roomId": room_id}):
                pass
    errors = refused.value.errors or []
    assert errors and errors[0]["errors"][0]["errorType"] == "Unauthorized", errors


async def test_subscription_only_gets_its_own_room(outputs, users):
    watched = await private_room(outputs, users, "alice", "bob")
    other = await private_room(outputs, users, "alice", "bob")

    async def send_to_other_then_watched() -> None:
        await send(outputs, users, "alice", other, "not for this subscription")
        await send(outputs, users, "alice", watched, "for this subscription")

    async with realtime_client(outputs, users.token("bob")) as bob:
        stream = bob.subscribe(ON_MESSAGE, variable_values={"roomId": watched})
        event = (await first_event(stream, send_to_other_then_watched))["onMessageAdded"]
        await stream.aclose()
    assert (event["roomId"], event["content"]) == (watched, "for this subscription")


@pytest.mark.parametrize(
    ("actor", "mutation"), [("bob", LEAVE), ("alice", BAN)], ids=["leave", "ban"]
)
async def test_delivery_ends_when_the_subscriber_loses_access(outputs, users, actor, mutation):
    room_id = await private_room(outputs, users, "alice", "bob")

    async def alice_sends_before() -> None:
        await send(outputs, users, "alice", room_id, "before")

    async def drain(stream) -> list[dict]:
        return [event async for event in stream]

    async with realtime_client(outputs, users.token("bob")) as bob:
        stream = bob.subscribe(ON_MESSAGE, variable_values={"roomId": room_id})
        await first_event(stream, alice_sends_before)
        variables = {"roomId": room_id}
        if "$userId" in mutation:
            variables["userId"] = users.sub("bob")
        await execute(outputs, users.token(actor), mutation, variables)
        await send(outputs, users, "alice", room_id, "after")
        remaining = await asyncio.wait_for(drain(stream), timeout=30)
    assert [
        e["onMessageAdded"]["content"]
        for e in remaining
        if e["onMessageAdded"]["content"] != "before"
    ] == []
