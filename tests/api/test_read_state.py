"""markRead through the emulator: read state only moves forward, and feeds unread counts."""

from __future__ import annotations

from tests.api.seed import (
    create_room,
    data,
    error_type,
    send,
    stored_member,
)

MARK = """
mutation Mark($roomId: ID!, $messageId: ID!) {
  markRead(roomId: $roomId, messageId: $messageId) { roomId userId lastReadMessageId lastReadAt }
}
"""

MY_ROOMS = "query { myRooms { items { room { roomId } unreadCount lastReadAt } } }"


def _mark(api, room, message, user="bob"):
    return api.call(MARK, {"roomId": room, "messageId": message}, user=user)


def test_mark_read_records_the_message_and_its_seq(api):
    room = create_room(api, members=("bob",))
    messages = [send(api, room, f"m{i}")["messageId"] for i in range(3)]

    receipt = data(_mark(api, room, messages[1]), "markRead")

    assert receipt["roomId"] == room
    assert receipt["userId"] == api.sub_of("bob")
    assert receipt["lastReadMessageId"] == messages[1]
    member = stored_member(api, room, "bob")
    assert member["lastReadSeq"] == 2
    assert member["lastReadAt"] == receipt["lastReadAt"]


def test_read_state_never_moves_backwards(api):
    room = create_room(api, members=("bob",))
    older, newer = (send(api, room, f"m{i}")["messageId"] for i in range(2))
    ahead = data(_mark(api, room, newer), "markRead")

    behind = data(_mark(api, room, older), "markRead")

    assert behind == ahead
    assert stored_member(api, room, "bob")["lastReadMessageId"] == newer
    assert stored_member(api, room, "bob")["lastReadSeq"] == 2


def test_unread_count_follows_the_read_state(api):
    room = create_room(api, members=("bob",))
    messages = [send(api, room, f"m{i}")["messageId"] for i in range(4)]
    data(_mark(api, room, messages[0]), "markRead")

    [entry] = data(api.call(MY_ROOMS, user="bob"), "myRooms")["items"]

    assert entry["room"]["roomId"] == room
    assert entry["unreadCount"] == 3
    assert entry["lastReadAt"] is not None


def test_mark_read_needs_an_existing_message_and_membership(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "hello")["messageId"]

    assert error_type(_mark(api, room, "01NOPE")) == "NotFound"
    assert error_type(_mark(api, room, message, user="mallory")) == "Unauthorized"
    staff = api.call(MARK, {"roomId": room, "messageId": message}, user="staff", groups=("Admin",))
    assert error_type(staff) == "Unauthorized"
    untouched = stored_member(api, room, "bob")
    assert untouched.get("lastReadSeq", 0) == 0
    assert "lastReadMessageId" not in untouched
