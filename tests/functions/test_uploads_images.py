"""The uploads Lambda's image code against moto: the deletion step touches only released
uploads that belong where the write says (whatever list it is handed), and the URL batch
signs what the parent names, never a path, without a DynamoDB request."""

from __future__ import annotations

from urllib.parse import urlparse

import boto3
import pytest
from moto import mock_aws

import chatspec
from emulator.tables import create_table
from functions.common.access import Access
from functions.common.errors import Unauthorized
from functions.common.identity import Caller
from functions.common.uploads import Store, file_keys
from functions.uploads.images import resolve_batch
from functions.uploads.replaced import delete_replaced_avatar, delete_replaced_room_images

BUCKET = "test-uploads"
ALICE, BOB = Caller("alice-sub", frozenset()), Caller("bob-sub", frozenset())


@pytest.fixture
def store(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        name = create_table(boto3.client("dynamodb"), chatspec.table("uploads"), prefix="test")
        s3 = boto3.client("s3")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        yield Store(uploads=boto3.resource("dynamodb").Table(name), bucket=BUCKET, s3=s3)


def upload(store: Store, upload_id: str, **attributes) -> None:
    store.uploads.put_item(Item={"uploadId": upload_id, **attributes})
    for key in file_keys(upload_id):
        store.s3.put_object(Bucket=BUCKET, Key=key, Body=b"image")


def kept(store: Store) -> set[str]:
    records = {r["uploadId"] for r in store.uploads.scan()["Items"]}
    listed = store.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    objects = {o["Key"].split("/")[1].removesuffix(".png") for o in listed}
    assert records == objects, (records, objects)
    return records


RELEASED = "2026-12-01T00:00:00.000Z"


def key_of(url: str) -> str:
    """The object key of a presigned URL, virtual-hosted (`<bucket>.s3...`) or path-style."""
    parsed = urlparse(url)
    path = parsed.path.lstrip("/")
    return path if (parsed.hostname or "").startswith(BUCKET) else path.split("/", 1)[1]


def test_a_replaced_avatar_goes_and_nothing_else_whatever_the_list_says(store):
    upload(store, "old", ownerId=ALICE.sub, purpose="USER_AVATAR", releasedAt=RELEASED)
    upload(store, "current", ownerId=ALICE.sub, purpose="USER_AVATAR", claimedFor="profile")
    upload(store, "bobs", ownerId=BOB.sub, purpose="USER_AVATAR", releasedAt=RELEASED)
    upload(
        store, "attachment", ownerId=ALICE.sub, purpose="MESSAGE_ATTACHMENT", releasedAt=RELEASED
    )
    result = {"userId": ALICE.sub}

    assert delete_replaced_avatar(store, ALICE, ["old", "current"], result) is result
    assert kept(store) == {"current", "bobs", "attachment"}
    delete_replaced_avatar(store, ALICE, ["bobs", "attachment"], result)
    assert kept(store) == {"current", "bobs", "attachment"}, "not released by this caller's write"
    delete_replaced_avatar(store, ALICE, ["old", "never-existed"], result)  # a retry: idempotent
    with pytest.raises(ValueError, match="a write releases 2"):
        delete_replaced_avatar(store, ALICE, ["a", "b", "c"], result)


def test_a_rooms_replaced_images_go_only_for_that_room_and_for_admins(store):
    upload(store, "banner", roomId="r1", purpose="ROOM_AVATAR", releasedAt=RELEASED)
    upload(store, "elsewhere", roomId="r2", purpose="ROOM_AVATAR", releasedAt=RELEASED)
    admin = Access({"roomId": "r1", "may": {"manageMembers": True}})
    member = Access(
        {
            "roomId": "r1",
            "may": {"manageMembers": False},
            "why": {"manageMembers": {"type": "Unauthorized", "message": "admins only"}},
        }
    )
    with pytest.raises(Unauthorized, match="admins only"):
        delete_replaced_room_images(store, member, ["banner"], None)
    assert kept(store) == {"banner", "elsewhere"}
    delete_replaced_room_images(store, admin, ["banner", "elsewhere"], None)
    assert kept(store) == {"elsewhere"}


def test_urls_sign_the_named_image_and_nothing_that_is_not_an_upload_id(store):
    sources = [
        {"userId": "a", "avatarUploadId": "face"},
        {"userId": "b"},
        None,
        {"userId": "c", "avatarUploadId": "../../other/key"},
    ]
    full = [r["data"] for r in resolve_batch(store, "UserProfile.avatarUrl", sources)]
    small = [r["data"] for r in resolve_batch(store, "UserProfile.avatarThumbnailUrl", sources)]
    assert key_of(full[0]) == "files/face"  # the checked copy, never the POSTed object
    assert key_of(small[0]) == "thumbnails/face.png"
    assert full[1:] == small[1:] == [None, None, None]
    rooms = [{"settings": {"avatarUploadId": "logo", "bannerUploadId": "wide"}}, {"settings": {}}]
    banners = [r["data"] for r in resolve_batch(store, "Room.bannerUrl", rooms)]
    assert key_of(banners[0]) == "files/wide" and banners[1] is None
