"""The last step of updateProfile and updateRoomSettings: the images they replaced go.

The write (VTL) released each replaced or removed image in its own transaction: its record
lost `claimedFor`, got `releasedAt` and a TTL that is due now (`functions/common/uploads.py`).
This step deletes the released uploads' objects and thumbnails, then their records, so
nothing of a replaced avatar stays behind; should it fail, the records still expire through
their TTL like any unclaimed upload, whose cleanup then takes the objects. Only uploads that
are released and belong where the write says are touched (a user avatar of the caller's,
an image of the room the access decision is about), so no list could reach anyone else's
files. Deleting is idempotent: a retried step finishes an interrupted one. The step returns
the previous step's result (the profile or the room as written), the mutation's result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from functions.common.access import Access
from functions.common.identity import Caller
from functions.common.uploads import Store
from functions.uploads.delete_files import remove_uploads

MAX_RELEASED = 2
"""A write replaces at most two images: a room's avatar and banner (a profile has one)."""

Belongs = Callable[[Mapping[str, Any]], bool]


def released_of(store: Store, upload_ids: list[str], belongs: Belongs) -> list[str]:
    """The ids among `upload_ids` whose records are released and pass `belongs`."""
    if not upload_ids:
        return []
    if len(upload_ids) > MAX_RELEASED:
        raise ValueError(f"{len(upload_ids)} released uploads; a write releases {MAX_RELEASED}")
    table = store.uploads.name
    found = store.uploads.meta.client.batch_get_item(
        RequestItems={
            table: {"Keys": [{"uploadId": i} for i in upload_ids], "ConsistentRead": True}
        }
    )["Responses"].get(table, [])
    return [str(r["uploadId"]) for r in found if r.get("releasedAt") and belongs(r)]


def delete_replaced_avatar(store: Store, caller: Caller, released: Any, result: Any) -> Any:
    def belongs(record: Mapping[str, Any]) -> bool:
        return record.get("ownerId") == caller.sub and record.get("purpose") == "USER_AVATAR"

    remove_uploads(store, released_of(store, _ids(released), belongs))
    return result


def delete_replaced_room_images(store: Store, access: Access, released: Any, result: Any) -> Any:
    access.require("manageMembers")
    room_id = access.decision.get("roomId")

    def belongs(record: Mapping[str, Any]) -> bool:
        return record.get("roomId") == room_id and record.get("purpose") == "ROOM_AVATAR"

    remove_uploads(store, released_of(store, _ids(released), belongs))
    return result


def _ids(released: Any) -> list[str]:
    return [i for i in released or [] if isinstance(i, str) and i]
