"""pinMessage / unpinMessage / listPinnedMessages through the emulator."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from emulator.testing import LocalApi
from tests.api.seed import (
    create_room,
    data,
    error_message,
    error_type,
    message_mutation,
    send,
    set_role,
    stored_message,
)

PINNED = """
query Pinned($roomId: ID!) { listPinnedMessages(roomId: $roomId) { items { messageId pinnedBy } } }
"""
PINNED_PAGE = """
query PinnedPage($roomId: ID!, $limit: Int, $nextToken: String) {
  listPinnedMessages(roomId: $roomId, limit: $limit, nextToken: $nextToken) {
    items { messageId } nextToken
  }
}
"""


@pytest.fixture
def ticking_api() -> Iterator[LocalApi]:
    """Each timestamp a second after the last, so every pin has its own pinnedAt."""
    seconds = itertools.count(1_700_000_000)
    with LocalApi(clock=lambda: float(next(seconds))) as local:
        yield local


def _pin_all(api, room, messages):
    for message in messages:
        data(message_mutation(api, "pinMessage", room, message), "pinMessage")


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


def test_pinned_pages_cover_every_pin_once_newest_pin_first(ticking_api):
    api = ticking_api
    room = create_room(api, members=("bob",))
    sent = [send(api, room, f"m{i}")["messageId"] for i in range(5)]
    pin_order = [sent[2], sent[0], sent[4], sent[1], sent[3]]
    _pin_all(api, room, pin_order)

    pages, token = [], None
    while True:
        variables = {"roomId": room, "limit": 2, "nextToken": token}
        page = data(api.call(PINNED_PAGE, variables, user="bob"), "listPinnedMessages")
        pages.append([item["messageId"] for item in page["items"]])
        token = page["nextToken"]
        if token is None:
            break

    assert [len(page) for page in pages[:3]] == [2, 2, 1]
    assert [m for page in pages for m in page] == list(reversed(pin_order))


def test_pinned_page_defaults_to_20_and_takes_up_to_100(ticking_api):
    api = ticking_api
    room = create_room(api)
    _pin_all(api, room, [send(api, room, f"m{i}")["messageId"] for i in range(21)])

    default = data(api.call(PINNED_PAGE, {"roomId": room}), "listPinnedMessages")
    largest = data(api.call(PINNED_PAGE, {"roomId": room, "limit": 100}), "listPinnedMessages")

    assert len(default["items"]) == 20
    assert default["nextToken"] is not None
    assert len(largest["items"]) == 21
    assert largest["nextToken"] is None


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_pinned_limit_outside_1_to_100_is_refused(api, limit):
    room = create_room(api)

    result = api.call(PINNED_PAGE, {"roomId": room, "limit": limit})

    assert error_type(result) == "ValidationError"
    assert error_message(result) == f"limit must be 1 to 100, got {limit}"


def test_malformed_pinned_next_token_is_a_validation_error(api):
    room = create_room(api)
    _pin_all(api, room, [send(api, room, "pinned")["messageId"]])

    result = api.call(PINNED_PAGE, {"roomId": room, "nextToken": "not-a-token"})

    assert error_type(result) == "ValidationError"
    assert error_message(result).startswith("nextToken is malformed or expired")
