"""The rooms, memberships and messages the matrix acts on, made through the API itself.

Every kind holds its state in every room (owner, room ADMIN, MODERATOR, MEMBER, muted
MEMBER, muted MODERATOR, banned, banned while in a Cognito group; the non-member posted
once, then left; the Cognito Admin and Moderator never join; the DIRECT party belongs
to the owner's DIRECT room only, which nobody else is in).
Cells must not disturb each other while they run concurrently, so:
- an operation on another user acts on a target of its own per cell: an id that is a
  member (or banned, or muted) of the private room and of nothing else ("ghost" ids need
  no Cognito user: the API never checks that a target exists in the pool);
- an operation on a message acts on a message of its own per cell (closePoll: a poll of
  its own; votePoll: one shared poll, each cell a voter of its own);
- leaveRoom and joinRoom change the caller's own state, in rooms no other row uses;
- deleteRoom gets one room per kind;
- the join-request rows act on `approval`, a PUBLIC room with requireApproval; approving
  or rejecting targets a ghost without a request (NotFound once authorized).
- hideMessage, unhideMessage and resolveReport act on a message (hidden, reported by the
  owner) of their own per cell.
- getUpload asks for an upload of AUTHOR's (a user avatar), which nobody else may see.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from tests.security.callers import AUTHOR, KINDS, SIGNED_OUT, USER_OF_KIND, Http

GHOST_ROWS = ("removeMember", "setMemberRole", "banMember", "unbanMember", "muteMember")
GHOST_ROWS += ("unmuteMember",)
AUTHORLESS_KINDS = (SIGNED_OUT, "direct_other")
"""Kinds that cannot post in the private room: their 'own message' rows act on AUTHOR's."""
POSTING_KINDS = tuple(k for k in KINDS if k not in AUTHORLESS_KINDS)
MEMBER_KINDS = ("admin", "moderator", "member", "muted", "banned", "muted_moderator")
MEMBER_KINDS += ("banned_cognito_admin", "banned_cognito_moderator")
"""Kinds that every room of the world (but the DIRECT one) holds besides its owner."""
MODERATOR_KINDS = ("moderator", "muted_moderator")
MUTED_KINDS = ("muted", "muted_moderator")
BANNED_KINDS = ("banned", "banned_cognito_admin", "banned_cognito_moderator")

CREATE_ROOM = """mutation($input: CreateRoomInput!) { createRoom(input: $input) { roomId } }"""
SET_ROLE = """mutation($roomId: ID!, $userId: ID!, $role: MemberRole!) {
  setMemberRole(roomId: $roomId, userId: $userId, role: $role) { role } }"""
MUTE = """mutation($roomId: ID!, $userId: ID!) {
  muteMember(roomId: $roomId, userId: $userId) { isMuted } }"""
BAN = """mutation($roomId: ID!, $userId: ID!) {
  banMember(roomId: $roomId, userId: $userId) { isBanned } }"""
CREATE_POLL = """mutation($roomId: ID!) {
  createPoll(input: {roomId: $roomId, question: "matrix?", options: ["yes", "no"]}) {
    messageId } }"""
REQUIRE_APPROVAL = """mutation($roomId: ID!) {
  updateRoomSettings(roomId: $roomId, input: {requireApproval: true}) { roomId } }"""
LEAVE = """mutation($roomId: ID!) { leaveRoom(roomId: $roomId) { userId } }"""
SEND = """mutation($roomId: ID!, $content: String!) {
  sendMessage(input: {roomId: $roomId, content: $content}) { messageId } }"""
HIDE = """mutation($roomId: ID!, $messageId: ID!) {
  hideMessage(roomId: $roomId, messageId: $messageId) { messageId } }"""
REPORT = """mutation($roomId: ID!, $messageId: ID!) {
  reportMessage(roomId: $roomId, messageId: $messageId, reason: "matrix") { reportId } }"""
AVATAR_UPLOAD = """mutation { createUpload(input: {fileName: "author.png",
  contentType: "image/png", size: 10, purpose: USER_AVATAR}) { uploadId } }"""
MODERATED_USES = ("hide", "unhide", "resolve")
"""Per-cell messages of AUTHOR's for the moderation rows (see `prepare_moderation`)."""


def ghost(row: str, kind: str) -> str:
    return f"ghost-{row}-{kind}"


def invitee(kind: str) -> str:
    return f"invitee-{kind}"


@dataclass
class World:
    subs: dict[str, str]
    rooms: dict[str, str] = field(default_factory=dict)
    messages: dict[str, str] = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)
    uploads: dict[str, str] = field(default_factory=dict)


