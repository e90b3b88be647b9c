"""The Pipes enrichment names events from old and new images, which no filter can compare."""

from __future__ import annotations

from functions.events.classify import classify
from functions.events.handler import handler


def image(**attributes) -> dict:
    typed = {}
    for name, value in attributes.items():
        if isinstance(value, bool):
            typed[name] = {"BOOL": value}
        elif isinstance(value, int):
            typed[name] = {"N": str(value)}
        elif isinstance(value, list):
            typed[name] = {"L": [{"S": v} for v in value]}
        else:
            typed[name] = {"S": value}
    return typed


def record(name: str, new: dict | None = None, old: dict | None = None) -> dict:
    body: dict = {"ApproximateCreationDateTime": 1764637200}
    if new is not None:
        body["NewImage"] = new
    if old is not None:
        body["OldImage"] = old
    return {"eventName": name, "dynamodb": body}


MESSAGE = dict(roomId="r", messageId="m", authorId="a", type="TEXT", content="hi", version=1)


def test_an_insert_is_message_sent_with_mentions_and_reply_to_defaults():
    event = classify("messages", record("INSERT", image(**MESSAGE, createdAt="t")))
    assert event["detailType"] == "MessageSent"
    assert event["detail"]["mentions"] == [] and event["detail"]["replyTo"] is None
    mentioned = classify("messages", record("INSERT", image(**MESSAGE, mentions=["u1", "u2"])))
    assert mentioned["detail"]["mentions"] == ["u1", "u2"]


def test_a_reaction_on_an_edited_message_is_no_second_edit():
    before = image(**MESSAGE, isEdited=True, isDeleted=False, editedAt="t1")
    edit = image(**{**MESSAGE, "content": "new", "version": 3}, isEdited=True, editedAt="t2")
    assert classify("messages", record("MODIFY", edit, before))["detailType"] == "MessageEdited"
    reacted = image(**MESSAGE, isEdited=True, isDeleted=False, editedAt="t1")
    assert classify("messages", record("MODIFY", reacted, before)) is None


def test_a_delete_is_once_and_an_unban_is_no_departure():
    alive = image(**MESSAGE, isDeleted=False)
    gone = image(**MESSAGE, isDeleted=True, deletedBy="a", deletedAt="t")
    assert classify("messages", record("MODIFY", gone, alive))["detailType"] == "MessageDeleted"
    assert classify("messages", record("MODIFY", gone, gone)) is None
    banned = image(roomId="r", userId="u", role="MEMBER", isBanned=True)
    assert classify("room_members", record("REMOVE", None, banned)) is None
    member = image(roomId="r", userId="u", role="MEMBER", isBanned=False)
    left = classify("room_members", record("REMOVE", None, member))
    assert left["detailType"] == "MemberLeft" and left["detail"]["at"] == "2025-12-02T01:00:00Z"
    ban = classify("room_members", record("MODIFY", banned, member))
    assert ban["detailType"] == "MemberBanned"


def test_the_handler_answers_only_the_events_of_a_batch():
    batch = [
        {"table": "rooms", "record": record("INSERT", image(roomId="r", name="n", type="PUBLIC"))},
        {"table": "rooms", "record": record("MODIFY", image(roomId="r"), image(roomId="r"))},
    ]
    assert [e["detailType"] for e in handler(batch, None)] == ["RoomCreated"]
