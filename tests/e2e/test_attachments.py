"""Attachments end to end through the running emulator, as a client uses them: createUpload
over HTTP with a Cognito token, the file POSTed with `requests` as multipart to the
presigned form, S3's object-created event delivered to the artifact's file check, and the
verdict seen by another member (READY with working URLs and a thumbnail for the image,
REJECTED with a reason) over HTTP and on onMessageUpdated."""

from __future__ import annotations

import asyncio
import inspect
import io
import itertools
import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from typing import Any

import boto3
import pytest
import requests
from gql import gql
from PIL import Image

from functions.common.uploads import checked_key, file_keys
from tests.e2e.api_calls import Api, ensure_users
from tests.e2e.clients import first_event, realtime_client

pytestmark = pytest.mark.e2e

CREATE = """mutation($input: CreateUploadInput!) {
  createUpload(input: $input) { uploadId url fields status }
}"""
SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { messageId attachments { attachmentId status } }
}"""
GET = """query($r: ID!, $m: ID!) {
  getMessage(roomId: $r, messageId: $m) {
    messageId version
    attachments { attachmentId fileName contentType size status url thumbnailUrl rejectedReason }
  }
}"""
ON_UPDATED = """subscription($roomId: ID!) {
  onMessageUpdated(roomId: $roomId) { messageId version attachments { attachmentId status } }
}"""
REACT = """mutation($r: ID!, $m: ID!) {{
  {field}(roomId: $r, messageId: $m, emoji: "👍") {{
    roomId messageId version attachments {{ attachmentId status }}
  }}
}}"""
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
CHECK_ATTEMPTS = 120
"""How many times a test reads a message while waiting for the check (a bound, not a clock)."""


def png(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 90)).save(out, format="PNG")
    return out.getvalue()


async def upload(api: Api, user: str, room: str, body: bytes, **declared: Any) -> dict:
    values = {
        "roomId": room,
        "fileName": "file",
        "contentType": "application/pdf",
        "size": len(body),
        "purpose": "MESSAGE_ATTACHMENT",
        **declared,
    }
    return (await api.call(user, CREATE, {"input": values}))["createUpload"]


def post(ticket: dict, body: bytes) -> requests.Response:
    fields = json.loads(ticket["fields"])
    return requests.post(ticket["url"], data=fields, files={"file": body}, timeout=60)


async def send_attached(api: Api, room: str, ids: list[str], content: str = "f") -> dict:
    """alice's message with these uploads attached, sent as a client would: retried while
    the file check finishing meanwhile makes the API ask for a retry (`Api.call_retrying`)."""
    variables = {"input": {"roomId": room, "content": content, "attachments": ids}}
    return (await api.call_retrying("alice", SEND, variables))["sendMessage"]


async def eventually(read: Callable[[], Any], done: Callable[[Any], bool], what: str) -> Any:
    """What `read` gives once `done` holds. The file check and the streams run asynchronously,
    as in AWS, so a test reads again, at most CHECK_ATTEMPTS times a quarter second apart: a
    bound on how long it waits, not a clock it asserts on."""
    value = None
    for _ in range(CHECK_ATTEMPTS):
        value = read()
        if inspect.isawaitable(value):
            value = await value
        if done(value):
            return value
        await asyncio.sleep(0.25)
    raise AssertionError(f"{what}: {value}")


async def settled(api: Api, user: str, room: str, message: str) -> dict:
    """The message once no attachment is PENDING."""

    async def read() -> dict:
        return (await api.call(user, GET, {"r": room, "m": message}))["getMessage"]

    return await eventually(
        read,
        lambda found: all(a["status"] != "PENDING" for a in found["attachments"]),
        f"message {message} still has PENDING attachments",
    )


def s3(outputs):
    return boto3.client(
        "s3",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="e2e",
        aws_secret_access_key="e2e",
    )


async def test_an_image_and_a_pdf_become_ready_for_another_member(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    image = png()
    picture = await upload(api, "alice", room, image, fileName="cat.png", contentType="image/png")
    document = await upload(api, "alice", room, PDF, fileName="report.pdf")
    assert post(picture, image).status_code == 204
    assert post(document, PDF).status_code == 204
    ids = [picture["uploadId"], document["uploadId"]]
    sent = await send_attached(api, room, ids, "files")
    found = await settled(api, "bob", room, sent["messageId"])
    by_id = {a["attachmentId"]: a for a in found["attachments"]}
    assert [a["attachmentId"] for a in found["attachments"]] == ids
    assert {a["status"] for a in found["attachments"]} == {"READY"}
    photo = requests.get(by_id[picture["uploadId"]]["url"], timeout=60)
    assert photo.status_code == 200 and photo.content == image
    thumbnail = requests.get(by_id[picture["uploadId"]]["thumbnailUrl"], timeout=60)
    assert thumbnail.status_code == 200
    small = Image.open(io.BytesIO(thumbnail.content))
    assert small.format == "PNG" and max(small.size) == 256 and small.size == (256, 192)
    pdf = requests.get(by_id[document["uploadId"]]["url"], timeout=60)
    assert pdf.status_code == 200 and pdf.content == PDF
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert by_id[document["uploadId"]]["thumbnailUrl"] is None


async def test_a_file_posted_again_with_its_form_after_the_check_is_never_served(outputs, users):
    """The presigned POST stays valid for minutes; a second file sent with it once the first
    was checked replaces the POSTed object, and must not reach readers in its place."""
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    ticket = await upload(api, "alice", room, PDF, fileName="report.pdf")
    assert post(ticket, PDF).status_code == 204
    assert (await checked(outputs, ticket["uploadId"]))["status"] == "READY"
    forged = b"MZ not a PDF at all" + b"\x00" * (len(PDF) - 19)
    assert post(ticket, forged).status_code == 204  # S3 takes it: the form has not expired
    upload_id = ticket["uploadId"]
    await eventually(
        lambda: stored_keys(outputs, upload_id),
        lambda keys: keys == [checked_key(upload_id)],
        "the second file is still stored beside the checked copy",
    )
    sent = await send_attached(api, room, [upload_id])
    found = await settled(api, "bob", room, sent["messageId"])
    [attachment] = found["attachments"]
    assert attachment["status"] == "READY"
    download = requests.get(attachment["url"], timeout=60)
    assert download.status_code == 200 and download.content == PDF


async def test_content_that_contradicts_its_type_is_rejected_and_deleted(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    fake = b"MZ\x90\x00" + b"\x00" * 60 + b"not a png at all"  # a Windows executable's head
    claimed = await upload(api, "alice", room, fake, fileName="cat.png", contentType="image/png")
    pdf_as_text = await upload(api, "alice", room, PDF, fileName="a.txt", contentType="text/plain")
    assert post(claimed, fake).status_code == 204
    assert post(pdf_as_text, PDF).status_code == 204
    ids = [claimed["uploadId"], pdf_as_text["uploadId"]]
    for attempt in itertools.count():
        data, errors = await api.attempt(
            "alice", SEND, {"input": {"roomId": room, "content": "x", "attachments": ids}}
        )
        if errors:
            kind, message = errors[0]["errorType"], errors[0]["message"]
            assert kind in ("ValidationError", "Conflict"), errors
            if kind == "ValidationError":
                assert "was rejected" in message
                break
        else:
            found = await settled(api, "bob", room, data["sendMessage"]["messageId"])
            assert {a["status"] for a in found["attachments"]} == {"REJECTED"}
            break
        assert attempt < CHECK_ATTEMPTS
        await asyncio.sleep(0.25)
    table = uploads_table(outputs)
    for ticket, says in ((claimed, "declared image/png"), (pdf_as_text, "application/pdf")):
        record = table.get_item(Key={"uploadId": ticket["uploadId"]})["Item"]
        for _ in range(CHECK_ATTEMPTS):
            if record["status"] != "PENDING":
                break
            await asyncio.sleep(0.25)
            record = table.get_item(Key={"uploadId": ticket["uploadId"]})["Item"]
        assert record["status"] == "REJECTED" and says in record["rejectedReason"]
        key = json.loads(ticket["fields"])["key"]
        listed = s3(outputs).list_objects_v2(Bucket=outputs["uploadsBucketName"], Prefix=key)
        assert listed.get("KeyCount") == 0


async def test_oversized_or_mistyped_files_are_refused_by_the_presigned_conditions(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice"))["roomId"]
    ticket = await upload(api, "alice", room, PDF)
    too_big = post(ticket, PDF + b" ")
    assert too_big.status_code == 400
    assert ElementTree.fromstring(too_big.content).findtext("Code") == "EntityTooLarge"
    fields = {**json.loads(ticket["fields"]), "Content-Type": "text/html"}
    mistyped = requests.post(ticket["url"], data=fields, files={"file": PDF}, timeout=60)
    assert mistyped.status_code == 403
    key = json.loads(ticket["fields"])["key"]
    listed = s3(outputs).list_objects_v2(Bucket=outputs["uploadsBucketName"], Prefix=key)
    assert listed.get("KeyCount") == 0
    kind, message = await api.refusal(
        "alice",
        CREATE,
        {
            "input": {
                "roomId": room,
                "fileName": "x.exe",
                "contentType": "application/x-msdownload",
                "size": 10,
                "purpose": "MESSAGE_ATTACHMENT",
            }
        },
    )
    assert kind == "ValidationError" and "not allowed here" in message


async def test_outsiders_and_banned_members_get_no_url(outputs, users):
    ensure_users(users, "attach-dave")
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob", "attach-dave")))["roomId"]
    ticket = await upload(api, "alice", room, PDF)
    assert post(ticket, PDF).status_code == 204
    sent = await send_attached(api, room, [ticket["uploadId"]])
    assert (await settled(api, "bob", room, sent["messageId"]))["attachments"][0]["url"]
    await api.call(
        "alice",
        "mutation($r: ID!, $u: ID!) { banMember(roomId: $r, userId: $u) { userId } }",
        {"r": room, "u": api.sub("attach-dave")},
    )
    for outsider in ("carol", "attach-dave"):
        data, errors = await api.attempt(outsider, GET, {"r": room, "m": sent["messageId"]})
        assert errors and errors[0]["errorType"] == "Unauthorized"
        assert not (data or {}).get("getMessage")


async def test_subscribers_see_the_check_through_on_message_updated(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    ticket = await upload(api, "alice", room, PDF)
    sent = (
        await api.call(
            "alice",
            SEND,
            {"input": {"roomId": room, "content": "f", "attachments": [ticket["uploadId"]]}},
        )
    )["sendMessage"]
    assert sent["attachments"][0]["status"] == "PENDING"  # not uploaded yet
    event = await checked_update(api, outputs, users, room, sent, ticket, PDF)
    assert event["messageId"] == sent["messageId"]
    assert event["attachments"] == [{"attachmentId": ticket["uploadId"], "status": "READY"}]


async def checked_update(
    api: Api,
    outputs: dict,
    users: Any,
    room: str,
    sent: dict,
    ticket: dict,
    body: bytes,
    subscription: str = ON_UPDATED,
) -> dict:
    """The onMessageUpdated bob receives once the check of `sent`'s first attachment is done,
    after alice uploads `body` for `ticket`. Reactions flip until the subscription delivers
    (it is live then), so the upload cannot be checked before bob listens."""
    flips = itertools.cycle(["addReaction", "removeReaction"])
    variables = {"r": room, "m": sent["messageId"]}
    async with realtime_client(outputs, users.token("bob")) as bob:
        stream = bob.subscribe(gql(subscription), variable_values={"roomId": room})
        await first_event(
            stream, lambda: api.call("alice", REACT.format(field=next(flips)), variables)
        )
        assert post(ticket, body).status_code == 204
        for _ in range(CHECK_ATTEMPTS):
            event = (await asyncio.wait_for(stream.__anext__(), timeout=60))["onMessageUpdated"]
            if event["attachments"] and event["attachments"][0]["status"] != "PENDING":
                break
        await stream.aclose()
    return event


def stored_keys(outputs, upload_id: str) -> list[str]:
    client = s3(outputs)
    bucket = outputs["uploadsBucketName"]
    keys = []
    for prefix in file_keys(upload_id):
        listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
        keys += [o["Key"] for o in listed.get("Contents", [])]
    return keys


async def test_a_deleted_messages_files_are_gone(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    image = png(300, 300)
    ticket = await upload(api, "alice", room, image, fileName="x.png", contentType="image/png")
    assert post(ticket, image).status_code == 204
    sent = await send_attached(api, room, [ticket["uploadId"]])
    ready = await settled(api, "bob", room, sent["messageId"])
    assert ready["attachments"][0]["thumbnailUrl"]
    assert len(stored_keys(outputs, ticket["uploadId"])) == 2  # the checked file and its thumbnail
    deleted = await api.call(
        "alice",
        """mutation($r: ID!, $m: ID!) {
          deleteMessage(roomId: $r, messageId: $m) { isDeleted attachments { attachmentId } } }""",
        {"r": room, "m": sent["messageId"]},
    )
    assert deleted["deleteMessage"] == {"isDeleted": True, "attachments": []}
    assert stored_keys(outputs, ticket["uploadId"]) == []
    # S3 answers 403, not 404, for a missing key to a signer without s3:ListBucket.
    assert requests.get(ready["attachments"][0]["url"], timeout=60).status_code in (403, 404)


async def test_deleting_a_room_deletes_its_files(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice"))["roomId"]
    sent_ticket = await upload(api, "alice", room, PDF)
    loose_ticket = await upload(api, "alice", room, PDF)  # uploaded, never sent
    for ticket in (sent_ticket, loose_ticket):
        assert post(ticket, PDF).status_code == 204
    await send_attached(api, room, [sent_ticket["uploadId"]])
    assert stored_keys(outputs, sent_ticket["uploadId"]) and stored_keys(
        outputs, loose_ticket["uploadId"]
    )
    await api.call("alice", "mutation($r: ID!) { deleteRoom(roomId: $r) { deleted } }", {"r": room})
    assert stored_keys(outputs, sent_ticket["uploadId"]) == []
    assert stored_keys(outputs, loose_ticket["uploadId"]) == []


def uploads_table(outputs: dict[str, Any]) -> Any:
    return boto3.resource(
        "dynamodb",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="e2e",
        aws_secret_access_key="e2e",
    ).Table(outputs["uploadsTableName"])


def upload_record(outputs, upload_id: str) -> dict | None:
    return (
        uploads_table(outputs)
        .get_item(Key={"uploadId": upload_id}, ConsistentRead=True)
        .get("Item")
    )


async def checked(outputs, upload_id: str) -> dict:
    """The upload record once the file check has recorded its verdict."""
    return await eventually(
        lambda: upload_record(outputs, upload_id),
        lambda record: bool(record) and record["status"] != "PENDING",
        f"upload {upload_id} still PENDING",
    )


async def expire_ttl(outputs, now: float, tables: list[str]) -> dict:
    """DynamoDB's TTL clock, moved by the test (the emulator's `/_emulator/ttl`)."""
    response = requests.post(outputs["ttlUrl"], json={"now": now, "tables": tables}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["deleted"]


async def test_an_unclaimed_upload_expires_with_its_files_and_a_claimed_one_stays(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    image = png(300, 200)
    kept = await upload(api, "alice", room, image, fileName="kept.png", contentType="image/png")
    loose = await upload(api, "alice", room, image, fileName="loose.png", contentType="image/png")
    for ticket in (kept, loose):
        assert post(ticket, image).status_code == 204
    sent = await send_attached(api, room, [kept["uploadId"]])
    assert (await checked(outputs, loose["uploadId"]))["thumbnail"] is True
    ready = await settled(api, "bob", room, sent["messageId"])
    assert len(stored_keys(outputs, loose["uploadId"])) == 2  # the checked file and its thumbnail
    claimed = upload_record(outputs, kept["uploadId"])
    assert claimed["messageId"] == sent["messageId"] and "expiresAt" not in claimed
    expires = int(upload_record(outputs, loose["uploadId"])["expiresAt"])

    await expire_ttl(outputs, expires - 1, ["uploads"])  # not yet expired: it stays
    assert upload_record(outputs, loose["uploadId"]) is not None
    deleted = await expire_ttl(outputs, expires + 1, ["uploads"])

    assert deleted["uploads"] >= 1  # uploads of earlier tests that nobody claimed go too
    assert upload_record(outputs, loose["uploadId"]) is None
    await eventually(
        lambda: stored_keys(outputs, loose["uploadId"]),
        lambda keys: not keys,
        "the expired upload's files are still stored",
    )
    assert stored_keys(outputs, loose["uploadId"]) == []
    assert len(stored_keys(outputs, kept["uploadId"])) == 2
    again = await settled(api, "bob", room, sent["messageId"])
    assert again["attachments"][0]["status"] == "READY"
    photo = requests.get(again["attachments"][0]["url"], timeout=60)
    assert photo.status_code == 200 and photo.content == image
    assert ready["attachments"][0]["attachmentId"] == kept["uploadId"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "now must be a number"),
        ({"now": "tomorrow"}, "now must be a number"),
        ({"now": 1, "tables": "uploads"}, "tables must be a list"),
        ({"now": 1, "tables": ["nope"]}, "no tables ['nope']"),
    ],
)
def test_the_ttl_clock_says_what_was_wrong_with_a_request(outputs, body, says):
    response = requests.post(outputs["ttlUrl"], json=body, timeout=60)
    assert response.status_code == 400 and says in response.json()["message"]
