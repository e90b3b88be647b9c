"""Message versions and messageChanges (catch-up) through the emulator's real templates.

Every change to a message raises its version in the same write and moves it to the end of
the room's change order; messageChanges returns what changed after a cursor, oldest first,
members only, with an overlap before resumed cursors (chatspec.resolvers.messages).
"""

from __future__ import annotations

import re

import pytest

from chatspec.resolvers.messages import CATCH_UP_OVERLAP_MS
from chatspec.templates import load_template
from tests.api.seed import (
    ban,
    create_room,
    data,
    error,
    message_mutation,
    react,
    send,
    stored_message,
)

CHANGES = """
query Changes($roomId: ID!, $cursor: String, $limit: Int) {
  messageChanges(roomId: $roomId, cursor: $cursor, limit: $limit) {
    items { messageId content isDeleted pinned version reactions { emoji count } }
    cursor hasMore
  }
}
"""
EDIT = """mutation($roomId: ID!, $messageId: ID!, $content: String!) {
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) { version } }"""
CURSOR = re.compile(r"^\d{13}\.[0-9A-Z]{26}(\.\d{13})?$")


def changes(api, room, cursor=None, limit=None, user="alice"):
    variables = {"roomId": room, "cursor": cursor, "limit": limit}
    return data(api.call(CHANGES, variables, user=user), "messageChanges")


def catch_up(api, room, cursor=None, limit=None, user="alice"):
    """Every page until hasMore is false: (items in order, final cursor, pages)."""
    items, pages = [], 0
    while True:
        page = changes(api, room, cursor, limit, user)
        items += page["items"]
        cursor, pages = page["cursor"], pages + 1
        assert CURSOR.match(cursor), cursor
        if not page["hasMore"]:
            return items, cursor, pages


def edit(api, room, message_id, content, user="alice"):
    variables = {"roomId": room, "messageId": message_id, "content": content}
    return data(api.call(EDIT, variables, user=user), "editMessage")


def test_every_kind_of_change_raises_the_version_in_the_same_write(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "first")
    message_id = message["messageId"]
    stored = stored_message(api, room, message_id)
    assert stored["version"] == 1
    assert stored["changeKey"] == f"{stored['changeKey'][:13]}#{message_id}"

    steps = [
        lambda: edit(api, room, message_id, "second"),
        lambda: data(react(api, room, message_id, "👍", user="bob"), "addReaction"),
        lambda: data(
            react(api, room, message_id, "👍", user="bob", field="removeReaction"), "removeReaction"
        ),
        lambda: data(message_mutation(api, "pinMessage", room, message_id), "pinMessage"),
        lambda: data(message_mutation(api, "unpinMessage", room, message_id), "unpinMessage"),
        lambda: data(message_mutation(api, "deleteMessage", room, message_id), "deleteMessage"),
    ]
    keys = [stored["changeKey"]]
    for expected, step in enumerate(steps, start=2):
        step()
        stored = stored_message(api, room, message_id)
        assert stored["version"] == expected
        keys.append(stored["changeKey"])
    assert keys == sorted(keys)


def test_a_change_that_changes_nothing_keeps_the_version(api):
    room = create_room(api)
    message_id = send(api, room, "hello")["messageId"]
    data(message_mutation(api, "unpinMessage", room, message_id), "unpinMessage")  # not pinned
    react(api, room, message_id, "👍", field="removeReaction")  # no such reaction
    data(message_mutation(api, "deleteMessage", room, message_id), "deleteMessage")
    data(message_mutation(api, "deleteMessage", room, message_id), "deleteMessage")  # again
    assert stored_message(api, room, message_id)["version"] == 2


def test_a_first_catch_up_returns_the_room_oldest_first_in_pages(api):
    room = create_room(api)
    sent = [send(api, room, f"message {n}")["messageId"] for n in range(5)]

    items, _, pages = catch_up(api, room, limit=2)

    assert [m["messageId"] for m in items] == sent
    assert {m["version"] for m in items} == {1}
    assert pages == 3


