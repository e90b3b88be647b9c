"""addReaction / removeReaction and the Message.reactions field through the emulator."""

from __future__ import annotations

import pytest

from tests.api.seed import (
    ban,
    create_room,
    data,
    error_message,
    error_type,
    message_mutation,
    react,
    send,
    stored_message,
)


def test_reactions_are_listed_by_count_then_emoji_with_their_users(api):
    room = create_room(api, members=("bob", "carol"))
    message = send(api, room, "party")["messageId"]
    react(api, room, message, "🎉")
    react(api, room, message, "👍", user="bob")
    react(api, room, message, "👍", user="carol")
    react(api, room, message, "🍕", user="carol")

    reactions = data(react(api, room, message, "🎉", user="alice"), "addReaction")["reactions"]

    assert [(r["emoji"], r["count"]) for r in reactions] == [("👍", 2), ("🍕", 1), ("🎉", 1)]
    assert sorted(reactions[0]["userIds"]) == sorted([api.sub_of("bob"), api.sub_of("carol")])
    assert stored_message(api, room, message)["reactions"]["🎉"] == [api.sub_of("alice")]


def test_removing_a_reaction_removes_only_the_callers_and_drops_empty_emoji(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "hi")["messageId"]
    react(api, room, message, "👍")
    react(api, room, message, "👍", user="bob")
    react(api, room, message, "❤️", user="bob")

    after_mine = data(react(api, room, message, "👍", field="removeReaction"), "removeReaction")
    after_bobs = data(
        react(api, room, message, "❤️", user="bob", field="removeReaction"), "removeReaction"
    )

    thumbs = {"emoji": "👍", "count": 1, "userIds": [api.sub_of("bob")]}
    assert thumbs in after_mine["reactions"]
    assert len(after_mine["reactions"]) == 2
    assert [r["emoji"] for r in after_bobs["reactions"]] == ["👍"]
    assert set(stored_message(api, room, message)["reactions"]) == {"👍"}


def test_removing_a_reaction_never_given_changes_nothing(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "hi")["messageId"]
    react(api, room, message, "👍", user="bob")

    result = react(api, room, message, "👍", field="removeReaction")

    assert data(result, "removeReaction")["reactions"][0]["count"] == 1


@pytest.mark.parametrize(
    "emoji",
    [
        "👍",
        "👍🏽",
        "👨‍👩‍👧",
        "🇫🇷",
        "❤️",
        "1️⃣",
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ],
    ids=["plain", "skin", "zwj", "flag", "vs16", "keycap", "subdivision"],
)
def test_emoji_of_every_kind_are_reactions(api, emoji):
    room = create_room(api)
    message = send(api, room, "hi")["messageId"]

    reactions = data(react(api, room, message, emoji), "addReaction")["reactions"]

    assert reactions == [{"emoji": emoji, "count": 1, "userIds": [api.sub_of("alice")]}]


@pytest.mark.parametrize(
    "emoji",
    ["", "👍👍", "ab", "👍 ", "a", "1", "a" + "\u0301" * 10_000, "\u200d", "👍" + "\u200d👍" * 5],
    ids=["empty", "two", "word", "space", "letter", "digit", "marks", "zwj", "six-zwj"],
)
def test_anything_but_one_emoji_is_refused(api, emoji):
    room = create_room(api)
    message = send(api, room, "hi")["messageId"]

    result = react(api, room, message, emoji)

    assert error_type(result) == "ValidationError"
    assert "emoji must be one Unicode emoji" in error_message(result)
    assert stored_message(api, room, message)["reactions"] == {}


def test_a_message_takes_at_most_20_different_emoji(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "popular")["messageId"]
    emoji = [chr(0x1F600 + i) for i in range(21)]
    for e in emoji[:20]:
        data(react(api, room, message, e), "addReaction")

    refused = react(api, room, message, emoji[20])
    existing = react(api, room, message, emoji[0], user="bob")

    assert error_type(refused) == "LimitExceeded"
    assert data(existing, "addReaction")["reactions"][0] == {
        "emoji": emoji[0],
        "count": 2,
        "userIds": [api.sub_of("alice"), api.sub_of("bob")],
    }
    assert len(stored_message(api, room, message)["reactions"]) == 20


def test_only_members_react(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "hi")["messageId"]
    ban(api, room, "bob")

    assert error_type(react(api, room, message, "👍", user="mallory")) == "Unauthorized"
    assert error_type(react(api, room, message, "👍", user="bob")) == "Unauthorized"
    assert stored_message(api, room, message)["reactions"] == {}


def test_deleted_messages_take_no_reactions(api):
    room = create_room(api)
    message = send(api, room, "gone")["messageId"]
    data(message_mutation(api, "deleteMessage", room, message), "deleteMessage")

    assert error_type(react(api, room, message, "👍")) == "Conflict"


def test_reactions_reach_on_message_updated_subscribers(api):
    room = create_room(api, members=("bob",))
    message = send(api, room, "hi")["messageId"]
    subscription = api.subscribe(
        "subscription U($r: ID!) {"
        " onMessageUpdated(roomId: $r) { messageId reactions { emoji count } } }",
        {"r": room},
        user="bob",
    )

    react(api, room, message, "👍")

    assert [e["data"]["onMessageUpdated"] for e in subscription.events] == [
        {"messageId": message, "reactions": [{"emoji": "👍", "count": 1}]}
    ]
