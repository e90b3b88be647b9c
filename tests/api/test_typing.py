"""sendTyping and onTyping through the emulator: members only, never stored."""

from __future__ import annotations

from tests.api.seed import ban, create_room, data, error_type, remove

TYPING = """
mutation T($roomId: ID!, $isTyping: Boolean!) {
  sendTyping(roomId: $roomId, isTyping: $isTyping) { roomId userId isTyping at }
}
"""

ON_TYPING = "subscription O($roomId: ID!) { onTyping(roomId: $roomId) { roomId userId isTyping } }"


def test_members_send_typing_events_that_are_not_stored(api):
    room = create_room(api, members=("bob",))
    before = {name: api.scan(name) for name in ("messages", "rooms", "room_members")}

    event = data(api.call(TYPING, {"roomId": room, "isTyping": True}, user="bob"), "sendTyping")

    assert event["roomId"] == room
    assert event["userId"] == api.sub_of("bob")
    assert event["isTyping"] is True
    assert event["at"]
    assert {name: api.scan(name) for name in before} == before


def test_non_members_and_banned_members_cannot_send_typing(api):
    room = create_room(api, members=("bob",))
    ban(api, room, "bob")

    assert error_type(api.call(TYPING, {"roomId": room, "isTyping": True}, user="bob")) == (
        "Unauthorized"
    )
    assert error_type(api.call(TYPING, {"roomId": room, "isTyping": True}, user="mallory")) == (
        "Unauthorized"
    )


def test_room_members_receive_typing_of_their_room_only(api):
    room = create_room(api, members=("bob",))
    other = create_room(api, members=("bob",))
    subscription = api.subscribe(ON_TYPING, {"roomId": room}, user="alice")

    api.call(TYPING, {"roomId": room, "isTyping": True}, user="bob")
    api.call(TYPING, {"roomId": other, "isTyping": True}, user="bob")
    api.call(TYPING, {"roomId": room, "isTyping": False}, user="bob")

    assert subscription.error is None
    assert [e["data"]["onTyping"] for e in subscription.events] == [
        {"roomId": room, "userId": api.sub_of("bob"), "isTyping": True},
        {"roomId": room, "userId": api.sub_of("bob"), "isTyping": False},
    ]


def test_non_members_and_banned_members_cannot_subscribe_to_typing(api):
    room = create_room(api, members=("bob",))
    ban(api, room, "bob")

    for user in ("bob", "mallory"):
        subscription = api.subscribe(ON_TYPING, {"roomId": room}, user=user)
        assert subscription.error is not None
        assert subscription.error["errorType"] == "Unauthorized"


def test_typing_subscription_ends_when_the_member_is_removed(api):
    room = create_room(api, members=("bob", "carol"))
    subscription = api.subscribe(ON_TYPING, {"roomId": room}, user="bob")
    untouched = api.subscribe(ON_TYPING, {"roomId": room}, user="carol")

    remove(api, room, "bob")
    api.call(TYPING, {"roomId": room, "isTyping": True})

    assert subscription.closed is True
    assert subscription.events == []
    assert untouched.closed is False
    assert len(untouched.events) == 1
