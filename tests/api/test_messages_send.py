"""sendMessage through the emulator: who may post, what is valid, and retries."""

from __future__ import annotations

import time

import pytest

from tests.api.seed import (
    ban,
    create_room,
    error_message,
    error_type,
    mute,
    send,
    send_result,
    set_role,
    stored_message,
    stored_room,
)


def test_member_posts_trimmed_text_and_the_room_counts_it(api):
    room = create_room(api, members=("bob",))

    first = send(api, room, "  hello  ", user="bob")
    second = send(api, room, "again")

    assert first["content"] == "hello"
    assert first["type"] == "TEXT"
    assert first["authorId"] == api.sub_of("bob")
    assert first["reactions"] == []
    assert (first["isEdited"], first["isDeleted"], first["pinned"]) == (False, False, False)
    assert second["messageId"] > first["messageId"]
    assert stored_message(api, room, first["messageId"])["seq"] == 1
    assert stored_message(api, room, second["messageId"])["seq"] == 2
    stored = stored_room(api, room)
    assert stored["messageCount"] == 2
    assert stored["lastMessageAt"] == second["createdAt"]


BLANK = "content is blank: it holds only whitespace, invisible or control characters"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", BLANK),
        ("   \n\t ", BLANK),
        ("x" * 4001, "content must be at most 4000 characters after trimming, got 4001"),
    ],
    ids=["empty", "blank", "4001"],
)
def test_content_outside_1_to_4000_characters_is_refused(api, content, message):
    room = create_room(api)

    result = send_result(api, room, content)

    assert error_type(result) == "ValidationError"
    assert error_message(result) == message
    assert api.scan("messages") == []
    assert stored_room(api, room).get("messageCount", 0) == 0


def test_content_of_exactly_4000_characters_is_accepted(api):
    room = create_room(api)

    assert len(send(api, room, " " + "x" * 4000 + " ")["content"]) == 4000


def test_backend_message_types_are_refused_from_users(api):
    room = create_room(api)

    result = send_result(api, room, "I am the system", type="SYSTEM")

    assert error_type(result) == "ValidationError"
    assert send(api, room, "a picture", type="IMAGE")["type"] == "IMAGE"


def test_non_member_cannot_post(api):
    room = create_room(api, members=("bob",))

    result = send_result(api, room, "let me in", user="mallory")

    assert error_type(result) == "Unauthorized"
    assert api.scan("messages") == []


def test_banned_member_cannot_post(api):
    room = create_room(api, members=("bob",))
    send(api, room, "before the ban", user="bob")
    ban(api, room, "bob")

    result = send_result(api, room, "after the ban", user="bob")

    assert error_type(result) == "Unauthorized"
    assert [m["content"] for m in api.scan("messages")] == ["before the ban"]


def test_muted_member_cannot_post_but_others_can(api):
    room = create_room(api, members=("bob", "carol"))
    mute(api, room, "bob")

    refused = send_result(api, room, "muted", user="bob")

    assert error_type(refused) == "Unauthorized"
    assert "muted" in error_message(refused)
    assert send(api, room, "not muted", user="carol")["content"] == "not muted"


def test_announcement_rooms_take_posts_from_moderators_and_up_only(api):
    room = create_room(api, members=("bob", "carol"), type="ANNOUNCEMENT")
    set_role(api, room, "carol", "MODERATOR")

    refused = send_result(api, room, "hello all", user="bob")

    assert error_type(refused) == "Unauthorized"
    assert send(api, room, "news", user="carol")["content"] == "news"
    assert send(api, room, "more news", user="alice")["content"] == "more news"


def test_reply_must_answer_a_message_of_the_same_room(api):
    room = create_room(api, members=("bob",))
    other = create_room(api, owner="bob")
    root = send(api, room, "question")
    elsewhere = send(api, other, "unrelated", user="bob")

    reply = send(api, room, "answer", user="bob", replyTo=root["messageId"])
    missing = send_result(api, room, "answer", user="bob", replyTo=elsewhere["messageId"])

    assert reply["replyTo"] == root["messageId"]
    assert error_type(missing) == "NotFound"
    assert elsewhere["messageId"] in error_message(missing)
    assert stored_room(api, room)["messageCount"] == 2


def test_unknown_room_is_not_found_even_for_cognito_admins(api):
    result = send_result(api, "no-such-room", "hello", user="root", groups=("Admin",))

    assert error_type(result) == "NotFound"
    assert api.scan("messages") == []
    assert api.scan("rooms") == []


def test_retry_with_the_same_client_message_id_returns_the_first_message(api):
    room = create_room(api, members=("bob",))

    first = send(api, room, "once", user="bob", clientMessageId="c-1")
    retry = send(api, room, "once", user="bob", clientMessageId="c-1")

    assert retry == first
    assert [m["messageId"] for m in api.scan("messages")] == [first["messageId"]]
    assert stored_room(api, room)["messageCount"] == 1
    [record] = api.scan("idempotency")
    incarnation = stored_room(api, room)["incarnation"]
    assert record["idempotencyKey"] == f"{room}#{incarnation}#{api.sub_of('bob')}#c-1"
    assert (record["roomId"], record["messageId"]) == (room, first["messageId"])


def test_client_message_ids_are_scoped_to_their_author(api):
    room = create_room(api, members=("bob",))

    mine = send(api, room, "mine", clientMessageId="same")
    theirs = send(api, room, "theirs", user="bob", clientMessageId="same")

    assert mine["messageId"] != theirs["messageId"]
    assert theirs["content"] == "theirs"
    assert len(api.scan("messages")) == 2
    assert len(api.scan("idempotency")) == 2


def test_message_without_client_message_id_writes_no_idempotency_record(api):
    room = create_room(api)

    send(api, room, "fire and forget")

    assert api.scan("idempotency") == []


def test_subscribers_of_the_room_receive_new_messages(api):
    room = create_room(api, members=("bob",))
    other = create_room(api, members=("bob",))
    subscription = api.subscribe(
        "subscription S($roomId: ID!) { onMessageAdded(roomId: $roomId) { roomId content } }",
        {"roomId": room},
        user="bob",
    )

    send(api, room, "for bob")
    send(api, other, "elsewhere")

    assert subscription.error is None
    assert subscription.events == [
        {"data": {"onMessageAdded": {"roomId": room, "content": "for bob"}}}
    ]


def test_an_expired_idempotency_record_lingering_before_ttl_deletion_is_replaced(api):
    room = create_room(api)
    key = f"{room}#{stored_room(api, room)['incarnation']}#{api.sub_of('alice')}#old"
    api.dynamodb.put_item(
        TableName=api.table_names["idempotency"],
        Item={
            "idempotencyKey": {"S": key},
            "message": {"M": {"messageId": {"S": "01STALE"}}},
            "expiresAt": {"N": str(int(time.time()) - 60)},
        },
    )

    fresh = send(api, room, "new day", clientMessageId="old")

    assert fresh["messageId"] != "01STALE"
    [record] = api.scan("idempotency")
    assert record["messageId"] == fresh["messageId"]
    assert record["expiresAt"] > time.time()
