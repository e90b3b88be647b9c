"""Subscriptions through the real-time WebSocket: who gets what, which fields, and the end
of delivery when a subscriber loses access to the room."""

from __future__ import annotations

import asyncio

import pytest
from gql import gql
from gql.transport.exceptions import TransportQueryError

from tests.e2e.api_calls import MEMBER_FIELDS, Api, drain, ensure_users, unique
from tests.e2e.clients import first_event, realtime_client

pytestmark = pytest.mark.e2e

ON_ADDED = gql("""subscription($roomId: ID!) {
  onMessageAdded(roomId: $roomId) { roomId messageId content clientMessageId } }""")
ON_UPDATED = gql("""subscription($roomId: ID!) {
  onMessageUpdated(roomId: $roomId) {
    roomId messageId content isEdited isDeleted pinned reactions { emoji count } } }""")
ON_TYPING = gql("""subscription($roomId: ID!) {
  onTyping(roomId: $roomId) { roomId userId isTyping } }""")
ON_MEMBER = gql("""subscription($roomId: ID!) {
  onMemberChanged(roomId: $roomId) { roomId userId role isMuted isBanned } }""")
SEND_NARROW = """mutation($roomId: ID!, $content: String!, $clientMessageId: String) {
  sendMessage(input: {roomId: $roomId, content: $content, clientMessageId: $clientMessageId}) {
    roomId messageId content } }"""
UPDATED_FIELDS = "roomId messageId content isEdited isDeleted pinned reactions { emoji count }"
EDIT = f"""mutation($roomId: ID!, $messageId: ID!, $content: String!) {{
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) {{
    {UPDATED_FIELDS} }} }}"""
ON_MESSAGE = """mutation($roomId: ID!, $messageId: ID!) {{
  {field}(roomId: $roomId, messageId: $messageId) {{ {fields} }} }}"""
ADD_REACTION = f"""mutation($roomId: ID!, $messageId: ID!) {{
  addReaction(roomId: $roomId, messageId: $messageId, emoji: "🎉") {{ {UPDATED_FIELDS} }} }}"""
TYPING = """mutation($roomId: ID!, $isTyping: Boolean!) {
  sendTyping(roomId: $roomId, isTyping: $isTyping) { roomId userId isTyping } }"""
JOIN = f"mutation($roomId: ID!) {{ joinRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"
LEAVE = f"mutation($roomId: ID!) {{ leaveRoom(roomId: $roomId) {{ {MEMBER_FIELDS} }} }}"


def on_message(field: str) -> str:
    return ON_MESSAGE.format(field=field, fields=UPDATED_FIELDS)


def on_target(field: str) -> str:
    return f"""mutation($roomId: ID!, $userId: ID!) {{
      {field}(roomId: $roomId, userId: $userId) {{ {MEMBER_FIELDS} }} }}"""


@pytest.fixture
def api(outputs, users) -> Api:
    ensure_users(users, "dave")
    return Api(outputs, users)


async def next_event(stream, timeout: float = 30) -> dict:
    """The next event of a subscription already known to be listening; the timeout only
    stops a broken emulator from hanging the run."""
    return await asyncio.wait_for(stream.__anext__(), timeout=timeout)


async def test_subscribers_get_only_the_fields_the_mutation_selected(api, outputs, users):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    client_id = unique("client")

    async def bob_sends() -> None:
        await api.call(
            "bob",
            SEND_NARROW,
            {"roomId": room_id, "content": "narrow", "clientMessageId": client_id},
        )

    async with realtime_client(outputs, users.token("carol")) as carol:
        stream = carol.subscribe(ON_ADDED, variable_values={"roomId": room_id})
        event = (await first_event(stream, bob_sends))["onMessageAdded"]
        await stream.aclose()

    assert (event["roomId"], event["content"]) == (room_id, "narrow")
    assert event["clientMessageId"] is None, "the mutation did not select clientMessageId"


async def test_edits_reactions_pins_and_deletes_reach_the_members(api, outputs, users):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    message_id = (await api.send("carol", room_id, "original"))["messageId"]
    ids = {"roomId": room_id, "messageId": message_id}
    edits = iter(range(1000))

    async def carol_edits() -> None:
        await api.call("carol", EDIT, {**ids, "content": f"edited {next(edits)}"})

    async with realtime_client(outputs, users.token("bob")) as bob:
        stream = bob.subscribe(ON_UPDATED, variable_values={"roomId": room_id})
        edited = (await first_event(stream, carol_edits))["onMessageUpdated"]
        await api.call("bob", ADD_REACTION, ids)
        reacted = (await next_event(stream))["onMessageUpdated"]
        await api.call("bob", on_message("pinMessage"), ids)
        pinned = (await next_event(stream))["onMessageUpdated"]
        await api.call("bob", on_message("unpinMessage"), ids)
        unpinned = (await next_event(stream))["onMessageUpdated"]
        await api.call("carol", on_message("deleteMessage"), ids)
        deleted = (await next_event(stream))["onMessageUpdated"]
        await stream.aclose()

    assert (edited["messageId"], edited["isEdited"]) == (message_id, True)
    assert edited["content"].startswith("edited")
    assert reacted["reactions"] == [{"emoji": "🎉", "count": 1}]
    assert (pinned["pinned"], unpinned["pinned"]) == (True, False)
    assert (deleted["isDeleted"], deleted["content"]) == (True, None)


