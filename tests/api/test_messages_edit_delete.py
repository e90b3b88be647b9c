"""editMessage and deleteMessage through the emulator: who may, and what a tombstone keeps."""

from __future__ import annotations

from tests.api.seed import (
    MESSAGE_FIELDS,
    create_room,
    data,
    error_type,
    message_mutation,
    mute,
    react,
    send,
    set_role,
    stored_message,
)

EDIT = f"""
mutation Edit($roomId: ID!, $messageId: ID!, $content: String!) {{
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) {{ {MESSAGE_FIELDS} }}
}}
"""


def _edit(api, room, message_id, content, user="alice", groups=()):
    variables = {"roomId": room, "messageId": message_id, "content": content}
    return api.call(EDIT, variables, user=user, groups=groups)


def test_author_edits_content(api):
    room = create_room(api, members=("bob",))
    sent = send(api, room, "helo", user="bob")

    edited = data(_edit(api, room, sent["messageId"], " hello ", user="bob"), "editMessage")

    assert edited["content"] == "hello"
    assert edited["isEdited"] is True
    assert edited["editedAt"] >= sent["createdAt"]
    assert stored_message(api, room, sent["messageId"])["content"] == "hello"


def test_nobody_else_edits_not_even_the_owner(api):
    room = create_room(api, members=("bob",))
    sent = send(api, room, "mine", user="bob")

    assert error_type(_edit(api, room, sent["messageId"], "theirs")) == "Unauthorized"
    admin = _edit(api, room, sent["messageId"], "staff", user="root", groups=("Admin",))
    assert error_type(admin) == "Unauthorized"
    assert stored_message(api, room, sent["messageId"])["content"] == "mine"


def test_edit_validates_content_and_refuses_muted_authors(api):
    room = create_room(api, members=("bob",))
    sent = send(api, room, "original", user="bob")

    assert error_type(_edit(api, room, sent["messageId"], "   ", user="bob")) == "ValidationError"
    mute(api, room, "bob")
    assert error_type(_edit(api, room, sent["messageId"], "sneaky", user="bob")) == "Unauthorized"
    assert stored_message(api, room, sent["messageId"])["content"] == "original"


def test_author_deletes_to_a_tombstone_without_content_reactions_or_pin(api):
    room = create_room(api, members=("bob",))
    sent = send(api, room, "regret", user="bob")
    data(react(api, room, sent["messageId"], "👍"), "addReaction")
    data(message_mutation(api, "pinMessage", room, sent["messageId"]), "pinMessage")

    result = message_mutation(api, "deleteMessage", room, sent["messageId"], user="bob")

    deleted = data(result, "deleteMessage")

    assert deleted["isDeleted"] is True
    assert deleted["content"] is None
    assert deleted["deletedBy"] == api.sub_of("bob")
    assert deleted["reactions"] == []
    assert deleted["pinned"] is False
    stored = stored_message(api, room, sent["messageId"])
    assert "content" not in stored and "pinnedRoomId" not in stored
    assert stored["reactions"] == {}


def test_moderators_delete_others_messages_members_do_not(api):
    room = create_room(api, members=("bob", "carol", "dave"))
    set_role(api, room, "carol", "MODERATOR")
    first = send(api, room, "spam", user="bob")
    second = send(api, room, "more spam", user="bob")

    denied = message_mutation(api, "deleteMessage", room, first["messageId"], user="dave")
    by_moderator = message_mutation(api, "deleteMessage", room, first["messageId"], user="carol")
    by_cognito_moderator = api.call(
        f"""mutation D($roomId: ID!, $messageId: ID!) {{
          deleteMessage(roomId: $roomId, messageId: $messageId) {{ {MESSAGE_FIELDS} }}
        }}""",
        {"roomId": room, "messageId": second["messageId"]},
        user="staff",
        groups=("Moderator",),
    )

    assert error_type(denied) == "Unauthorized"
    assert data(by_moderator, "deleteMessage")["deletedBy"] == api.sub_of("carol")
    assert data(by_cognito_moderator, "deleteMessage")["deletedBy"] == api.sub_of("staff")


def test_tombstone_stays_in_history_and_cannot_be_edited(api):
    room = create_room(api)
    sent = send(api, room, "gone soon")
    data(message_mutation(api, "deleteMessage", room, sent["messageId"]), "deleteMessage")

    listed = data(
        api.call(
            "query L($r: ID!) {"
            " listMessages(roomId: $r) { items { messageId isDeleted content } } }",
            {"r": room},
        ),
        "listMessages",
    )
    again = message_mutation(api, "deleteMessage", room, sent["messageId"])

    assert listed["items"] == [{"messageId": sent["messageId"], "isDeleted": True, "content": None}]
    assert error_type(_edit(api, room, sent["messageId"], "back")) == "Conflict"
    assert data(again, "deleteMessage")["isDeleted"] is True


def test_deleting_an_unknown_message_is_not_found(api):
    room = create_room(api)

    assert error_type(message_mutation(api, "deleteMessage", room, "01NOPE")) == "NotFound"


def test_edits_and_deletes_reach_on_message_updated_subscribers(api):
    room = create_room(api, members=("bob",))
    sent = send(api, room, "draft")
    subscription = api.subscribe(
        "subscription U($r: ID!) { onMessageUpdated(roomId: $r) { messageId content isDeleted } }",
        {"r": room},
        user="bob",
    )

    _edit(api, room, sent["messageId"], "final")
    message_mutation(api, "deleteMessage", room, sent["messageId"])

    assert subscription.error is None
    assert [e["data"]["onMessageUpdated"] for e in subscription.events] == [
        {"messageId": sent["messageId"], "content": "final", "isDeleted": False},
        {"messageId": sent["messageId"], "content": None, "isDeleted": True},
    ]
