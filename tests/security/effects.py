"""What the matrix's writes left behind: an allowed cell must have changed its target, a
refused one must have left it exactly as it was (nothing half-written). The DIRECT room
must still hold its two parties, neither muted nor banned, and nobody else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.security.callers import USER_OF_KIND, Http
from tests.security.outcomes import ALLOWED
from tests.security.world import World, ghost, invitee

LIST_MEMBERS = """query($roomId: ID!, $nextToken: String) {
  listMembers(roomId: $roomId, limit: 100, nextToken: $nextToken) {
    items { userId role isMuted isBanned } nextToken } }"""
GET_ROOM = "query($roomId: ID!) { getRoom(roomId: $roomId) { roomId } }"

Member = dict[str, Any] | None
"""A user's item in the private room as its owner sees it; None when there is none."""


def _ghost_of(row: str) -> Callable[[str], str]:
    return lambda kind: ghost(row, kind)


CHANGED: dict[str, tuple[Callable[[str], str], Callable[[Member], bool]]] = {
    "addMember(as MEMBER)": (invitee, lambda m: m is not None),
    "removeMember(a MEMBER)": (_ghost_of("removeMember"), lambda m: m is None),
    "setMemberRole(to MODERATOR)": (
        _ghost_of("setMemberRole"),
        lambda m: m is not None and m["role"] == "MODERATOR",
    ),
    "banMember(a MEMBER)": (_ghost_of("banMember"), lambda m: m is not None and m["isBanned"]),
    "unbanMember(a banned user)": (_ghost_of("unbanMember"), lambda m: m is None),
    "muteMember(a MEMBER)": (_ghost_of("muteMember"), lambda m: m is not None and m["isMuted"]),
    "unmuteMember(a muted MEMBER)": (
        _ghost_of("unmuteMember"),
        lambda m: m is not None and not m["isMuted"],
    ),
}
"""Per membership row: the cell's target, and whether its state shows the write."""


async def members_seen_by_owner(owner: Http, room_id: str) -> dict[str, dict]:
    found: dict[str, dict] = {}
    token = None
    while True:
        page = (await owner.data(LIST_MEMBERS, {"roomId": room_id, "nextToken": token}))[
            "listMembers"
        ]
        found.update({member["userId"]: member for member in page["items"]})
        token = page["nextToken"]
        if token is None:
            return found


async def effect_mismatches(
    expected: dict[str, dict[str, str]], world: World, owner: Http, admin: Http
) -> list[str]:
    """Cells whose target's state contradicts their expected verdict."""
    members = await members_seen_by_owner(owner, world.rooms["private"])
    wrong = []
    for row, (target_of, changed) in CHANGED.items():
        for kind, verdict in expected[row].items():
            target = target_of(kind)
            if changed(members.get(target)) != (verdict == ALLOWED):
                wrong.append(
                    f"{row} / {kind}: expected {verdict}, target now {members.get(target)}"
                )
    wrong.extend(await direct_room_mismatches(expected, world, owner))
    for kind, verdict in expected["deleteRoom"].items():
        room_id = world.rooms[f"delete:{kind}"]
        outcome = await admin.call(GET_ROOM, {"roomId": room_id})
        gone = outcome.verdict == "NotFound"
        if gone != (verdict == ALLOWED):
            wrong.append(f"deleteRoom / {kind}: expected {verdict}, getRoom gives {outcome}")
    return wrong


DIRECT_ROWS = (
    "addMember(direct)",
    "banMember(direct: the other party)",
    "muteMember(direct: the other party)",
    "leaveRoom(direct)",
)
"""Rows that would change the DIRECT room's membership if any cell were allowed."""


async def direct_room_mismatches(
    expected: dict[str, dict[str, str]], world: World, owner: Http
) -> list[str]:
    allowed = [
        f"{row} / {kind}"
        for row in DIRECT_ROWS
        for kind, verdict in expected[row].items()
        if verdict == ALLOWED
    ]
    if allowed:
        return [f"the rule book allows DIRECT membership changes it cannot check: {allowed}"]
    members = await members_seen_by_owner(owner, world.rooms["direct"])
    parties = {world.subs[USER_OF_KIND[kind]] for kind in ("owner", "direct_other")}
    state = {user: (member["isMuted"], member["isBanned"]) for user, member in members.items()}
    if state != {party: (False, False) for party in parties}:
        return [f"the DIRECT room changed: {state}"]
    return []
