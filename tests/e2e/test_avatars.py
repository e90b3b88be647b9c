"""Avatars end to end through the running emulator, as a client sets and shows them: the
image POSTed to the presigned form with `requests`, S3's object-created event delivered to
the artifact's file check, getUpload polled until the verdict, then updateProfile or
updateRoomSettings over HTTP with gql and a Cognito token; room mates see the avatar's
presigned URLs, outsiders get nothing, and a replaced image's file is gone from S3."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from PIL import Image

from tests.e2e.api_calls import Api, ensure_users
from tests.e2e.test_attachments import (
    checked_update,
    eventually,
    png,
    post,
    stored_keys,
    uploads_table,
)

pytestmark = pytest.mark.e2e

CREATE = """mutation($input: CreateUploadInput!) {
  createUpload(input: $input) { uploadId url fields status }
}"""
GET_UPLOAD = """query($id: ID!) { getUpload(uploadId: $id) { uploadId status rejectedReason } }"""
PROFILE = "userId avatarUploadId avatarUrl avatarThumbnailUrl"
UPDATE = f"""mutation($i: UpdateProfileInput!) {{ updateProfile(input: $i) {{ {PROFILE} }} }}"""
GET_USERS = f"""query($ids: [ID!]!) {{ getUsers(userIds: $ids) {{ {PROFILE} }} }}"""
PAGE = """query($r: ID!) {
  listMessages(roomId: $r, limit: 50) {
    items { authorId author { userId avatarUrl avatarThumbnailUrl } }
  }
}"""
ROOM_IMAGES = (
    "roomId avatarUrl avatarThumbnailUrl bannerUrl settings { avatarUploadId bannerUploadId }"
)
SETTINGS = f"""mutation($r: ID!, $i: RoomSettingsInput!) {{
  updateRoomSettings(roomId: $r, input: $i) {{ {ROOM_IMAGES} }} }}"""
GET_ROOM = f"""query($r: ID!) {{ getRoom(roomId: $r) {{ {ROOM_IMAGES} }} }}"""
PUBLIC_ROOMS = f"""{{ listPublicRooms(limit: 100) {{ items {{ {ROOM_IMAGES} }} }} }}"""
SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { messageId attachments { attachmentId status } }
}"""
ON_UPDATED = """subscription($roomId: ID!) {
  onMessageUpdated(roomId: $roomId) {
    messageId attachments { attachmentId status url thumbnailUrl }
  }
}"""
PEOPLE = ("avatar-erin", "avatar-finn", "avatar-gus")


async def uploaded(
    api: Api, user: str, body: bytes, purpose: str = "USER_AVATAR", room: str | None = None
) -> dict[str, Any]:
    """The upload's verdict (getUpload) after the file was POSTed and checked."""
    values = {
        "fileName": "face.png",
        "contentType": "image/png",
        "size": len(body),
        "purpose": purpose,
        **({"roomId": room} if room else {}),
    }
    ticket = (await api.call(user, CREATE, {"input": values}))["createUpload"]
    assert post(ticket, body).status_code == 204

    async def read() -> dict[str, Any]:
        return (await api.call(user, GET_UPLOAD, {"id": ticket["uploadId"]}))["getUpload"]

    return await eventually(
        read,
        lambda found: found["status"] != "PENDING",
        f"upload {ticket['uploadId']} is still PENDING",
    )


def image_at(url: str) -> Image.Image:
    answer = requests.get(url, timeout=60)
    assert answer.status_code == 200, answer.text
    return Image.open(io.BytesIO(answer.content))


async def test_room_mates_see_an_avatar_outsiders_do_not_and_a_replaced_one_is_gone(outputs, users):
    ensure_users(users, *PEOPLE)
    api = Api(outputs, users)
    erin, finn, gus = PEOPLE
    first = await uploaded(api, erin, png(400, 400))
    assert first["status"] == "READY"
    profile = (await api.call(erin, UPDATE, {"i": {"avatarUploadId": first["uploadId"]}}))[
        "updateProfile"
    ]
    assert image_at(profile["avatarUrl"]).size == (400, 400)
    record = uploads_table(outputs).get_item(Key={"uploadId": first["uploadId"]})["Item"]
    assert record["claimedFor"] == "profile" and "expiresAt" not in record

    room = (await api.create_room(erin, members=(finn,)))["roomId"]
    await api.send(erin, room, "look at my face")
    [item] = (await api.call(finn, PAGE, {"r": room}))["listMessages"]["items"]
    assert image_at(item["author"]["avatarThumbnailUrl"]).size == (256, 256)
    assert image_at(item["author"]["avatarUrl"]).size == (400, 400)
    assert (await api.call(gus, GET_USERS, {"ids": [api.sub(erin)]}))["getUsers"] == [None]
    kind, _ = await api.refusal(gus, PAGE, {"r": room})
    assert kind == "Unauthorized"

    second = await uploaded(api, erin, png(300, 200))
    replaced = (await api.call(erin, UPDATE, {"i": {"avatarUploadId": second["uploadId"]}}))[
        "updateProfile"
    ]
    assert image_at(replaced["avatarUrl"]).size == (300, 200)
    assert stored_keys(outputs, first["uploadId"]) == []
    assert "Item" not in uploads_table(outputs).get_item(Key={"uploadId": first["uploadId"]})
    removed = (await api.call(erin, UPDATE, {"i": {"avatarUploadId": None}}))["updateProfile"]
    assert removed["avatarUrl"] is None and stored_keys(outputs, second["uploadId"]) == []


