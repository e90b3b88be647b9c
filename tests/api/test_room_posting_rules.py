"""The settings that shape sendMessage, through the emulator: slow mode enforced in the
write itself (also under concurrent sends, moderators exempt), anonymous posts as members,
moderators and the author see them, and mentions validated against the room's members."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from chatspec.rules import ANONYMOUS_AUTHOR_ID
from tests.api.seed import (
    ban,
    create_room,
    data,
    error,
    send,
    send_result,
    set_role,
    stored_member,
    stored_message,
    update_settings,
)

SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { roomId messageId authorId anonymous mentions } }"""
LIST = """query($roomId: ID!) {
  listMessages(roomId: $roomId) { items { messageId authorId anonymous } } }"""
GET = """query($roomId: ID!, $messageId: ID!) {
  getMessage(roomId: $roomId, messageId: $messageId) { authorId anonymous } }"""
ADDED = "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId authorId anonymous } }"


def post(api, room, content, user="alice", **extra):
    return api.call(SEND, {"input": {"roomId": room, "content": content, **extra}}, user=user)


# --- slow mode ---------------------------------------------------------------------------


def test_slow_mode_lets_a_member_post_once_per_interval(api):
    room = create_room(api, members=("bob",))
    update_settings(api, room, slowModeSeconds=60)

    send(api, room, "first", user="bob")
    error_type, message = error(send_result(api, room, "second", user="bob"))

    assert error_type == "LimitExceeded"
    assert "slow mode" in message and "every 60 seconds" in message
    assert [m["content"] for m in api.scan("messages")] == ["first"]


def test_slow_mode_holds_under_concurrent_sends(api):
    room = create_room(api, members=("bob",))
    update_settings(api, room, slowModeSeconds=600)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(
            pool.map(lambda n: send_result(api, room, f"race {n}", user="bob"), range(8))
        )

    accepted = [r for r in results if not r.get("errors")]
    refused = [r["errors"][0]["errorType"] for r in results if r.get("errors")]
    assert len(accepted) == 1, results
    assert set(refused) <= {"LimitExceeded", "Conflict"} and len(refused) == 7
    assert len(api.scan("messages")) == 1, "exactly one message was written"
    assert stored_member(api, room, "bob")["lastPostedAt"] > 0


def test_the_write_itself_refuses_a_post_the_decision_let_through(api):
    """The early refusal reads the decision's membership; the transaction's condition is
    what enforces. Here every decision read loses lastPostedAt (as a read racing another
    send would), and the second post is still refused, by the write."""
    room = create_room(api, members=("bob",))
    update_settings(api, room, slowModeSeconds=600)
    send(api, room, "first", user="bob")

    def stale(parsed, **_):
        for response in parsed.get("Responses", []):
            (response.get("Item") or {}).pop("lastPostedAt", None)

    api.dynamodb.meta.events.register("after-call.dynamodb.TransactGetItems", stale)
    error_type, message = error(send_result(api, room, "second", user="bob"))

    assert error_type == "LimitExceeded" and "wait before posting again" in message
    assert [m["content"] for m in api.scan("messages")] == ["first"]


@pytest.mark.parametrize("role", ["MODERATOR", "ADMIN"])
def test_moderators_and_up_are_exempt_from_slow_mode(api, role):
    room = create_room(api, members=("bob",))
    set_role(api, room, "bob", role)
    update_settings(api, room, slowModeSeconds=600)

    for n in range(3):
        send(api, room, f"mod {n}", user="bob")
    for n in range(2):
        send(api, room, f"owner {n}")
    assert len(api.scan("messages")) == 5


def test_slow_mode_off_again_lets_members_post(api):
    room = create_room(api, members=("bob",))
    update_settings(api, room, slowModeSeconds=600)
    send(api, room, "first", user="bob")
    update_settings(api, room, slowModeSeconds=0)
    send(api, room, "second", user="bob")


# --- anonymous posts ---------------------------------------------------------------------


@pytest.fixture
def anonymous_room(api):
    room = create_room(api, members=("bob", "carol", "mod"))
    set_role(api, room, "mod", "MODERATOR")
    update_settings(api, room, anonymousPosting=True)
    return room


