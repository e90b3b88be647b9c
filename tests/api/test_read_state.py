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

JOIN = "mutation($roomId: ID!) { joinRoom(roomId: $roomId) { roomId userId } }"
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


def test_marking_a_message_older_than_the_join_names_it_and_keeps_the_position(api):
    """A member who joined after a message has a read position but no message yet: marking
    the older message answers with a full receipt (lastReadMessageId is non-null in the
    schema) and leaves the position, so unread counts do not move back."""
    room = create_room(api, type="PUBLIC")
    older = send(api, room, "before bob joined")["messageId"]
    send(api, room, "also before")
    data(api.call(JOIN, {"roomId": room}, user="bob"), "joinRoom")
    position = stored_member(api, room, "bob")["lastReadSeq"]

    receipt = data(_mark(api, room, older), "markRead")

    assert receipt["lastReadMessageId"] == older
    assert receipt["lastReadAt"]
    stored = stored_member(api, room, "bob")
    assert stored["lastReadSeq"] == position == 2
    assert stored["lastReadMessageId"] == older
    again = data(_mark(api, room, older), "markRead")
    assert again == receipt
