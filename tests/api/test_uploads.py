"""createUpload through the in-process API: the access decision, the room's file settings
(set on the room item's `settings` map, as updateRoomSettings will store them), the
PENDING record, and a presigned POST that S3 (the moto server with the POST checks of
`emulator/s3_post_policy.py`) accepts only for the declared file: `requests` posts it."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ElementTree

import boto3
import pytest
import requests

from chatspec import room_settings
from chatspec.rules import AVATAR_MAX_BYTES, UPLOAD_FILE_NAME_MAX_LENGTH, UPLOAD_PENDING_SECONDS
from functions.common.uploads import checked_key, object_key
from tests.api.seed import ban, create_room, data, error, mute, set_role

CREATE = """mutation($input: CreateUploadInput!) {
  createUpload(input: $input) { uploadId url fields expiresAt status }
}"""
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def upload_input(room: str | None, **changes) -> dict:
    values = {
        "roomId": room,
        "fileName": "report.pdf",
        "contentType": "application/pdf",
        "size": len(PDF),
        "purpose": "MESSAGE_ATTACHMENT",
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def create(api, room, *, user="alice", **changes):
    return api.call(CREATE, {"input": upload_input(room, **changes)}, user=user)


def post(ticket: dict, body: bytes, **field_changes) -> requests.Response:
    fields = {**json.loads(ticket["fields"]), **field_changes}
    return requests.post(ticket["url"], data=fields, files={"file": body}, timeout=60)


def s3_code(response: requests.Response) -> str | None:
    return ElementTree.fromstring(response.content).findtext("Code")


def set_settings(api, room: str, **settings) -> None:
    api.dynamodb.update_item(
        TableName=api.table_names["rooms"],
        Key={"roomId": {"S": room}},
        UpdateExpression="SET settings = :s",
        ExpressionAttributeValues={":s": {"M": {k: _attribute(v) for k, v in settings.items()}}},
    )


def _attribute(value):
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int):
        return {"N": str(value)}
    if isinstance(value, list):
        return {"L": [{"S": v} for v in value]}
    return {"S": value}


def s3(api):
    return boto3.client("s3", region_name="us-east-1")


def test_a_member_gets_a_post_that_stores_exactly_the_declared_file(api):
    room = create_room(api, members=("bob",))
    ticket = data(create(api, room, user="bob"), "createUpload")
    assert ticket["status"] == "PENDING"
    fields = json.loads(ticket["fields"])
    key = fields["key"]
    assert key == f"uploads/{ticket['uploadId']}"
    assert fields["Content-Type"] == "application/pdf"
    [record] = api.scan("uploads")
    assert record["uploadId"] == ticket["uploadId"]
    assert (record["ownerId"], record["roomId"]) == (api.sub_of("bob"), room)
    assert (record["status"], record["size"]) == ("PENDING", len(PDF))
    assert record["fileName"] == "report.pdf"
    assert record["objectKey"] == key
    assert 0 < record["expiresAt"] - time.time() <= UPLOAD_PENDING_SECONDS

    # S3 refuses another size, another Content-Type, another key; then takes the file.
    assert s3_code(post(ticket, PDF + b"x")) == "EntityTooLarge"
    assert s3_code(post(ticket, PDF[:-1])) == "EntityTooSmall"
    assert post(ticket, PDF, **{"Content-Type": "text/plain"}).status_code == 403
    assert post(ticket, PDF, key="uploads/elsewhere").status_code == 403
    assert s3(api).list_objects_v2(Bucket=api.uploads_bucket).get("KeyCount") == 0
    assert post(ticket, PDF).status_code == 204
    stored = s3(api).get_object(Bucket=api.uploads_bucket, Key=key)
    assert stored["Body"].read() == PDF
    assert stored["ContentType"] == "application/pdf"


def test_the_file_name_never_reaches_the_key(api):
    room = create_room(api)
    ticket = data(create(api, room, fileName="evil.pdf"), "createUpload")
    assert json.loads(ticket["fields"])["key"] == f"uploads/{ticket['uploadId']}"
    for bad, says in [
        ("../../etc/passwd", "no / or"),
        ("a\\b.pdf", "no / or"),
        ("   ", "blank"),
        ("a\u0007.pdf", "control characters"),
        ("x" * (UPLOAD_FILE_NAME_MAX_LENGTH + 1), f"1 to {UPLOAD_FILE_NAME_MAX_LENGTH}"),
    ]:
        kind, message = error(create(api, room, fileName=bad))
        assert kind == "ValidationError" and says in message, (bad, message)


def test_the_rooms_file_settings_decide_size_and_type(api):
    room = create_room(api)
    default = room_settings.BY_NAME["maxFileSizeBytes"].default
    assert data(create(api, room, size=default), "createUpload")
    kind, message = error(create(api, room, size=default + 1))
    assert kind == "ValidationError" and f"1 to {default} bytes" in message
    assert error(create(api, room, size=0))[0] == "ValidationError"
    kind, message = error(create(api, room, contentType="application/x-msdownload"))
    assert kind == "ValidationError" and "not allowed here" in message

    set_settings(api, room, maxFileSizeBytes=1000, allowedContentTypes=["text/plain"])
    assert error(create(api, room, size=1001, contentType="text/plain"))[0] == "ValidationError"
    assert error(create(api, room, size=10))[0] == "ValidationError"  # a PDF, now disallowed
    assert data(create(api, room, size=10, contentType="text/plain"), "createUpload")

    set_settings(api, room, allowFileUploads=False)
    kind, message = error(create(api, room))
    assert kind == "Unauthorized" and "does not allow file uploads" in message


def test_only_members_who_may_post_get_a_post(api):
    room = create_room(api, members=("bob", "carol", "dave"))
    mute(api, room, "carol")
    ban(api, room, "dave")
    assert error(create(api, room, user="carol")) == (
        "Unauthorized",
        f"you are muted in room {room}",
    )
    assert error(create(api, room, user="dave"))[0] == "Unauthorized"
    assert error(create(api, room, user="erin"))[0] == "Unauthorized"
    assert error(create(api, "no-such-room"))[0] == "Unauthorized"
    assert error(create(api, room, user=None))[0] == "UnauthorizedException"
    assert [r["ownerId"] for r in api.scan("uploads")] == []


def test_announcement_rooms_take_files_from_moderators_only(api):
    room = create_room(api, members=("bob", "carol"), type="ANNOUNCEMENT")
    set_role(api, room, "carol", "MODERATOR")
    assert error(create(api, room, user="bob"))[0] == "Unauthorized"
    assert data(create(api, room, user="carol"), "createUpload")


def test_room_avatars_are_images_for_admins(api):
    room = create_room(api, members=("bob", "carol"))
    set_role(api, room, "carol", "ADMIN")
    png = {"purpose": "ROOM_AVATAR", "fileName": "a.png", "contentType": "image/png", "size": 10}
    kind, message = error(create(api, room, user="bob", **png))
    assert kind == "Unauthorized" and "ADMIN" in message
    assert data(create(api, room, user="carol", **png), "createUpload")
    assert (
        error(create(api, room, user="carol", **{**png, "contentType": "application/pdf"}))[0]
        == "ValidationError"
    )
    too_big = {**png, "size": AVATAR_MAX_BYTES + 1}
    assert error(create(api, room, user="carol", **too_big))[0] == "ValidationError"


def test_user_avatars_belong_to_no_room(api):
    png = {"purpose": "USER_AVATAR", "fileName": "me.png", "contentType": "image/png", "size": 10}
    ticket = data(create(api, None, user="erin", **png), "createUpload")
    [record] = api.scan("uploads")
    assert record["uploadId"] == ticket["uploadId"] and "roomId" not in record
    assert record["ownerId"] == api.sub_of("erin")
    room = create_room(api)
    kind, message = error(create(api, room, **png))
    assert kind == "ValidationError" and "no room" in message
    kind, message = error(create(api, None))
    assert kind == "ValidationError" and "needs roomId" in message


@pytest.mark.parametrize("purpose", ["PROFILE_BANNER", "message_attachment"])
def test_an_unknown_purpose_is_refused_by_the_schema(api, purpose):
    room = create_room(api)
    result = create(api, room, purpose=purpose)
    assert result.get("errors") and not api.scan("uploads")


SEND_WITH = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) {
    messageId version
    attachments { attachmentId fileName contentType size status url thumbnailUrl rejectedReason }
  }
}"""
PAGE = """query($r: ID!, $limit: Int) {
  listMessages(roomId: $r, limit: $limit) {
    items { messageId attachments { attachmentId status url } }
  }
}"""