def test_an_anonymous_post_hides_its_author_from_members_and_subscribers(api, anonymous_room):
    room = anonymous_room
    carol_events = api.subscribe(ADDED, {"r": room}, user="carol")
    mod_events = api.subscribe(ADDED, {"r": room}, user="mod")

    sent = data(post(api, room, "who said this", user="bob"), "sendMessage")

    assert sent["anonymous"] is True and sent["authorId"] == ANONYMOUS_AUTHOR_ID
    for events in (carol_events, mod_events):
        assert [e["data"]["onMessageAdded"] for e in events.events] == [
            {"messageId": sent["messageId"], "authorId": ANONYMOUS_AUTHOR_ID, "anonymous": True}
        ]
    assert stored_message(api, room, sent["messageId"])["authorId"] == api.sub_of("bob")
    carol_view = data(api.call(LIST, {"roomId": room}, user="carol"), "listMessages")["items"]
    assert carol_view == [
        {"messageId": sent["messageId"], "authorId": ANONYMOUS_AUTHOR_ID, "anonymous": True}
    ]


@pytest.mark.parametrize(
    ("viewer", "groups"), [("mod", ()), ("alice", ()), ("bob", ()), ("staff", ("Moderator",))]
)
def test_moderators_and_the_author_see_who_posted(api, anonymous_room, viewer, groups):
    room = anonymous_room
    sent = data(post(api, room, "mine", user="bob"), "sendMessage")

    variables = {"roomId": room, "messageId": sent["messageId"]}
    seen = data(api.call(GET, variables, user=viewer, groups=groups), "getMessage")
    listed = data(api.call(LIST, {"roomId": room}, user=viewer, groups=groups), "listMessages")

    assert seen == {"authorId": api.sub_of("bob"), "anonymous": True}
    assert listed["items"][0]["authorId"] == api.sub_of("bob")


def test_posts_before_anonymity_keep_their_author(api, anonymous_room):
    room = create_room(api, members=("bob", "carol"))
    before = data(post(api, room, "signed", user="bob"), "sendMessage")
    update_settings(api, room, anonymousPosting=True)
    after = data(post(api, room, "unsigned", user="bob"), "sendMessage")

    listed = data(api.call(LIST, {"roomId": room}, user="carol"), "listMessages")["items"]
    authors = {m["messageId"]: (m["authorId"], m["anonymous"]) for m in listed}
    assert authors == {
        before["messageId"]: (api.sub_of("bob"), False),
        after["messageId"]: (ANONYMOUS_AUTHOR_ID, True),
    }


# --- mentions ----------------------------------------------------------------------------


def test_mentions_are_stored_on_the_message_and_count_for_the_mentioned(api):
    room = create_room(api, members=("bob", "carol"))
    mentions = [api.sub_of("bob"), api.sub_of("carol"), api.sub_of("bob")]

    sent = data(post(api, room, "hey both", mentions=mentions), "sendMessage")

    assert sent["mentions"] == [api.sub_of("bob"), api.sub_of("carol")]
    stored = stored_message(api, room, sent["messageId"])
    assert stored["mentions"] == [api.sub_of("bob"), api.sub_of("carol")]
    assert stored_member(api, room, "bob")["mentionCount"] == 1
    assert stored_member(api, room, "carol")["mentionCount"] == 1


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("mallory", "is not a member of room"),
        ("banned", "is not a member of room"),
        ("alice", "you cannot mention yourself"),
    ],
)
def test_mentions_of_non_members_are_refused_and_nothing_is_written(api, who, message):
    room = create_room(api, members=("bob", "banned"))
    ban(api, room, "banned")

    result = post(api, room, "hey", mentions=[api.sub_of("bob"), api.sub_of(who)])

    error_type, text = error(result)
    assert error_type == "ValidationError" and message in text
    assert api.scan("messages") == []
    assert "mentionCount" not in stored_member(api, room, "bob")
    assert api.scan("mentions") == []


def test_at_most_twenty_mentions(api):
    room = create_room(api)
    result = post(api, room, "crowd", mentions=[f"user-{n}" for n in range(21)])
    assert error(result) == ("ValidationError", "mentions takes at most 20 users, got 21")
