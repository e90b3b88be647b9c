"""User avatars through the in-process API: getUpload while the check runs, updateProfile
taking only a READY USER_AVATAR upload of the caller's (claimed: no TTL), the replaced avatar's
file and record deleted, and UserProfile.avatarUrl / avatarThumbnailUrl presigned for a
whole page in one batch, under profiles only those who may see them receive."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from chatspec.rules import AVATAR_CLAIM, UPLOAD_PENDING_SECONDS
from tests.api.images import (
    GET_UPLOAD,
    NOT_A_PNG,
    any_file_of,
    check,
    fetched,
    files_of,
    object_keys,
    png,
    post,
    record,
    ticket,
    uploaded,
)
from tests.api.seed import create_room, data, error, send

PROFILE = "userId displayName avatarUploadId avatarUrl avatarThumbnailUrl"
UPDATE = f"""mutation($input: UpdateProfileInput!) {{
  updateProfile(input: $input) {{ {PROFILE} }} }}"""
ME = f"{{ me {{ {PROFILE} }} }}"
GET_USERS = f"""query($ids: [ID!]!) {{ getUsers(userIds: $ids) {{ {PROFILE} }} }}"""
PAGE = """query($r: ID!, $limit: Int) {
  listMessages(roomId: $r, limit: $limit) {
    items { messageId authorId author { userId avatarThumbnailUrl } }
  }
}"""


def counting(source, seen: list) -> None:
    original = source.call
    source.call = lambda event: (seen.append(event), original(event))[1]


def set_avatar(api, upload_id: str | None, *, user: str = "alice") -> dict:
    return api.call(UPDATE, {"input": {"avatarUploadId": upload_id}}, user=user)


def upload_of(api, upload_id: str, *, user: str = "alice"):
    return data(api.call(GET_UPLOAD, {"id": upload_id}, user=user), "getUpload")


def test_get_upload_shows_the_owner_the_check_as_it_goes_and_nobody_else_anything(api):
    image = png()
    upload = ticket(api, "USER_AVATAR", image)
    upload_id = upload["uploadId"]
    pending = upload_of(api, upload_id)
    assert pending["status"] == "PENDING" and pending["purpose"] == "USER_AVATAR"
    assert (pending["roomId"], pending["size"], pending["fileName"]) == (
        None,
        len(image),
        "picture.png",
    )
    post(upload, image)
    assert upload_of(api, upload_id)["status"] == "PENDING", "POSTed, not checked yet"
    check(api, upload, image)
    assert upload_of(api, upload_id)["status"] == "READY"

    assert upload_of(api, upload_id, user="bob") is None, "another user's upload"
    assert upload_of(api, "no-such-upload") is None, "the same answer as someone else's"
    kind, message = error(api.call(GET_UPLOAD, {"id": "u" * 129}))
    assert kind == "ValidationError" and "1 to 128 characters" in message
    assert error(api.call(GET_UPLOAD, {"id": upload_id}, user=None))[0] == "UnauthorizedException"


def test_get_upload_gives_a_rejected_files_reason_and_hides_an_expired_one(api):
    fake = ticket(api, "USER_AVATAR", NOT_A_PNG)
    post(fake, NOT_A_PNG)
    check(api, fake, NOT_A_PNG)
    rejected = upload_of(api, fake["uploadId"])
    assert rejected["status"] == "REJECTED" and "image/png" in rejected["rejectedReason"]
    late = uploaded(api, checked=False)
    api.dynamodb.update_item(
        TableName=api.table_names["uploads"],
        Key={"uploadId": {"S": late}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )
    assert upload_of(api, late) is None, "TTL passed, DynamoDB has not deleted it yet"


def test_a_ready_user_avatar_becomes_the_avatar_claimed_with_working_urls(api):
    image = png(640, 480)
    avatar = uploaded(api, body=image)
    before = record(api, avatar)
    assert 0 < before["expiresAt"] - time.time() <= UPLOAD_PENDING_SECONDS

    profile = data(set_avatar(api, avatar), "updateProfile")

    assert profile["userId"] == api.sub_of("alice") and profile["avatarUploadId"] == avatar
    assert fetched(profile["avatarUrl"]).content == image
    small = Image.open(io.BytesIO(fetched(profile["avatarThumbnailUrl"]).content))
    assert small.format == "PNG" and small.size == (256, 192)
    claimed = record(api, avatar)
    assert claimed["claimedFor"] == AVATAR_CLAIM and claimed["claimedAt"]
    assert "expiresAt" not in claimed, "a claimed upload has no TTL"
    assert api.expire_ttl(time.time() + 10 * UPLOAD_PENDING_SECONDS)["uploads"] == 0
    me = data(api.call(ME), "me")
    assert me["avatarUploadId"] == avatar and fetched(me["avatarUrl"]).content == image


def test_the_same_avatar_again_changes_nothing_and_a_name_change_keeps_it(api):
    avatar = uploaded(api)
    data(set_avatar(api, avatar), "updateProfile")
    claimed = record(api, avatar)
    again = data(set_avatar(api, avatar), "updateProfile")
    assert again["avatarUploadId"] == avatar and record(api, avatar) == claimed
    renamed = data(api.call(UPDATE, {"input": {"displayName": "Alice"}}), "updateProfile")
    assert (renamed["displayName"], renamed["avatarUploadId"]) == ("Alice", avatar)
    assert renamed["avatarUrl"]


def test_replacing_the_avatar_deletes_the_old_file_and_record_and_null_removes_it(api):
    first, second = uploaded(api, body=png(colour=(1, 2, 3))), uploaded(api)
    data(set_avatar(api, first), "updateProfile")
    assert files_of(first) <= object_keys(api)

    replaced = data(set_avatar(api, second), "updateProfile")

    assert replaced["avatarUploadId"] == second
    assert record(api, first) is None and not any_file_of(first) & object_keys(api)
    assert record(api, second)["claimedFor"] == AVATAR_CLAIM
    assert files_of(second) <= object_keys(api)
    kind, message = error(set_avatar(api, first))
    assert kind == "ValidationError" and "not an upload of yours" in message

    removed = data(set_avatar(api, None), "updateProfile")

    assert removed["avatarUploadId"] is None and removed["avatarUrl"] is None
    assert removed["avatarThumbnailUrl"] is None
    assert record(api, second) is None and not any_file_of(second) & object_keys(api)
    profile = next(p for p in api.scan("users") if p["userId"] == api.sub_of("alice"))
    assert "avatarUploadId" not in profile
    assert data(set_avatar(api, None), "updateProfile")["avatarUploadId"] is None


def _refused(api, upload_id: str, says: str, *, user: str = "alice") -> None:
    before_profiles, before_uploads = api.scan("users"), api.scan("uploads")
    kind, message = error(set_avatar(api, upload_id, user=user))
    assert kind == "ValidationError" and says in message, message
    assert api.scan("users") == before_profiles and api.scan("uploads") == before_uploads


def test_only_a_ready_unexpired_user_avatar_of_the_callers_own_is_taken(api):
    room = create_room(api, members=("bob",))
    _refused(api, "no-such-upload", "is not an upload of yours")
    _refused(api, uploaded(api, user="bob"), "is not an upload of yours")
    attachment = uploaded(api, "MESSAGE_ATTACHMENT", room=room)
    _refused(api, attachment, "is a MESSAGE_ATTACHMENT upload; an avatar needs a USER_AVATAR")
    room_avatar = uploaded(api, "ROOM_AVATAR", room=room)
    _refused(api, room_avatar, "is a ROOM_AVATAR upload")
    _refused(api, uploaded(api, checked=False), "is still PENDING")
    rejected = uploaded(api, body=NOT_A_PNG)
    _refused(api, rejected, "was rejected: ")
    expired = uploaded(api)
    api.dynamodb.update_item(
        TableName=api.table_names["uploads"],
        Key={"uploadId": {"S": expired}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )
    _refused(api, expired, "has expired: create a new upload")
    released = uploaded(api)
    api.dynamodb.update_item(  # what a replacement leaves until its last step deleted it
        TableName=api.table_names["uploads"],
        Key={"uploadId": {"S": released}},
        UpdateExpression="SET releasedAt = :now",
        ExpressionAttributeValues={":now": {"S": "2026-12-01T00:00:00.000Z"}},
    )
    _refused(api, released, "is being deleted: upload the image again")
    _refused(api, "u" * 129, "avatarUploadId must be an id of 1 to 128 characters")


def test_nothing_is_written_when_a_name_is_bad_even_with_a_good_avatar(api):
    avatar = uploaded(api)
    before = api.scan("uploads")
    result = api.call(UPDATE, {"input": {"displayName": " ", "avatarUploadId": avatar}})
    assert error(result)[0] == "ValidationError"
    assert api.scan("uploads") == before and api.scan("users") == []


def test_a_name_and_an_avatar_change_in_one_call(api):
    avatar = uploaded(api, user="dave")
    profile = data(
        api.call(UPDATE, {"input": {"displayName": "Dave", "avatarUploadId": avatar}}, user="dave"),
        "updateProfile",
    )
    assert (profile["displayName"], profile["avatarUploadId"]) == ("Dave", avatar)
    assert profile["avatarUrl"]


def test_avatars_reach_only_those_who_may_see_the_profile(api):
    room = create_room(api, members=("bob",))
    data(set_avatar(api, uploaded(api)), "updateProfile")
    alice = api.sub_of("alice")
    [seen] = data(api.call(GET_USERS, {"ids": [alice]}, user="bob"), "getUsers")
    assert seen["avatarUrl"] and seen["avatarThumbnailUrl"]
    assert data(api.call(GET_USERS, {"ids": [alice]}, user="erin"), "getUsers") == [None]
    send(api, room, "hi")
    assert error(api.call(PAGE, {"r": room}, user="erin"))[0] == "Unauthorized"
    [item] = data(api.call(PAGE, {"r": room}, user="bob"), "listMessages")["items"]
    assert fetched(item["author"]["avatarThumbnailUrl"]).headers["Content-Type"] == "image/png"


def test_a_page_of_50_messages_from_10_authors_signs_their_avatars_in_one_batch(api):
    authors = [f"author{n}" for n in range(10)]
    room = create_room(api, members=tuple(authors))
    for user in authors:
        data(set_avatar(api, uploaded(api, user=user), user=user), "updateProfile")
    for n in range(50):
        send(api, room, f"message {n}", user=authors[n % 10])
    calls: dict[str, list] = {"UsersLambda": [], "UploadsLambda": []}
    for name, seen in calls.items():
        counting(api.engine.data_sources[name], seen)

    items = data(api.call(PAGE, {"r": room, "limit": 50}), "listMessages")["items"]

    assert len(items) == 50 and all(i["author"]["avatarThumbnailUrl"] for i in items)
    assert len({i["author"]["avatarThumbnailUrl"].split("?")[0] for i in items}) == 10
    assert len(calls["UsersLambda"]) == 1
    [batch] = calls["UploadsLambda"]
    assert isinstance(batch, list) and len(batch) == 50
    assert {e["info"]["fieldName"] for e in batch} == {"avatarThumbnailUrl"}
    assert {e["info"]["parentTypeName"] for e in batch} == {"UserProfile"}


@pytest.mark.parametrize("field", ["avatarUrl", "avatarThumbnailUrl"])
def test_a_profile_without_an_avatar_has_no_urls(api, field):
    profile = data(api.call(f"{{ me {{ userId {field} }} }}"), "me")
    assert profile[field] is None


def test_an_avatar_changed_meanwhile_is_a_conflict_and_nothing_is_half_written(api):
    first, second = uploaded(api), uploaded(api)
    source = api.engine.data_sources["UsersTable"]
    original = source.invoke

    def racing(request):
        if request.get("operation") == "TransactWriteItems":  # another updateProfile won
            source.invoke = original
            data(set_avatar(api, first), "updateProfile")
        return original(request)

    source.invoke = racing
    kind, message = error(set_avatar(api, second))
    assert kind == "Conflict" and "retry" in message
    assert record(api, first)["claimedFor"] == AVATAR_CLAIM
    unclaimed = record(api, second)
    assert "claimedFor" not in unclaimed and unclaimed["expiresAt"], "still unclaimed"
    assert data(set_avatar(api, second), "updateProfile")["avatarUploadId"] == second
    assert record(api, first) is None
