"""onMessageAdded / onMessageUpdated: membership at subscribe time, invalidation on exit."""

from __future__ import annotations

import pytest

from tests.api.seed import ban, create_room, message_mutation, remove, send

ADDED = "subscription A($r: ID!) { onMessageAdded(roomId: $r) { messageId content } }"
UPDATED = "subscription U($r: ID!) { onMessageUpdated(roomId: $r) { messageId pinned } }"


@pytest.mark.parametrize("query", [ADDED, UPDATED], ids=["added", "updated"])
def test_non_members_and_banned_members_are_refused(api, query):
    room = create_room(api, members=("bob",))
    ban(api, room, "bob")

    for user in ("bob", "mallory"):
        subscription = api.subscribe(query, {"r": room}, user=user)
        assert subscription.error is not None
        assert subscription.error["errorType"] == "Unauthorized"


@pytest.mark.parametrize("group", ["Admin", "Moderator"])
def test_cognito_staff_may_subscribe_to_any_room(api, group):
    room = create_room(api)
    subscription = api.subscribe(ADDED, {"r": room}, user="staff", groups=(group,))

    sent = send(api, room, "watched")

    assert subscription.error is None
    assert subscription.events == [
        {"data": {"onMessageAdded": {"messageId": sent["messageId"], "content": "watched"}}}
    ]


def test_updates_are_filtered_to_the_subscribed_room(api):
    room = create_room(api, members=("bob",))
    other = create_room(api, members=("bob",))
    here = send(api, room, "here")["messageId"]
    there = send(api, other, "there")["messageId"]
    subscription = api.subscribe(UPDATED, {"r": room}, user="bob")

    message_mutation(api, "pinMessage", room, here)
    message_mutation(api, "pinMessage", other, there)

    assert [e["data"]["onMessageUpdated"] for e in subscription.events] == [
        {"messageId": here, "pinned": True}
    ]


@pytest.mark.parametrize("query", [ADDED, UPDATED], ids=["added", "updated"])
def test_subscriptions_end_when_the_member_is_banned(api, query):
    room = create_room(api, members=("bob", "carol"))
    banned = api.subscribe(query, {"r": room}, user="bob")
    other = api.subscribe(query, {"r": room}, user="carol")

    ban(api, room, "bob")

    assert banned.closed is True
    assert other.closed is False


def test_removed_member_stops_receiving_messages(api):
    room = create_room(api, members=("bob",))
    subscription = api.subscribe(ADDED, {"r": room}, user="bob")

    remove(api, room, "bob")
    send(api, room, "after removal")

    assert subscription.closed is True
    assert subscription.events == []
