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
