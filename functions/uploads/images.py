"""The avatar and banner URLs of a page: presigned GETs of the images profiles and rooms name.

AppSync batches each field (`max_batch_size`), so a page's avatars are one invocation that
signs locally and reads nothing: the parent item carries the upload id, and only a checked
write stores one there (updateProfile: a READY USER_AVATAR upload of the user's own;
updateRoomSettings: a READY ROOM_AVATAR upload of the room), claiming it in the same
transaction, so it never expires while it is shown. Who may see an image is not decided
here: the field resolves only under a profile or a room that its parent resolver gave the
caller (getUsers, Message.author and RoomMember.user give profiles to those who may see
them; getRoom, listPublicRooms, myRooms and the room mutations give a room to its viewers),
as Message.attachments resolves only under messages a reader received.

The URL names the check's copy of the file (`files/<uploadId>`), which has the Content-Type
the upload declared and the check confirmed from its bytes, and avatars are PNG, JPEG, GIF or
WebP, which a browser only ever shows as an image; so a URL needs no response overrides. A
READY image always has its thumbnail: the check rejects an image it cannot shrink.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chatspec.rules import DOWNLOAD_URL_EXPIRY_SECONDS, ID_MAX_LENGTH
from functions.common.uploads import Store, checked_key, thumbnail_key

Locate = Callable[[Mapping[str, Any]], Any]


def _profile_avatar(source: Mapping[str, Any]) -> Any:
    return source.get("avatarUploadId")


def _room_image(setting: str) -> Locate:
    def locate(source: Mapping[str, Any]) -> Any:
        return (source.get("settings") or {}).get(setting)

    return locate


IMAGES: dict[str, tuple[Locate, bool]] = {
    "UserProfile.avatarUrl": (_profile_avatar, False),
    "UserProfile.avatarThumbnailUrl": (_profile_avatar, True),
    "Room.avatarUrl": (_room_image("avatarUploadId"), False),
    "Room.avatarThumbnailUrl": (_room_image("avatarUploadId"), True),
    "Room.bannerUrl": (_room_image("bannerUploadId"), False),
}
"""Each field: where its parent keeps the upload id, and whether it is the thumbnail."""


def is_upload_id(value: Any) -> bool:
    """An id the server chose (a UUID); never a path, whatever a parent might carry."""
    return isinstance(value, str) and 0 < len(value) <= ID_MAX_LENGTH and "/" not in value


def image_url(store: Store, upload_id: Any, thumbnail: bool) -> str | None:
    if not is_upload_id(upload_id):
        return None
    key = thumbnail_key(upload_id) if thumbnail else checked_key(upload_id)
    return store.s3.generate_presigned_url(
        "get_object",
        Params={"Bucket": store.bucket, "Key": key},
        ExpiresIn=DOWNLOAD_URL_EXPIRY_SECONDS,
    )


def resolve_batch(store: Store, field: str, sources: list[Mapping[str, Any] | None]) -> list:
    """One BatchInvoke of `field`: a result per source, in order, in the direct-resolver
    shape; null where the parent names no image."""
    locate, thumbnail = IMAGES[field]
    return [{"data": image_url(store, locate(source or {}), thumbnail)} for source in sources]