async def test_membership_changes_reach_the_members(api, outputs, users):
    room_id = (await api.create_room("bob", "PUBLIC", ("carol",)))["roomId"]
    carol = api.sub("carol")

    async def bob_mutes_carol() -> None:
        await api.call("bob", on_target("muteMember"), {"roomId": room_id, "userId": carol})

    async with realtime_client(outputs, users.token("bob")) as bob:
        stream = bob.subscribe(ON_MEMBER, variable_values={"roomId": room_id})
        muted = (await first_event(stream, bob_mutes_carol))["onMemberChanged"]
        await api.call("dave", JOIN, {"roomId": room_id})
        joined = (await next_event(stream))["onMemberChanged"]
        await stream.aclose()

    assert (muted["userId"], muted["isMuted"]) == (carol, True)
    assert (joined["userId"], joined["role"], joined["roomId"]) == (
        api.sub("dave"),
        "MEMBER",
        room_id,
    )


@pytest.mark.parametrize("who", ["non-member", "banned"])
async def test_users_without_access_cannot_subscribe(api, outputs, users, who):
    room_id = (await api.create_room("bob", "GROUP", ("carol",)))["roomId"]
    if who == "banned":
        await api.call(
            "bob", on_target("banMember"), {"roomId": room_id, "userId": api.sub("carol")}
        )
    user = "dave" if who == "non-member" else "carol"

    for document in (ON_ADDED, ON_UPDATED, ON_TYPING, ON_MEMBER):
        async with realtime_client(outputs, users.token(user)) as client:
            with pytest.raises(TransportQueryError) as refused:
                async for _ in client.subscribe(document, variable_values={"roomId": room_id}):
                    pass
        errors = refused.value.errors or []
        assert errors and errors[0]["errors"][0]["errorType"] == "Unauthorized", errors


async def test_a_message_reaches_every_member_and_no_other_room(api, outputs, users):
    room_id = (await api.create_room("bob", "GROUP", ("carol", "dave")))["roomId"]
    other_id = (await api.create_room("bob", "GROUP", ("carol", "dave")))["roomId"]
    sent: list[str] = []

    async def bob_sends() -> None:
        await api.send("bob", other_id, "elsewhere")
        sent.append((await api.send("bob", room_id, "to everyone"))["messageId"])

    async with (
        realtime_client(outputs, users.token("carol")) as carol,
        realtime_client(outputs, users.token("dave")) as dave,
    ):
        carol_stream = carol.subscribe(ON_ADDED, variable_values={"roomId": room_id})
        dave_stream = dave.subscribe(ON_ADDED, variable_values={"roomId": room_id})
        carol_event = (await first_event(carol_stream, bob_sends))["onMessageAdded"]
        dave_event = (await first_event(dave_stream, bob_sends))["onMessageAdded"]
        await carol_stream.aclose()
        await dave_stream.aclose()

    for event in (carol_event, dave_event):
        assert (event["roomId"], event["content"]) == (room_id, "to everyone")
        assert event["messageId"] in sent


LOSS_OF_ACCESS = {
    "leaveRoom": ("carol", LEAVE),
    "removeMember": ("bob", on_target("removeMember")),
    "banMember": ("bob", on_target("banMember")),
}


def is_after(event: dict, carol: str) -> bool:
    """Events of the mutations made after access was lost (the `before` triggers differ:
    typing true, a reaction, muting dave)."""
    if "onMessageAdded" in event:
        return event["onMessageAdded"]["content"] == "after"
    if "onTyping" in event:
        return event["onTyping"]["isTyping"] is False
    if "onMessageUpdated" in event:
        return event["onMessageUpdated"]["pinned"] is True
    member = event["onMemberChanged"]
    return member["userId"] != carol and member["isMuted"] is False


@pytest.mark.parametrize("mutation", list(LOSS_OF_ACCESS))
async def test_every_room_subscription_ends_when_the_subscriber_loses_access(
    api, outputs, users, mutation
):
    room_id = (await api.create_room("bob", "GROUP", ("carol", "dave")))["roomId"]
    message_id = (await api.send("bob", room_id, "to react to"))["messageId"]
    ids = {"roomId": room_id, "messageId": message_id}
    carol, dave = api.sub("carol"), api.sub("dave")
    on_dave = {"roomId": room_id, "userId": dave}
    triggers = {
        "added": lambda: api.send("bob", room_id, "before"),
        "updated": lambda: api.call("bob", ADD_REACTION, ids),
        "typing": lambda: api.call("bob", TYPING, {"roomId": room_id, "isTyping": True}),
        "member": lambda: api.call("bob", on_target("muteMember"), on_dave),
    }
    documents = {"added": ON_ADDED, "updated": ON_UPDATED, "typing": ON_TYPING, "member": ON_MEMBER}

    async with realtime_client(outputs, users.token("carol")) as client:
        streams = {
            name: client.subscribe(document, variable_values={"roomId": room_id})
            for name, document in documents.items()
        }
        for name, stream in streams.items():
            await first_event(stream, triggers[name])
        actor, document = LOSS_OF_ACCESS[mutation]
        await api.call(actor, document, {"roomId": room_id, "userId": carol})
        await api.send("bob", room_id, "after")
        await api.call("bob", TYPING, {"roomId": room_id, "isTyping": False})
        await api.call("bob", on_message("pinMessage"), ids)
        await api.call("bob", on_target("unmuteMember"), on_dave)
        remaining = {name: await drain(stream) for name, stream in streams.items()}

    delivered_after = {
        name: [event for event in events if is_after(event, carol)]
        for name, events in remaining.items()
    }
    assert delivered_after == {"added": [], "updated": [], "typing": [], "member": []}