async def test_a_rejected_or_unchecked_image_is_no_avatar(outputs, users):
    ensure_users(users, *PEOPLE)
    api = Api(outputs, users)
    fake = b"\x89PNG\r\n\x1a\n" + b"not really a png after its signature" * 4
    verdict = await uploaded(api, "avatar-gus", fake)
    assert verdict["status"] == "REJECTED" and verdict["rejectedReason"]
    kind, message = await api.refusal(
        "avatar-gus", UPDATE, {"i": {"avatarUploadId": verdict["uploadId"]}}
    )
    assert kind == "ValidationError" and "was rejected" in message
    values = {"fileName": "later.png", "contentType": "image/png", "size": 10}
    ticket = (
        await api.call("avatar-gus", CREATE, {"input": {**values, "purpose": "USER_AVATAR"}})
    )["createUpload"]
    kind, message = await api.refusal(
        "avatar-gus", UPDATE, {"i": {"avatarUploadId": ticket["uploadId"]}}
    )
    assert kind == "ValidationError" and "still PENDING" in message


async def test_a_rooms_avatar_and_banner_reach_its_viewers_and_go_when_cleared(outputs, users):
    ensure_users(users, *PEOPLE)
    api = Api(outputs, users)
    erin, finn, gus = PEOPLE
    room = (await api.create_room(erin, "PUBLIC", members=(finn,)))["roomId"]
    avatar = await uploaded(api, erin, png(512, 512), "ROOM_AVATAR", room)
    banner = await uploaded(api, erin, png(1000, 250), "ROOM_AVATAR", room)
    images = {"avatarUploadId": avatar["uploadId"], "bannerUploadId": banner["uploadId"]}
    written = (await api.call(erin, SETTINGS, {"r": room, "i": images}))["updateRoomSettings"]
    assert written["settings"] == images

    seen = (await api.call(finn, GET_ROOM, {"r": room}))["getRoom"]
    assert image_at(seen["avatarUrl"]).size == (512, 512)
    assert image_at(seen["avatarThumbnailUrl"]).size == (256, 256)
    assert image_at(seen["bannerUrl"]).size == (1000, 250)
    listed = (await api.call(gus, PUBLIC_ROOMS))["listPublicRooms"]["items"]
    assert image_at(next(r for r in listed if r["roomId"] == room)["avatarThumbnailUrl"])
    kind, message = await api.refusal(finn, SETTINGS, {"r": room, "i": {"bannerUploadId": None}})
    assert kind == "Unauthorized" and "ADMIN" in message

    cleared = (await api.call(erin, SETTINGS, {"r": room, "i": {"bannerUploadId": None}}))[
        "updateRoomSettings"
    ]
    assert cleared["bannerUrl"] is None and cleared["avatarUrl"]
    assert stored_keys(outputs, banner["uploadId"]) == []
    assert len(stored_keys(outputs, avatar["uploadId"])) == 2


async def test_subscribers_get_a_ready_images_urls_with_the_checks_update(outputs, users):
    api = Api(outputs, users)
    room = (await api.create_room("alice", members=("bob",)))["roomId"]
    image = png(320, 240)
    values = {
        "roomId": room,
        "fileName": "cat.png",
        "contentType": "image/png",
        "size": len(image),
        "purpose": "MESSAGE_ATTACHMENT",
    }
    ticket = (await api.call("alice", CREATE, {"input": values}))["createUpload"]
    sent = (
        await api.call(
            "alice",
            SEND,
            {"input": {"roomId": room, "content": "cat", "attachments": [ticket["uploadId"]]}},
        )
    )["sendMessage"]
    event = await checked_update(api, outputs, users, room, sent, ticket, image, ON_UPDATED)
    [attachment] = event["attachments"]
    assert attachment["status"] == "READY"
    assert image_at(attachment["thumbnailUrl"]).size == (256, 192)
    assert image_at(attachment["url"]).size == (320, 240)
