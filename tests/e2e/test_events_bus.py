"""The events of a short conversation reach the bus, typed and matching their JSON Schemas.

Drives the real emulator: every step is a GraphQL call a client makes; the events are read
from what reached the local bus (`GET /_emulator/events`), after the messages, members and
rooms streams went through their Pipes (filter, enrichment, input transformation).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp
import jsonschema
import pytest

from chatspec.events import DETAIL_TYPES, event_source
from tests.e2e.api_calls import Api

pytestmark = pytest.mark.e2e
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas" / "events"
WAIT_SECONDS = 60

EDIT = """mutation($roomId: ID!, $messageId: ID!, $content: String!) {
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) { version } }"""
REACT = """mutation($roomId: ID!, $messageId: ID!, $emoji: String!) {
  addReaction(roomId: $roomId, messageId: $messageId, emoji: $emoji) { version } }"""
DELETE = """mutation($roomId: ID!, $messageId: ID!) {
  deleteMessage(roomId: $roomId, messageId: $messageId) { version } }"""
LEAVE = "mutation($roomId: ID!) { leaveRoom(roomId: $roomId) { userId } }"
BAN = """mutation($roomId: ID!, $userId: ID!) {
  banMember(roomId: $roomId, userId: $userId) { userId } }"""
DELETE_ROOM = "mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { roomId deleted } }"


async def bus_state(outputs: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as session, session.get(outputs["eventsUrl"]) as response:
        assert response.status == 200
        state = await response.json()
    assert isinstance(state["pending"], int) and state["pending"] >= 0
    return state


async def bus_events(outputs: dict[str, Any]) -> list[dict[str, Any]]:
    return (await bus_state(outputs))["events"]


async def delivered(outputs: dict[str, Any], rule: str, event_id: str) -> bool:
    """Whether the rule's Lambda target ran the event (waits a while for it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while loop.time() < deadline:
        state = await bus_state(outputs)
        if {"rule": rule, "eventId": event_id} in state["deliveries"]:
            return True
        assert {"rule": rule, "eventId": event_id} not in state["failures"]
        await asyncio.sleep(0.2)
    return False


async def room_events(outputs: dict[str, Any], room_id: str, wanted: dict[str, int]) -> list:
    """The room's events once at least `wanted[type]` of each type arrived (or the timeout)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_SECONDS
    while True:
        found = [e for e in await bus_events(outputs) if e["detail"].get("roomId") == room_id]
        counts = {t: sum(e["detail-type"] == t for e in found) for t in wanted}
        if all(counts[t] >= n for t, n in wanted.items()) or loop.time() > deadline:
            return found
        await asyncio.sleep(0.2)


def schema(detail_type: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{detail_type}.json").read_text())


async def test_a_short_conversation_arrives_on_the_bus_matching_the_schemas(outputs, users):
    api = Api(outputs, users)
    room = await api.create_room("alice", members=("bob", "carol"))
    room_id = room["roomId"]
    message = await api.send("alice", room_id, "hello @bob")
    ids = {"roomId": room_id, "messageId": message["messageId"]}
    await api.call("alice", EDIT, {**ids, "content": "hello bob, edited"})
    await api.call("bob", REACT, {**ids, "emoji": "👍"})
    await api.call("alice", DELETE, ids)
    await api.call("bob", LEAVE, {"roomId": room_id})
    await api.call("alice", BAN, {"roomId": room_id, "userId": api.sub("carol")})
    await api.call("alice", DELETE_ROOM, {"roomId": room_id})

    wanted = {
        "RoomCreated": 1,
        "MemberJoined": 3,
        "MessageSent": 1,
        "MessageEdited": 1,
        "MessageDeleted": 1,
        "MemberLeft": 2,
        "MemberBanned": 1,
        "RoomDeleted": 1,
    }
    found = await room_events(outputs, room_id, wanted)
    counts = {t: sum(e["detail-type"] == t for e in found) for t in DETAIL_TYPES}
    # the reaction is no event; bob left, alice (the owner) left with the room; carol was
    # banned before the cascade, so her removal with the room is no second departure
    assert counts == wanted, counts

    for event in found:
        jsonschema.validate(event, schema(event["detail-type"]))
        assert event["source"] == event_source("chat-local")
    by_type = {e["detail-type"]: e["detail"] for e in found}
    sent = by_type["MessageSent"]
    assert sent["content"] == "hello @bob" and sent["authorId"] == api.sub("alice")
    assert sent["version"] == 1 and sent["replyTo"] is None and sent["mentions"] == []
    [sent_event] = [e for e in found if e["detail-type"] == "MessageSent"]
    assert await delivered(outputs, "notify-message-sent", sent_event["id"])
    assert by_type["MessageEdited"]["content"] == "hello bob, edited"
    assert by_type["MessageDeleted"]["deletedBy"] == api.sub("alice")
    assert by_type["MemberBanned"]["userId"] == api.sub("carol")
    assert {e["detail"]["userId"] for e in found if e["detail-type"] == "MemberLeft"} == {
        api.sub("bob"),
        api.sub("alice"),
    }


async def test_every_detail_type_has_a_schema_that_is_valid_json_schema():
    for detail_type in DETAIL_TYPES:
        jsonschema.Draft202012Validator.check_schema(schema(detail_type))
    assert {p.stem for p in SCHEMAS.glob("*.json")} == set(DETAIL_TYPES)
