"""Live read receipts and mentions through the emulator: onReadReceipt for the room's
readers when someone marks read, listReadReceipts paged, myRooms' unreadMentionCount and
myMentions across rooms (members only, deleted and anonymous posts handled)."""

from __future__ import annotations

from chatspec.rules import ANONYMOUS_AUTHOR_ID
from tests.api.seed import (
    ban,
    create_room,
    data,
    error,
    message_mutation,
    send,
    update_settings,
)

MARK = """mutation($r: ID!, $m: ID!) {
  markRead(roomId: $r, messageId: $m) { roomId userId lastReadMessageId lastReadAt } }"""
ON_RECEIPT = """subscription($r: ID!) {
  onReadReceipt(roomId: $r) { roomId userId lastReadMessageId } }"""
RECEIPTS = """query($r: ID!, $m: ID!, $limit: Int, $token: String) {
  listReadReceipts(roomId: $r, messageId: $m, limit: $limit, nextToken: $token) {
    items { userId lastReadMessageId } nextToken } }"""
MY_ROOMS = "{ myRooms { items { room { roomId } unreadCount unreadMentionCount } } }"
MY_MENTIONS = """query($limit: Int, $token: String) {
  myMentions(limit: $limit, nextToken: $token) {
    items { roomId messageId content authorId anonymous mentions } nextToken } }"""


def mark(api, room, message, user):
    return data(api.call(MARK, {"r": room, "m": message}, user=user), "markRead")


def receipts(api, room, message, user="alice", limit=None):
    seen, token = [], None
    while True:
        page = data(
            api.call(
                RECEIPTS, {"r": room, "m": message, "limit": limit, "token": token}, user=user
            ),
            "listReadReceipts",
        )
        seen.extend(page["items"])
        token = page["nextToken"]
        if token is None:
            return seen


def test_read_receipts_reach_the_rooms_readers_live(api):
    room = create_room(api, members=("bob", "carol"))
    outsider_room = create_room(api, members=("bob",))
    watching = api.subscribe(ON_RECEIPT, {"r": room}, user="carol")
    message = send(api, room, "read me")["messageId"]
    other = send(api, outsider_room, "elsewhere")["messageId"]

    mark(api, room, message, "bob")
    mark(api, outsider_room, other, "bob")

    assert [e["data"]["onReadReceipt"] for e in watching.events] == [
        {"roomId": room, "userId": api.sub_of("bob"), "lastReadMessageId": message}
    ]
    refused = api.subscribe(ON_RECEIPT, {"r": room}, user="mallory")
    assert refused.error["errorType"] == "Unauthorized"


def test_receipts_list_who_read_up_to_a_message_paged(api):
    members = tuple(f"reader{n}" for n in range(5))
    room = create_room(api, members=(*members, "late", "banned"))
    first = send(api, room, "first")["messageId"]
    second = send(api, room, "second")["messageId"]
    for user in members:
        mark(api, room, second, user)
    mark(api, room, first, "late")
    mark(api, room, second, "banned")
    ban(api, room, "banned")

    up_to_second = receipts(api, room, second, limit=2)
    up_to_first = receipts(api, room, first, limit=2)

    assert sorted(r["userId"] for r in up_to_second) == sorted(api.sub_of(u) for u in members)
    assert all(r["lastReadMessageId"] == second for r in up_to_second)
    assert {r["userId"] for r in up_to_first} == {api.sub_of(u) for u in (*members, "late")}
    refused = api.call(RECEIPTS, {"r": room, "m": first}, user="banned")
    assert error(refused)[0] == "Unauthorized"
    missing = api.call(RECEIPTS, {"r": room, "m": "01J0000000000000000000000X"})
    assert error(missing)[0] == "NotFound"


def test_unread_mentions_count_until_the_room_is_read_to_its_end(api):
    room = create_room(api, members=("bob",))
    bob = [api.sub_of("bob")]
    first = send(api, room, "hey bob", mentions=bob)["messageId"]
    send(api, room, "again bob", mentions=bob)
    last = send(api, room, "no mention")["messageId"]

    def counts():
        rooms = data(api.call(MY_ROOMS, user="bob"), "myRooms")["items"]
        entry = next(r for r in rooms if r["room"]["roomId"] == room)
        return entry["unreadCount"], entry["unreadMentionCount"]

    assert counts() == (3, 2)
    mark(api, room, first, "bob")
    assert counts() == (2, 2), "reading part of the room keeps its mentions"
    mark(api, room, last, "bob")
    assert counts() == (0, 0)
    send(api, room, "once more", mentions=bob)
    assert counts() == (1, 1)


def test_my_mentions_lists_mentions_across_rooms_newest_first(api):
    one = create_room(api, members=("bob",))
    two = create_room(api, owner="carol", members=("bob",))
    gone = create_room(api, members=("bob",))
    bob = [api.sub_of("bob")]
    a = send(api, one, "first mention", mentions=bob)["messageId"]
    send(api, one, "not for bob")
    b = send(api, two, "second mention", user="carol", mentions=bob)["messageId"]
    deleted = send(api, one, "deleted mention", mentions=bob)["messageId"]
    data(message_mutation(api, "deleteMessage", one, deleted), "deleteMessage")
    send(api, gone, "then banned", mentions=bob)
    ban(api, gone, "bob")
    update_settings(api, one, anonymousPosting=True)
    c = send(api, one, "anonymous mention", mentions=bob)["messageId"]

    pages, token = [], None
    while True:
        page = data(api.call(MY_MENTIONS, {"limit": 2, "token": token}, user="bob"), "myMentions")
        pages.extend(page["items"])
        token = page["nextToken"]
        if token is None:
            break

    assert [m["messageId"] for m in pages] == [c, b, a]
    anonymous = pages[0]
    assert anonymous["anonymous"] is True and anonymous["authorId"] == ANONYMOUS_AUTHOR_ID
    assert pages[1]["authorId"] == api.sub_of("carol") and pages[1]["mentions"] == bob
    assert data(api.call(MY_MENTIONS, user="carol"), "myMentions")["items"] == []
    assert error(api.call(MY_MENTIONS, {"limit": 51}, user="bob"))[0] == "ValidationError"