def test_a_catch_up_returns_new_messages_and_changes_to_old_ones_in_their_latest_state(api):
    room = create_room(api, members=("bob",))
    old = send(api, room, "old")["messageId"]
    gone = send(api, room, "to be deleted")["messageId"]
    _, cursor, _ = catch_up(api, room)

    edit(api, room, old, "old, edited")
    react(api, room, old, "🎉", user="bob")
    data(message_mutation(api, "deleteMessage", room, gone), "deleteMessage")
    new = send(api, room, "new", user="bob")["messageId"]

    items, _, _ = catch_up(api, room, cursor)
    latest = {m["messageId"]: m for m in items}  # the overlap may repeat earlier changes
    assert latest[old]["content"] == "old, edited"
    assert latest[old]["version"] == 3
    assert latest[old]["reactions"] == [{"emoji": "🎉", "count": 1}]
    assert latest[gone]["isDeleted"] is True and latest[gone]["content"] is None
    assert latest[new]["content"] == "new"
    assert [m["messageId"] for m in items][-3:] == [old, gone, new]


def test_a_resumed_cursor_reads_the_overlap_again_and_a_continuation_does_not(api):
    room = create_room(api)
    first = send(api, room, "one")["messageId"]
    second = send(api, room, "two")["messageId"]
    key = stored_message(api, room, second)["changeKey"]
    resume = f"{key[:13]}.{second}"

    # Resuming right after `second` still returns both: they are within the overlap.
    resumed = changes(api, room, resume)
    assert [m["messageId"] for m in resumed["items"]] == [first, second]

    page = changes(api, room, limit=1)
    assert page["hasMore"] is True and len(page["cursor"]) == 54
    rest = changes(api, room, page["cursor"])
    assert [m["messageId"] for m in rest["items"]] == [second]


def test_a_cursor_older_than_the_overlap_skips_what_was_read(api):
    room = create_room(api)
    send(api, room, "one")
    ms = int(stored_message(api, room, api.scan("messages")[0]["messageId"])["changeKey"][:13])
    later = f"{ms + CATCH_UP_OVERLAP_MS + 1}.{'0' * 26}"
    assert changes(api, room, later)["items"] == []


def test_the_final_cursor_is_never_after_the_first_pages_time(api):
    room = create_room(api)
    send(api, room, "one")
    items, cursor, _ = catch_up(api, room)
    last_ms = int(stored_message(api, room, items[-1]["messageId"])["changeKey"][:13])
    assert int(cursor[:13]) <= last_ms or cursor.endswith("0" * 26)

    empty = create_room(api)
    page = changes(api, empty)
    assert page == {"items": [], "cursor": page["cursor"], "hasMore": False}
    assert page["cursor"].endswith("." + "0" * 26)


def test_the_template_overlap_is_the_specified_one():
    assert f"#set($overlapMs = {CATCH_UP_OVERLAP_MS})" in load_template(
        "functions/msgListChanges.request.vtl"
    )


def test_only_members_catch_up(api):
    room = create_room(api, members=("bob",))
    send(api, room, "secret")
    assert error(api.call(CHANGES, {"roomId": room}, user="carol"))[0] == "Unauthorized"
    ban(api, room, "bob")
    assert error(api.call(CHANGES, {"roomId": room}, user="bob"))[0] == "Unauthorized"
    admin = api.call(CHANGES, {"roomId": room}, user="carol", groups=("Admin",))
    assert len(data(admin, "messageChanges")["items"]) == 1


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "garbage",
        "1793613600000#01JCDE0000000000000000000A",
        "0793613600000.01JCDE0000000000000000000A",
        "1793613600000.01jcde0000000000000000000a",
        "1793613600000.01JCDE0000000000000000000A.12",
        '1793613600000.01JCDE0000000000000000000A"}',
    ],
)
def test_a_malformed_cursor_is_a_validation_error(api, cursor):
    room = create_room(api)
    kind, message = error(api.call(CHANGES, {"roomId": room, "cursor": cursor}))
    assert kind == "ValidationError" and "cursor" in message


@pytest.mark.parametrize("limit", [0, 101])
def test_a_limit_out_of_range_is_a_validation_error(api, limit):
    room = create_room(api)
    assert error(api.call(CHANGES, {"roomId": room, "limit": limit}))[0] == "ValidationError"