def uploaded(api, room, *, user="alice", body=PDF, **changes) -> str:
    ticket = data(create(api, room, user=user, size=len(body), **changes), "createUpload")
    assert post(ticket, body).status_code == 204
    return ticket["uploadId"]


def send_with(api, room, attachments, *, user="alice"):
    variables = {"input": {"roomId": room, "content": "files", "attachments": attachments}}
    return api.call(SEND_WITH, variables, user=user)


def test_a_message_carries_its_senders_uploads_and_claims_them(api):
    room = create_room(api, members=("bob",))
    first, second = (
        uploaded(api, room),
        uploaded(api, room, fileName="b.txt", contentType="text/plain", body=b"hello"),
    )
    sent = data(send_with(api, room, [first, second]), "sendMessage")
    assert [a["attachmentId"] for a in sent["attachments"]] == [first, second]
    assert sent["attachments"][1] == {
        "attachmentId": second,
        "fileName": "b.txt",
        "contentType": "text/plain",
        "size": 5,
        "status": "PENDING",
        "url": None,
        "thumbnailUrl": None,
        "rejectedReason": None,
    }
    records = {r["uploadId"]: r for r in api.scan("uploads")}
    assert {records[i]["messageId"] for i in (first, second)} == {sent["messageId"]}
    assert all("expiresAt" not in records[i] for i in (first, second))
    kind, message = error(send_with(api, room, [first]))
    assert kind == "Conflict" and sent["messageId"] in message