class Builder:
    def __init__(self, http: dict[str, Http], subs: dict[str, str]) -> None:
        self.http = http
        self.subs = subs

    def sub(self, kind: str) -> str:
        return self.subs[USER_OF_KIND[kind]]

    async def room(self, room_type: str, extra_members: tuple[str, ...] = ()) -> str:
        """A room owned by `owner` with an ADMIN, two MODERATORs and the MEMBER kinds."""
        members = [self.sub(k) for k in MEMBER_KINDS]
        created = await self.http["owner"].data(
            CREATE_ROOM,
            {
                "input": {
                    "name": f"matrix {room_type.lower()}",
                    "type": room_type,
                    "memberIds": [*members, *extra_members],
                }
            },
        )
        room_id = created["createRoom"]["roomId"]
        await asyncio.gather(
            self.as_owner(SET_ROLE, room_id, self.sub("admin"), role="ADMIN"),
            *(
                self.as_owner(SET_ROLE, room_id, self.sub(kind), role="MODERATOR")
                for kind in MODERATOR_KINDS
            ),
        )
        return room_id

    async def restrict(self, room_id: str) -> None:
        await asyncio.gather(
            *(self.as_owner(MUTE, room_id, self.sub(kind)) for kind in MUTED_KINDS),
            *(self.as_owner(BAN, room_id, self.sub(kind)) for kind in BANNED_KINDS),
        )

    async def direct_room(self) -> str:
        """The owner's DIRECT room with `direct_other`: no other kind is in it."""
        created = await self.http["owner"].data(
            CREATE_ROOM,
            {
                "input": {
                    "name": "matrix direct",
                    "type": "DIRECT",
                    "memberIds": [self.sub("direct_other")],
                }
            },
        )
        return created["createRoom"]["roomId"]

    async def as_owner(self, query: str, room_id: str, user_id: str, **extra: Any) -> None:
        await self.http["owner"].data(query, {"roomId": room_id, "userId": user_id, **extra})

    async def send(self, author: str, room_id: str, content: str) -> str:
        result = await self.http[author].data(SEND, {"roomId": room_id, "content": content})
        return result["sendMessage"]["messageId"]

    async def restricted_room(self, room_type: str) -> str:
        room_id = await self.room(room_type)
        await self.restrict(room_id)
        return room_id


async def build_world(http: dict[str, Http], subs: dict[str, str]) -> World:
    builder = Builder(http, subs)
    world = World(subs=subs)
    ghosts = tuple(ghost(row, kind) for row in GHOST_ROWS for kind in KINDS)
    private = await builder.room("PRIVATE", (builder.sub("non_member"), subs[AUTHOR], *ghosts))
    world.rooms["private"] = private

    async def message(name: str, author: str) -> None:
        world.messages[name] = await builder.send(author, private, f"matrix {name}")

    own = [message(f"{use}:{kind}", kind) for kind in POSTING_KINDS for use in ("edit", "delete")]
    others = [message(f"other-delete:{kind}", AUTHOR) for kind in KINDS]
    others += [message(f"{use}:{kind}", AUTHOR) for kind in KINDS for use in MODERATED_USES]
    authorless = [
        message(f"{use}:{kind}", AUTHOR) for kind in AUTHORLESS_KINDS for use in ("edit", "delete")
    ]

    async def poll(name: str) -> None:
        created = await http[AUTHOR].data(CREATE_POLL, {"roomId": private})
        world.messages[name] = created["createPoll"]["messageId"]

    polls = [poll("poll"), *(poll(f"poll-close:{kind}") for kind in KINDS)]
    await asyncio.gather(
        *own,
        *others,
        *authorless,
        *polls,
        message("root", AUTHOR),
        message("other-edit", AUTHOR),
    )

    other_rooms = {
        "announcement": "ANNOUNCEMENT",
        "public": "PUBLIC",
        "join": "PUBLIC",
        "approval": "PUBLIC",
        "leave": "PRIVATE",
        **{f"delete:{kind}": "PRIVATE" for kind in KINDS},
    }
    created = await asyncio.gather(
        *(builder.restricted_room(room_type) for room_type in other_rooms.values()),
        builder.direct_room(),
        builder.restrict(private),
        http["non_member"].data(LEAVE, {"roomId": private}),
        http[AUTHOR].data("{ me { userId } }"),
        *(builder.as_owner(BAN, private, ghost("unbanMember", kind)) for kind in KINDS),
        *(builder.as_owner(MUTE, private, ghost("unmuteMember", kind)) for kind in KINDS),
    )
    world.rooms.update(zip(other_rooms, created[: len(other_rooms)], strict=True))
    world.rooms["direct"] = created[len(other_rooms)]
    await http["owner"].data(REQUIRE_APPROVAL, {"roomId": world.rooms["approval"]})
    avatar = await http[AUTHOR].data(AVATAR_UPLOAD)
    world.uploads["author"] = avatar["createUpload"]["uploadId"]
    await prepare_moderation(http, world)
    return world


async def prepare_moderation(http: dict[str, Http], world: World) -> None:
    """The owner hides each `unhide:<kind>` message and reports each `resolve:<kind>` one."""
    private = world.rooms["private"]
    owner = http["owner"]

    async def hide(kind: str) -> None:
        await owner.data(HIDE, {"roomId": private, "messageId": world.messages[f"unhide:{kind}"]})

    async def report(kind: str) -> None:
        message_id = world.messages[f"resolve:{kind}"]
        made = await owner.data(REPORT, {"roomId": private, "messageId": message_id})
        world.reports[kind] = made["reportMessage"]["reportId"]

    await asyncio.gather(*(hide(kind) for kind in KINDS), *(report(kind) for kind in KINDS))
