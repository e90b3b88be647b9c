"""The holes of issue 9, each tried through the emulator as a hostile user would.

Every test here failed on the commit before the single access decision (checked by running
this file against that commit's templates and Lambdas) and passes now.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.seed import (
    ban,
    create_room,
    create_room_with,
    data,
    error,
    message_mutation,
    mute,
    react,
    send,
    send_result,
    set_role,
    stored_room,
)

ROOM_SUBSCRIPTIONS = {
    "onMessageAdded": "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId } }",
    "onMessageUpdated": "subscription($r: ID!) { onMessageUpdated(roomId: $r) { messageId } }",
    "onTyping": "subscription($r: ID!) { onTyping(roomId: $r) { userId } }",
    "onMemberChanged": "subscription($r: ID!) { onMemberChanged(roomId: $r) { userId } }",
}
LIST = "query($r: ID!) { listMessages(roomId: $r) { items { messageId content } } }"
GET_ROOM = "query($r: ID!) { getRoom(roomId: $r) { roomId } }"
JOIN = "mutation($r: ID!) { joinRoom(roomId: $r) { userId } }"
DELETE = "mutation($r: ID!) { deleteRoom(roomId: $r) { deleted } }"
TYPING = "mutation($r: ID!) { sendTyping(roomId: $r, isTyping: true) { userId } }"
LEAVE = "mutation($r: ID!) { leaveRoom(roomId: $r) { userId } }"
MUTE = """mutation($r: ID!, $u: ID!) { muteMember(roomId: $r, userId: $u) { isMuted } }"""
EDIT = """mutation($r: ID!, $m: ID!, $c: String!) {
  editMessage(roomId: $r, messageId: $m, content: $c) { content } }"""


# 1. A retry tells the truth and publishes nothing stale -----------------------------------


def test_a_retry_after_a_moderator_deleted_the_message_returns_its_tombstone(api):
    room = create_room(api, members=("bob",))
    first = send(api, room, "regrettable", user="bob", clientMessageId="c-1")
    data(message_mutation(api, "deleteMessage", room, first["messageId"]), "deleteMessage")
    watcher = api.subscribe(
        "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId content isDeleted } }",
        {"r": room},
    )

    retry = send(api, room, "regrettable", user="bob", clientMessageId="c-1")

    assert retry["messageId"] == first["messageId"]
    assert (retry["isDeleted"], retry["content"]) == (True, None)
    assert all(e["data"]["onMessageAdded"]["content"] is None for e in watcher.events)


def test_a_retry_after_an_edit_returns_the_edited_message(api):
    room = create_room(api, members=("bob",))
    first = send(api, room, "tpyo", user="bob", clientMessageId="c-2")
    variables = {"r": room, "m": first["messageId"], "c": "typo"}
    data(api.call(EDIT, variables, user="bob"), "editMessage")

    retry = send(api, room, "tpyo", user="bob", clientMessageId="c-2")

    assert (retry["content"], retry["isEdited"]) == ("typo", True)


def test_a_direct_room_created_again_answers_nothing_from_the_deleted_one(api):
    direct = {"name": "dm", "type": "DIRECT", "memberIds": [api.sub_of("bob")]}
    room = create_room_with(api, direct)["roomId"]
    old = send(api, room, "old conversation", user="bob", clientMessageId="c-3")
    data(api.call(DELETE, {"r": room}), "deleteRoom")
    assert api.scan("idempotency") == []

    again = create_room_with(api, direct)["roomId"]
    retry = send(api, again, "new conversation", user="bob", clientMessageId="c-3")

    assert again == room
    assert retry["messageId"] != old["messageId"]
    assert retry["content"] == "new conversation"
    listed = data(api.call(LIST, {"r": again}, user="bob"), "listMessages")["items"]
    assert [m["content"] for m in listed] == ["new conversation"]


# 2. A ban beats every Cognito group --------------------------------------------------------


@pytest.mark.parametrize("group", ["Admin", "Moderator"])
def test_a_banned_member_in_a_cognito_group_reads_and_receives_nothing(api, group):
    room = create_room(api, members=("bob", "gina"))
    ban(api, room, "gina")

    refused = {
        field: api.subscribe(query, {"r": room}, user="gina", groups=[group])
        for field, query in ROOM_SUBSCRIPTIONS.items()
    }
    send(api, room, "after the ban", user="bob")
    api.call(TYPING, {"r": room}, user="bob")

    for field, subscription in refused.items():
        assert subscription.error is not None, field
        assert subscription.error["errorType"] == "Unauthorized", field
        assert subscription.events == [], field
    assert error(api.call(LIST, {"r": room}, user="gina", groups=[group]))[0] == "Unauthorized"
    assert error(send_result(api, room, "hi", user="gina", groups=(group,)))[0] == "Unauthorized"


# 3. deleteRoom is final, even with sends and joins racing it -------------------------------


def test_nothing_written_concurrently_with_delete_room_survives_it(api):
    for attempt in range(3):
        room = create_room(api, members=("bob",), type="PUBLIC")
        for n in range(30):
            send(api, room, f"before {n}", user="bob")

        def sender(n: int, room: str = room) -> dict:
            return send_result(api, room, f"racing {n}", user="bob", clientMessageId=f"r{n}")

        def joiner(n: int, room: str = room, attempt: int = attempt) -> dict:
            return api.call(JOIN, {"r": room}, user=f"joiner{attempt}-{n}")

        with ThreadPoolExecutor(max_workers=6) as pool:
            racing = [pool.submit(sender, n) for n in range(8)]
            racing += [pool.submit(joiner, n) for n in range(8)]
            deleted = pool.submit(api.call, DELETE, {"r": room})
            outcomes = [future.result(timeout=120) for future in racing]

        assert data(deleted.result(timeout=120), "deleteRoom") == {"deleted": True}
        for outcome in outcomes:
            if outcome.get("errors"):
                assert outcome["errors"][0]["errorType"] in ("NotFound", "Unauthorized"), outcome
        assert [m for m in api.scan("messages") if m["roomId"] == room] == []
        assert [m for m in api.scan("room_members") if m["roomId"] == room] == []
        assert [r for r in api.scan("idempotency") if r["roomId"] == room] == []
        assert [r for r in api.scan("rooms") if r["roomId"] == room] == []


def test_a_deletion_in_progress_refuses_writes_and_a_second_call_finishes_it(api):
    room = create_room(api, members=("bob",), type="PUBLIC")
    send(api, room, "hello", user="bob")
    api.dynamodb.update_item(
        TableName=api.table_names["rooms"],
        Key={"roomId": {"S": room}},
        UpdateExpression="SET deletingAt = :now, deletingBy = :by",
        ExpressionAttributeValues={":now": {"S": "2026-12-01T00:00:00Z"}, ":by": {"S": "x"}},
    )

    assert error(send_result(api, room, "late", user="bob"))[0] == "Unauthorized"
    assert error(api.call(JOIN, {"r": room}, user="carol"))[0] == "Unauthorized"
    assert data(api.call(DELETE, {"r": room}), "deleteRoom") == {"deleted": True}
    assert api.scan("rooms") == [] and api.scan("messages") == []


# 4. Reactions are emoji, bounded -------------------------------------------------------------


def test_a_letter_with_ten_thousand_combining_marks_is_no_reaction(api):
    room = create_room(api)
    message = send(api, room, "hi")["messageId"]

    result = react(api, room, message, "a" + "\u0301" * 10_000)

    assert error(result)[0] == "ValidationError"


def test_reactors_per_emoji_are_bounded_and_the_author_can_still_edit(api):
    from chatspec.rules import MAX_REACTORS_PER_EMOJI

    room = create_room(api, members=("bob",))
    message = send(api, room, "popular", user="bob")["messageId"]
    crowd = {f"fan-{n:04d}-0000-0000-0000-000000000000" for n in range(MAX_REACTORS_PER_EMOJI - 1)}
    api.dynamodb.update_item(
        TableName=api.table_names["messages"],
        Key={"roomId": {"S": room}, "messageId": {"S": message}},
        UpdateExpression="SET reactions = :r",
        ExpressionAttributeValues={":r": {"M": {"👍": {"SS": sorted(crowd)}}}},
    )

    last = react(api, room, message, "👍")
    over = react(api, room, message, "👍", user="bob")
    edited = api.call(EDIT, {"r": room, "m": message, "c": "still mine"}, user="bob")

    assert data(last, "addReaction")["reactions"][0]["count"] == MAX_REACTORS_PER_EMOJI
    assert error(over)[0] == "LimitExceeded"
    assert data(edited, "editMessage")["content"] == "still mine"


# 5. Nobody is trapped in a DIRECT room ------------------------------------------------------


def test_nobody_can_be_muted_in_a_direct_room(api):
    direct = {"name": "dm", "type": "DIRECT", "memberIds": [api.sub_of("bob")]}
    room = create_room_with(api, direct)["roomId"]

    refused = api.call(MUTE, {"r": room, "u": api.sub_of("bob")})

    assert error(refused)[0] == "Conflict"
    assert send(api, room, "still here", user="bob")["content"] == "still here"


# 6. No oracle ----------------------------------------------------------------------------------


def test_a_direct_rooms_existence_is_no_oracle(api):
    direct = {"name": "dm", "type": "DIRECT", "memberIds": [api.sub_of("bob")]}
    room = create_room_with(api, direct)["roomId"]
    absent = room.replace(api.sub_of("bob"), api.sub_of("carol"))

    for query in (GET_ROOM, JOIN, DELETE, LIST):
        existing = error(api.call(query, {"r": room}, user="mallory"))
        missing = error(api.call(query, {"r": absent}, user="mallory"))
        assert existing[0] == missing[0] == "Unauthorized", query
        assert existing[1].replace(room, "?") == missing[1].replace(absent, "?"), query


# 7. Blank and malformed input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ["\u00a0\u00a0", "\u200b", "\u2800", "\u3164", "\u3000", "\u200b \u2060\ufeff", "\u115f"],
    ids=["nbsp", "zwsp", "braille", "hangul-filler", "ideographic", "mixed", "choseong"],
)
def test_invisible_content_is_blank(api, content):
    room = create_room(api)

    assert error(send_result(api, room, content)) == (
        "ValidationError",
        "content is blank: it holds only whitespace, invisible or control characters",
    )
    assert api.scan("messages") == []


def test_control_characters_other_than_newline_and_tab_are_refused(api):
    room = create_room(api)

    assert error(send_result(api, room, "bell\u0007"))[0] == "ValidationError"
    assert error(send_result(api, room, "esc\u001b[31m"))[0] == "ValidationError"
    assert send(api, room, "two\nlines\tand a tab")["content"] == "two\nlines\tand a tab"


@pytest.mark.parametrize("field", ["roomId", "messageId"])
def test_an_over_long_id_is_a_validation_error_not_a_dynamodb_error(api, field):
    room = create_room(api)
    message = send(api, room, "hi")["messageId"]
    variables = {"roomId": room, "messageId": message, field: "x" * 2049}

    result = message_mutation(api, "pinMessage", variables["roomId"], variables["messageId"])

    assert error(result) == (
        "ValidationError",
        f"{field} must be an id of 1 to 128 characters, got 2049",
    )


# Muted means silent --------------------------------------------------------------------------


def test_a_muted_moderator_reads_and_moderates_but_neither_posts_reacts_nor_types(api):
    room = create_room(api, members=("mo", "bob"))
    set_role(api, room, "mo", "MODERATOR")
    message = send(api, room, "hello", user="bob")["messageId"]
    mute(api, room, "mo")

    assert error(send_result(api, room, "hi", user="mo"))[0] == "Unauthorized"
    assert error(react(api, room, message, "👍", user="mo"))[0] == "Unauthorized"
    assert error(api.call(TYPING, {"r": room}, user="mo"))[0] == "Unauthorized"
    assert data(api.call(LIST, {"r": room}, user="mo"), "listMessages")["items"]
    assert data(message_mutation(api, "pinMessage", room, message, user="mo"), "pinMessage")
    assert stored_room(api, room)["messageCount"] == 1
