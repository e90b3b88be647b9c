"""Room avatars and banners through the in-process API: updateRoomSettings takes only a READY
ROOM_AVATAR upload of that room for avatarUploadId / bannerUploadId (claimed: no TTL), the
image it replaces or clears is deleted, and Room.avatarUrl / avatarThumbnailUrl / bannerUrl
are presigned for a page of rooms in one batch for whoever receives the room."""

from __future__ import annotations

import io
import time

from PIL import Image

from tests.api.images import (
    NOT_A_PNG,
    any_file_of,
    fetched,
    files_of,
    object_keys,
    png,
    record,
    uploaded,
)
from tests.api.seed import (
    create_room,
    data,
    error,
    set_role,
    stored_room,
    update_settings_result,
)

IMAGES = "avatarUrl avatarThumbnailUrl bannerUrl settings { avatarUploadId bannerUploadId }"
UPDATE = f"""mutation($roomId: ID!, $input: RoomSettingsInput!) {{
  updateRoomSettings(roomId: $roomId, input: $input) {{ roomId {IMAGES} }} }}"""
GET_ROOM = f"""query($roomId: ID!) {{ getRoom(roomId: $roomId) {{ roomId {IMAGES} }} }}"""
MY_ROOMS = f"""{{ myRooms(limit: 100) {{ items {{ room {{ roomId {IMAGES} }} }} }} }}"""
PUBLIC_ROOMS = f"""{{ listPublicRooms(limit: 100) {{ items {{ roomId {IMAGES} }} }} }}"""


def set_images(api, room: str, *, user: str = "alice", **images) -> dict:
    return api.call(UPDATE, {"roomId": room, "input": images}, user=user)


def room_image(api, room: str, *, user: str = "alice", body: bytes | None = None) -> str:
    return uploaded(api, "ROOM_AVATAR", body, user=user, room=room)


def test_an_admin_sets_the_rooms_avatar_and_banner_and_members_get_working_urls(api):
    room = create_room(api, members=("bob", "carol"))
    set_role(api, room, "bob", "ADMIN")
    face, wide = png(300, 300, (10, 200, 10)), png(1200, 300, (10, 10, 200))
    avatar = room_image(api, room, user="bob", body=face)
    banner = room_image(api, room, user="bob", body=wide)

    written = data(
        set_images(api, room, user="bob", avatarUploadId=avatar, bannerUploadId=banner),
        "updateRoomSettings",
    )

    assert written["settings"] == {"avatarUploadId": avatar, "bannerUploadId": banner}
    assert fetched(written["avatarUrl"]).content == face
    assert fetched(written["bannerUrl"]).content == wide
    thumbnail = Image.open(io.BytesIO(fetched(written["avatarThumbnailUrl"]).content))
    assert thumbnail.format == "PNG" and thumbnail.size == (256, 256)
    for upload_id, key in ((avatar, "avatarUploadId"), (banner, "bannerUploadId")):
        claimed = record(api, upload_id)
        assert claimed["claimedFor"] == key and "expiresAt" not in claimed
    seen = data(api.call(GET_ROOM, {"roomId": room}, user="carol"), "getRoom")
    assert fetched(seen["avatarUrl"]).content == face and seen["bannerUrl"]
    [mine] = data(api.call(MY_ROOMS, user="carol"), "myRooms")["items"]
    assert fetched(mine["room"]["bannerUrl"]).content == wide
    assert error(api.call(GET_ROOM, {"roomId": room}, user="erin"))[0] == "Unauthorized"


def test_a_public_rooms_images_are_part_of_what_anyone_signed_in_sees_of_it(api):
    room = create_room(api, type="PUBLIC")
    data(set_images(api, room, avatarUploadId=room_image(api, room)), "updateRoomSettings")
    listed = data(api.call(PUBLIC_ROOMS, user="erin"), "listPublicRooms")["items"]
    entry = next(r for r in listed if r["roomId"] == room)
    assert fetched(entry["avatarThumbnailUrl"]).headers["Content-Type"] == "image/png"
    assert entry["bannerUrl"] is None


def test_replacing_or_clearing_an_image_deletes_the_old_file_and_record(api):
    room = create_room(api)
    first, second, banner = room_image(api, room), room_image(api, room), room_image(api, room)
    data(set_images(api, room, avatarUploadId=first, bannerUploadId=banner), "updateRoomSettings")

    replaced = data(set_images(api, room, avatarUploadId=second), "updateRoomSettings")

    assert replaced["settings"] == {"avatarUploadId": second, "bannerUploadId": banner}
    assert record(api, first) is None and not any_file_of(first) & object_keys(api)
    assert files_of(second) | files_of(banner) <= object_keys(api)

    cleared = data(set_images(api, room, bannerUploadId=None), "updateRoomSettings")

    assert cleared["settings"]["bannerUploadId"] is None and cleared["bannerUrl"] is None
    assert record(api, banner) is None and not any_file_of(banner) & object_keys(api)
    assert record(api, second)["claimedFor"] == "avatarUploadId"
    unchanged = data(set_images(api, room, avatarUploadId=second), "updateRoomSettings")
    assert unchanged["settings"]["avatarUploadId"] == second and record(api, second)


