"""pinMessage / unpinMessage / listPinnedMessages through the emulator."""

from __future__ import annotations

from tests.api.seed import (
    create_room,
    data,
    error_type,
    message_mutation,
    send,
    set_role,
    stored_message,
)

PINNED = """
query Pinned($roomId: ID!) { listPinnedMessages(roomId: $roomId) { items { messageId pinnedBy } } }
"""


def _pinned(api, room, user="alice"):
    return [
        m["messageId"]
        for m in data(api.call(PINNED, {"roomId": room}, user=user), "listPinnedMessages")["items"]
    ]


def test_moderator_pins_and_members_see_the_pins_newest_first(api):
    room = create_room(api, members=("bob", "carol"))
    set_role(api, room, "carol", "MODERATOR")
    first = send(api, room, "rules")["messageId"]
    second = send(api, room, "faq")["messageId"]
    send(api, room, "chatter")

    pinned = data(message_mutation(api, "pinMessage", room, first, user="carol"), "pinMessage")
    data(message_mutation(api, "pinMessage", room, second, user="carol"), "pinMessage")

    assert pinned["pinned"] is True
    assert pinned["pinnedBy"] == api.sub_of("carol")
    assert pinned["pinnedAt"] is not None
    assert stored_message(api, room, first)["pinnedRoomId"] == room
    assert _pinned(api, room, user="bob") == [second, first]


def test_members_cannot_pin_or_unpin(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "pin me")["messageId"]

    refused_pin = message_mutation(api, "pinMessage", room, message, user="bob")
    data(message_mutation(api, "pinMessage", room, message), "pinMessage")
    refused_unpin = message_mutation(api, "unpinMessage", room, message, user="bob")

    assert error_type(refused_pin) == "Unauthorized"
    assert error_type(refused_unpin) == "Unauthorized"
    assert _pinned(api, room) == [message]


def test_cognito_moderators_pin_in_any_room(api):
    room = create_room(api)
    message = send(api, room, "announcement")["messageId"]

    result = api.call(
        "mutation P($r: ID!, $m: ID!) { pinMessage(roomId: $r, messageId: $m) { pinned } }",
        {"r": room, "m": message},
        user="staff",
        groups=("Moderator",),
    )

    assert data(result, "pinMessage") == {"pinned": True}


def test_unpin_removes_the_message_from_the_pinned_list(api):
    room = create_room(api)
    message = send(api, room, "temporary")["messageId"]
    data(message_mutation(api, "pinMessage", room, message), "pinMessage")

    unpinned = data(message_mutation(api, "unpinMessage", room, message), "unpinMessage")

    assert (unpinned["pinned"], unpinned["pinnedAt"], unpinned["pinnedBy"]) == (False, None, None)
    assert "pinnedRoomId" not in stored_message(api, room, message)
    assert _pinned(api, room) == []


def test_deleted_messages_cannot_be_pinned_and_lose_their_pin(api):
    room = create_room(api)
    pinned = send(api, room, "pinned then deleted")["messageId"]
    deleted = send(api, room, "deleted")["messageId"]
    data(message_mutation(api, "pinMessage", room, pinned), "pinMessage")
    data(message_mutation(api, "deleteMessage", room, pinned), "deleteMessage")
    data(message_mutation(api, "deleteMessage", room, deleted), "deleteMessage")

    assert error_type(message_mutation(api, "pinMessage", room, deleted)) == "Conflict"
    assert _pinned(api, room) == []


def test_pinned_list_is_members_only(api):
    room = create_room(api)

    assert error_type(api.call(PINNED, {"roomId": room}, user="mallory")) == "Unauthorized"
