"""Who may read whose profile (getUsers).

Rule: a profile is visible to its own user and to signed-in users who share a room with
them, both holding a membership that is not banned. Cognito Admins and Moderators see every
room (see the access decision), so they see every profile. Anyone else's entry is null,
exactly as for a user who does not exist, so getUsers tells nobody whether an id exists.

Message.author and RoomMember.user need no check here: their parent was read under the
room's access decision, and a message's author or a room's member shares that room (or
did, for an author who left; their name stays on what they wrote).

Cost: one Query per page of the caller's memberships (byUser), then one BatchGetItem with
the asked profiles and the asked users' memberships of those rooms (both tables in one
request); past 100 keys, further BatchGetItems of memberships only, dropping each user at
the first shared room: two round trips usually, (rooms x users + users) / 100 + 1 at worst.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from functions.common.batch_get import MAX_KEYS, batch_get_tables
from functions.common.identity import Caller
from functions.users.tables import Tables

BY_USER_INDEX = "byUser"
SEES_EVERY_ROOM = frozenset({"Admin", "Moderator"})


def _not_banned(item: dict[str, Any]) -> bool:
    return item.get("isBanned") is not True


def caller_rooms(tables: Tables, caller: Caller) -> list[str]:
    """Rooms where the caller holds a membership that is not banned."""
    rooms: list[str] = []
    query: dict[str, Any] = {
        "IndexName": BY_USER_INDEX,
        "KeyConditionExpression": Key("userId").eq(caller.sub),
        "ProjectionExpression": "roomId, isBanned",
    }
    while True:
        page = tables.room_members.query(**query)
        rooms.extend(item["roomId"] for item in page.get("Items", []) if _not_banned(item))
        if not page.get("LastEvaluatedKey"):
            return rooms
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def visible_profiles(
    tables: Tables, caller: Caller, user_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The raw profile items among `user_ids` that the caller may read, by user id.

    The profiles travel in the same BatchGetItem as the first memberships checked (one
    request spans both tables), so the usual getUsers costs two round trips: the caller's
    rooms, then memberships and profiles together. Only more than 100 keys in all take
    further requests, which carry memberships alone."""
    wanted = list(dict.fromkeys(user_ids))
    profile_keys = [{"userId": u} for u in wanted]
    if caller.groups & SEES_EVERY_ROOM:
        pairs: list[tuple[str, str]] = []
        visible = set(wanted)
    else:
        visible = {caller.sub} & set(wanted)
        pending = [u for u in wanted if u not in visible]
        rooms = caller_rooms(tables, caller) if pending else []
        pairs = [(room_id, user_id) for room_id in rooms for user_id in pending]
    profiles: list[dict[str, Any]] = []
    members = tables.room_members.name
    while profile_keys or pairs:
        room = MAX_KEYS - len(profile_keys)
        chunk, pairs = pairs[:room], pairs[room:]
        found = batch_get_tables(
            tables.dynamodb,
            {
                tables.users.name: (profile_keys, None),
                members: (
                    [{"roomId": r, "userId": u} for r, u in chunk],
                    "userId, isBanned",
                ),
            },
        )
        profiles.extend(found[tables.users.name])
        visible.update(item["userId"] for item in found[members] if _not_banned(item))
        profile_keys = []
        pairs = [pair for pair in pairs if pair[1] not in visible]
    return {p["userId"]: p for p in profiles if p["userId"] in visible}