def test_other_settings_change_without_touching_the_images(api):
    room = create_room(api)
    avatar = room_image(api, room)
    data(set_images(api, room, avatarUploadId=avatar), "updateRoomSettings")
    claimed = record(api, avatar)
    data(update_settings_result(api, room, topic="planning"), "updateRoomSettings")
    assert stored_room(api, room)["settings"]["avatarUploadId"] == avatar
    assert record(api, avatar) == claimed


def _refused(api, room: str, says: str, *, user: str = "alice", **images) -> None:
    before_room, before_uploads = stored_room(api, room), api.scan("uploads")
    kind, message = error(set_images(api, room, user=user, **images))
    assert kind == "ValidationError" and says in message, message
    assert stored_room(api, room) == before_room and api.scan("uploads") == before_uploads


def test_only_a_ready_room_avatar_upload_of_that_room_is_taken(api):
    room = create_room(api, members=("bob",))
    other = create_room(api)
    _refused(
        api,
        room,
        "avatarUploadId: upload nothing is not an upload of room",
        avatarUploadId="nothing",
    )
    _refused(api, room, f"not an upload of room {room}", avatarUploadId=room_image(api, other))
    attachment = uploaded(api, "MESSAGE_ATTACHMENT", room=room)
    _refused(
        api,
        room,
        "is a MESSAGE_ATTACHMENT upload; bannerUploadId needs a ROOM_AVATAR upload",
        bannerUploadId=attachment,
    )
    _refused(api, room, "not an upload of room", avatarUploadId=uploaded(api, "USER_AVATAR"))
    pending = uploaded(api, "ROOM_AVATAR", room=room, checked=False)
    _refused(api, room, "is still PENDING", avatarUploadId=pending)
    rejected = room_image(api, room, body=NOT_A_PNG)
    _refused(api, room, "was rejected: ", avatarUploadId=rejected)
    expired = room_image(api, room)
    api.dynamodb.update_item(
        TableName=api.table_names["uploads"],
        Key={"uploadId": {"S": expired}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )
    _refused(api, room, "has expired", avatarUploadId=expired)
    both = room_image(api, room)
    _refused(api, room, "cannot both show upload", avatarUploadId=both, bannerUploadId=both)
    banner = room_image(api, room)
    data(set_images(api, room, bannerUploadId=banner), "updateRoomSettings")
    _refused(api, room, "is already the room's bannerUploadId", avatarUploadId=banner)


def test_members_may_not_set_images_and_a_refused_caller_changes_nothing(api):
    room = create_room(api, members=("bob",))
    avatar = room_image(api, room)
    before = api.scan("uploads")
    assert error(set_images(api, room, user="bob", avatarUploadId=avatar))[0] == "Unauthorized"
    assert error(set_images(api, room, user="erin", avatarUploadId=avatar))[0] == "Unauthorized"
    assert api.scan("uploads") == before


def test_a_page_of_rooms_signs_each_image_field_in_one_batch(api):
    rooms = [create_room(api, members=("bob",)) for _ in range(6)]
    for room in rooms:
        data(
            set_images(api, room, avatarUploadId=room_image(api, room), bannerUploadId=None),
            "updateRoomSettings",
        )
    invocations: list = []
    source = api.engine.data_sources["UploadsLambda"]
    original = source.call
    source.call = lambda event: (invocations.append(event), original(event))[1]

    items = data(api.call(MY_ROOMS, user="bob"), "myRooms")["items"]

    assert len(items) == 6 and all(i["room"]["avatarUrl"] for i in items)
    assert all(i["room"]["bannerUrl"] is None for i in items)
    assert sorted(e[0]["info"]["fieldName"] for e in invocations) == [
        "avatarThumbnailUrl",
        "avatarUrl",
        "bannerUrl",
    ]
    assert all(isinstance(e, list) and len(e) == 6 for e in invocations)


def test_deleting_the_room_deletes_its_images(api):
    room = create_room(api)
    avatar = room_image(api, room)
    data(set_images(api, room, avatarUploadId=avatar), "updateRoomSettings")
    data(
        api.call("mutation($r: ID!) { deleteRoom(roomId: $r) { deleted } }", {"r": room}),
        "deleteRoom",
    )
    assert record(api, avatar) is None and not any_file_of(avatar) & object_keys(api)


def test_an_image_changed_meanwhile_is_a_conflict_and_nothing_is_half_written(api):
    room = create_room(api)
    first, second = room_image(api, room), room_image(api, room)
    source = api.engine.data_sources["RoomsTable"]
    original = source.invoke

    def racing(request):
        if request.get("operation") == "TransactWriteItems":  # another admin won
            source.invoke = original
            data(set_images(api, room, avatarUploadId=first), "updateRoomSettings")
        return original(request)

    source.invoke = racing
    kind, message = error(set_images(api, room, avatarUploadId=second))
    assert kind == "Conflict" and "retry" in message
    assert stored_room(api, room)["settings"]["avatarUploadId"] == first
    assert record(api, first)["claimedFor"] == "avatarUploadId"
    assert "claimedFor" not in record(api, second) and record(api, second)["expiresAt"]