def test_only_the_senders_own_unattached_uploads_in_that_room(api):
    room = create_room(api, members=("bob",))
    other_room = create_room(api)
    bobs = uploaded(api, room, user="bob")
    elsewhere = uploaded(api, other_room)
    for ids, says in [
        ([bobs], "not an upload of yours"),
        ([elsewhere], "not an upload of yours"),
        (["01JNOSUCHUPLOAD00000000000"], "not an upload of yours"),
        ([elsewhere, elsewhere], "listed twice"),
        ([f"u{i}" for i in range(11)], "at most 10"),
    ]:
        kind, message = error(send_with(api, room, ids))
        assert kind == "ValidationError" and says in message, (ids, message)
    png = {"purpose": "ROOM_AVATAR", "fileName": "a.png", "contentType": "image/png"}
    avatar = uploaded(api, room, body=b"\x89PNG....", **png)
    assert error(send_with(api, room, [avatar]))[0] == "ValidationError"
    assert api.scan("messages") == [] or all(m["content"] != "files" for m in api.scan("messages"))
    assert all("messageId" not in r for r in api.scan("uploads"))


def test_a_ready_attachment_gets_a_working_url_for_readers(api):
    room = create_room(api, members=("bob",))
    upload = uploaded(api, room)
    # What the check does once the bytes are right: its copy of them (served), then READY.
    s3(api).copy_object(
        Bucket=api.uploads_bucket,
        Key=checked_key(upload),
        CopySource={"Bucket": api.uploads_bucket, "Key": object_key(upload)},
    )
    api.dynamodb.update_item(
        TableName=api.table_names["uploads"],
        Key={"uploadId": {"S": upload}},
        UpdateExpression="SET #s = :ready",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":ready": {"S": "READY"}},
    )
    sent = data(send_with(api, room, [upload]), "sendMessage")
    [attachment] = sent["attachments"]
    assert attachment["status"] == "READY" and attachment["url"]
    download = requests.get(attachment["url"], timeout=60)
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    [item] = data(api.call(PAGE, {"r": room}, user="bob"), "listMessages")["items"]
    assert item["attachments"][0]["url"]
    assert error(api.call(PAGE, {"r": room}, user="erin"))[0] == "Unauthorized"


def test_a_page_of_50_messages_signs_its_urls_in_one_invocation(api):
    room = create_room(api)
    for _ in range(50):
        upload = uploaded(api, room, body=PDF)
        data(send_with(api, room, [upload]), "sendMessage")
    invocations = []
    source = api.engine.data_sources["UploadsLambda"]
    original = source.call
    source.call = lambda event: (invocations.append(event), original(event))[1]
    items = data(api.call(PAGE, {"r": room, "limit": 50}), "listMessages")["items"]
    assert len(items) == 50 and all(len(i["attachments"]) == 1 for i in items)
    assert len(invocations) == 1
    assert isinstance(invocations[0], list) and len(invocations[0]) == 50
    assert {e["info"]["fieldName"] for e in invocations[0]} == {"attachments"}
