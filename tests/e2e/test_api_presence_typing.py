"""Presence and typing through the running emulator, over HTTP and the real-time WebSocket."""

from __future__ import annotations

import pytest
from gql import gql

from tests.e2e.api_calls import Api, unique
from tests.e2e.clients import first_event, realtime_client

pytestmark = pytest.mark.e2e

UPDATE_PRESENCE = """mutation($status: PresenceStatus!, $customStatus: String) {
  updatePresence(status: $status, customStatus: $customStatus) {
    userId status customStatus lastSeen } }"""
GET_PRESENCE = """query($userIds: [ID!]!) {
  getPresence(userIds: $userIds) { userId status customStatus lastSeen } }"""
ON_PRESENCE = gql("""subscription($userIds: [ID!]!) {
  onPresenceChanged(userIds: $userIds) { userId status customStatus } }""")
SEND_TYPING = """mutation($roomId: ID!, $isTyping: Boolean!) {
  sendTyping(roomId: $roomId, isTyping: $isTyping) { roomId userId isTyping at } }"""
ON_TYPING = gql("""subscription($roomId: ID!) {
  onTyping(roomId: $roomId) { roomId userId isTyping at } }""")


@pytest.fixture
def api(outputs, users) -> Api:
    return Api(outputs, users)


async def test_presence_is_stored_per_caller_and_read_back_for_many_users(api):
    mine = (await api.call("bob", UPDATE_PRESENCE, {"status": "BUSY", "customStatus": "focus"}))[
        "updatePresence"
    ]
    assert (mine["userId"], mine["status"], mine["customStatus"]) == (
        api.sub("bob"),
        "BUSY",
        "focus",
    )
    await api.call("carol", UPDATE_PRESENCE, {"status": "AWAY"})

    nobody = unique("nobody")
    found = (
        await api.call(
            "alice", GET_PRESENCE, {"userIds": [api.sub("bob"), nobody, api.sub("carol")]}
        )
    )["getPresence"]
    assert {p["userId"]: (p["status"], p["customStatus"]) for p in found} == {
        api.sub("bob"): ("BUSY", "focus"),
        api.sub("carol"): ("AWAY", None),
    }
    assert (await api.call("alice", GET_PRESENCE, {"userIds": []}))["getPresence"] == []


async def test_presence_refuses_an_overlong_custom_status(api):
    assert await api.refusal(
        "bob", UPDATE_PRESENCE, {"status": "ONLINE", "customStatus": "x" * 101}
    ) == (
        "ValidationError",
        "customStatus must be at most 100 characters without control characters, got 101",
    )


async def test_get_presence_refuses_more_than_100_users(api):
    error_type, _ = await api.refusal(
        "bob", GET_PRESENCE, {"userIds": [f"user-{i}" for i in range(101)]}
    )
    assert error_type == "ValidationError"


async def test_presence_subscribers_get_only_the_users_they_follow(api, outputs, users):
    async def alice_then_bob() -> None:
        await api.call("alice", UPDATE_PRESENCE, {"status": "ONLINE"})
        await api.call("bob", UPDATE_PRESENCE, {"status": "AWAY", "customStatus": "lunch"})

    async with realtime_client(outputs, users.token("carol")) as carol:
        stream = carol.subscribe(ON_PRESENCE, variable_values={"userIds": [api.sub("bob")]})
        event = (await first_event(stream, alice_then_bob))["onPresenceChanged"]
        await stream.aclose()

    assert event == {"userId": api.sub("bob"), "status": "AWAY", "customStatus": "lunch"}


async def test_typing_reaches_the_rooms_members(api, outputs, users):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]

    async def bob_types() -> None:
        await api.call("bob", SEND_TYPING, {"roomId": room_id, "isTyping": True})

    async with realtime_client(outputs, users.token("carol")) as carol:
        stream = carol.subscribe(ON_TYPING, variable_values={"roomId": room_id})
        event = (await first_event(stream, bob_types))["onTyping"]
        await stream.aclose()

    assert (event["roomId"], event["userId"], event["isTyping"]) == (
        room_id,
        api.sub("bob"),
        True,
    )
    assert event["at"]


async def test_typing_in_a_room_is_for_its_members_only(api):
    room_id = (await api.create_room("bob", "GROUP"))["roomId"]
    assert (await api.refusal("carol", SEND_TYPING, {"roomId": room_id, "isTyping": True}))[
        0
    ] == "Unauthorized"
