"""One call per matrix row: the GraphQL document and its variables for a caller kind.

Rows are named `field` or `field(situation)` where the situation matters to the rule
(which room type, whose message). Each row's variables pick the world's room, message
or per-cell target described in `tests.security.world`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.security.callers import AUTHOR, USER_OF_KIND
from tests.security.outcomes import ALLOWED, HIDDEN, Outcome
from tests.security.world import World, ghost, invitee

Variables = Callable[[World, str], dict[str, Any]]


@dataclass(frozen=True)
class Operation:
    row: str
    query: str
    variables: Variables
    subscription: bool = False
    judge: Callable[[dict[str, Any]], Outcome] | None = None

    @property
    def field(self) -> str:
        return self.row.split("(")[0]


def room(name: str) -> Variables:
    return lambda world, kind: {"roomId": world.rooms[name]}


def private_message(name: str) -> Variables:
    """`name` may hold `{kind}` for a message of the cell's own."""
    return lambda world, kind: {
        "roomId": world.rooms["private"],
        "messageId": world.messages[name.format(kind=kind)],
    }


def private_target(row: str) -> Variables:
    return lambda world, kind: {"roomId": world.rooms["private"], "userId": ghost(row, kind)}


def profile_shown(result: dict[str, Any]) -> Outcome:
    [profile] = result["getUsers"]
    return Outcome(ALLOWED, "A (profile)") if profile else Outcome(HIDDEN, "H (null profile)")


def upload_shown(result: dict[str, Any]) -> Outcome:
    shown = result["getUpload"]
    return Outcome(ALLOWED, "A (upload)") if shown else Outcome(HIDDEN, "H (null upload)")


def member_sub(world: World) -> str:
    return world.subs[USER_OF_KIND["member"]]


def direct_other_party(world: World, kind: str) -> dict[str, Any]:
    """The DIRECT room and the party the caller is not: `direct_other` for everyone but
    `direct_other` itself, whose other party is the room's creator (`owner`)."""
    other = "owner" if kind == "direct_other" else "direct_other"
    return {"roomId": world.rooms["direct"], "userId": world.subs[USER_OF_KIND[other]]}


ROOM_FIELDS = "roomId name type"
MEMBER_FIELDS = "roomId userId role isMuted isBanned"
MESSAGE_FIELDS = "roomId messageId content isDeleted pinned reactions { emoji count }"
ON_ROOM = "($roomId: ID!) {{ {field}(roomId: $roomId) {{ {fields} }} }}"
MESSAGE_ARGS = (
    "($roomId: ID!, $messageId: ID!) "
    "{{ {field}(roomId: $roomId, messageId: $messageId) {{ {fields} }} }}"
)
TARGET_ARGS = (
    "($roomId: ID!, $userId: ID!) {{ {field}(roomId: $roomId, userId: $userId) {{ {fields} }} }}"
)


UPLOAD = """mutation($roomId: ID!) {
  createUpload(input: {roomId: $roomId, fileName: "a.png", contentType: "image/png", size: 10,
    purpose: MESSAGE_ATTACHMENT}) { uploadId } }"""


def on_room(kind: str, field: str, fields: str) -> str:
    return kind + ON_ROOM.format(field=field, fields=fields)


def on_message(field: str, fields: str = MESSAGE_FIELDS) -> str:
    return "mutation" + MESSAGE_ARGS.format(field=field, fields=fields)


def on_target(field: str) -> str:
    return "mutation" + TARGET_ARGS.format(field=field, fields=MEMBER_FIELDS)


def reaction(field: str) -> str:
    return f"""mutation($roomId: ID!, $messageId: ID!, $emoji: String!) {{
      {field}(roomId: $roomId, messageId: $messageId, emoji: $emoji) {{ {MESSAGE_FIELDS} }} }}"""


def with_emoji(world: World, kind: str) -> dict[str, Any]:
    return {**private_message("root")(world, kind), "emoji": "👍"}


SEND = """mutation($roomId: ID!) {
  sendMessage(input: {roomId: $roomId, content: "matrix post"}) { messageId } }"""
EDIT = """mutation($roomId: ID!, $messageId: ID!) {
  editMessage(roomId: $roomId, messageId: $messageId, content: "matrix edit") { content } }"""

OPERATIONS: tuple[Operation, ...] = (
    Operation("getRoom(private)", on_room("query", "getRoom", ROOM_FIELDS), room("private")),
    Operation("getRoom(public)", on_room("query", "getRoom", ROOM_FIELDS), room("public")),
    Operation("getRoom(direct)", on_room("query", "getRoom", ROOM_FIELDS), room("direct")),
    Operation(
        "listPublicRooms",
        "query { listPublicRooms(limit: 5) { items { roomId } nextToken } }",
        lambda world, kind: {},
    ),
    Operation(
        "myRooms",
        "query { myRooms(limit: 5) { items { role unreadCount room { roomId } } nextToken } }",
        lambda world, kind: {},
    ),
    Operation(
        "myMentions",
        "query { myMentions(limit: 5) { items { messageId authorId } nextToken } }",
        lambda world, kind: {},
    ),
    Operation(
        "listMembers",
        on_room("query", "listMembers", f"items {{ {MEMBER_FIELDS} }} nextToken"),
        room("private"),
    ),
    Operation(
        "listMessages",
        on_room("query", "listMessages", f"items {{ {MESSAGE_FIELDS} }} nextToken"),
        room("private"),
    ),
    Operation(
        "messageChanges",
        on_room("query", "messageChanges", f"items {{ {MESSAGE_FIELDS} }} cursor hasMore"),
        room("private"),
    ),
    Operation(
        "listMessages(direct)",
        on_room("query", "listMessages", f"items {{ {MESSAGE_FIELDS} }} nextToken"),
        room("direct"),
    ),
    Operation(
        "getMessage",
        "query" + MESSAGE_ARGS.format(field="getMessage", fields=MESSAGE_FIELDS),
        private_message("root"),
    ),
    Operation(
        "getThread",
        "query"
        + MESSAGE_ARGS.format(field="getThread", fields="root { messageId } replies { messageId }"),
        private_message("root"),
    ),
    Operation(
        "listReadReceipts",
        "query"
        + MESSAGE_ARGS.format(
            field="listReadReceipts", fields="items { userId lastReadMessageId } nextToken"
        ),
        private_message("root"),
    ),
    Operation(
        "listPinnedMessages",
        on_room("query", "listPinnedMessages", "items { messageId }"),
        room("private"),
    ),
    Operation(
        "searchMessages(in room)",
        """query($roomId: ID) {
          searchMessages(query: "matrix", roomId: $roomId) { total items { highlights } } }""",
        room("private"),
    ),
    Operation(
        "getPresence",
        "query($userIds: [ID!]!) { getPresence(userIds: $userIds) { userId status } }",
        lambda world, kind: {"userIds": [member_sub(world)]},
    ),
    Operation("me", "{ me { userId displayName } }", lambda world, kind: {}),
    Operation(
        "getUsers(the private room's author)",
        "query($ids: [ID!]!) { getUsers(userIds: $ids) { userId displayName } }",
        lambda world, kind: {"ids": [world.subs[AUTHOR]]},
        judge=profile_shown,
    ),
    Operation(
        "getUpload(another user's)",
        "query($id: ID!) { getUpload(uploadId: $id) { uploadId status } }",
        lambda world, kind: {"id": world.uploads["author"]},
        judge=upload_shown,
    ),
    Operation(
        "createRoom",
        """mutation { createRoom(input: {name: "matrix own room", type: PRIVATE}) { roomId } }""",
        lambda world, kind: {},
    ),
    Operation(
        "updateRoom",
        f"""mutation($roomId: ID!) {{
          updateRoom(input: {{roomId: $roomId, description: "matrix"}}) {{ {ROOM_FIELDS} }} }}""",
        room("private"),
    ),
    Operation(
        "updateRoomSettings",
        """mutation($roomId: ID!) {
          updateRoomSettings(roomId: $roomId, input: {topic: "matrix"}) {
            roomId settings { topic } } }""",
        room("private"),
    ),
    Operation(
        "deleteRoom",
        "mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { roomId deleted } }",
        lambda world, kind: {"roomId": world.rooms[f"delete:{kind}"]},
    ),
    Operation("joinRoom(public)", on_room("mutation", "joinRoom", MEMBER_FIELDS), room("join")),
    Operation("joinRoom(private)", on_room("mutation", "joinRoom", MEMBER_FIELDS), room("private")),
    Operation(
        "requestToJoin",
        on_room("mutation", "requestToJoin", "roomId userId status"),
        room("approval"),
    ),
    Operation(
        "listJoinRequests",
        on_room("query", "listJoinRequests", "items { userId status } nextToken"),
        room("approval"),
    ),
    Operation(
        "approveJoinRequest(none pending)",
        "mutation" + TARGET_ARGS.format(field="approveJoinRequest", fields="userId status"),
        lambda world, kind: {"roomId": world.rooms["approval"], "userId": ghost("approve", kind)},
    ),
    Operation(
        "rejectJoinRequest(none pending)",
        "mutation" + TARGET_ARGS.format(field="rejectJoinRequest", fields="userId status"),
        lambda world, kind: {"roomId": world.rooms["approval"], "userId": ghost("reject", kind)},
    ),
    Operation("leaveRoom", on_room("mutation", "leaveRoom", MEMBER_FIELDS), room("leave")),
    Operation("leaveRoom(direct)", on_room("mutation", "leaveRoom", MEMBER_FIELDS), room("direct")),
    Operation(
        "addMember(as MEMBER)",
        f"""mutation($roomId: ID!, $userId: ID!) {{
          addMember(roomId: $roomId, userId: $userId) {{ {MEMBER_FIELDS} }} }}""",
        lambda world, kind: {"roomId": world.rooms["private"], "userId": invitee(kind)},
    ),
    Operation(
        "addMember(direct)",
        f"""mutation($roomId: ID!, $userId: ID!) {{
          addMember(roomId: $roomId, userId: $userId) {{ {MEMBER_FIELDS} }} }}""",
        lambda world, kind: {"roomId": world.rooms["direct"], "userId": invitee(f"direct-{kind}")},
    ),
    Operation("removeMember(a MEMBER)", on_target("removeMember"), private_target("removeMember")),
    Operation(
        "setMemberRole(to MODERATOR)",
        f"""mutation($roomId: ID!, $userId: ID!) {{
          setMemberRole(roomId: $roomId, userId: $userId, role: MODERATOR) {{ {MEMBER_FIELDS} }}
        }}""",
        private_target("setMemberRole"),
    ),
    Operation("banMember(a MEMBER)", on_target("banMember"), private_target("banMember")),
    Operation("banMember(direct: the other party)", on_target("banMember"), direct_other_party),
    Operation(
        "unbanMember(a banned user)", on_target("unbanMember"), private_target("unbanMember")
    ),
    Operation("muteMember(a MEMBER)", on_target("muteMember"), private_target("muteMember")),
    Operation("muteMember(direct: the other party)", on_target("muteMember"), direct_other_party),
    Operation(
        "unmuteMember(a muted MEMBER)", on_target("unmuteMember"), private_target("unmuteMember")
    ),
    Operation("sendMessage(private)", SEND, room("private")),
    Operation("sendMessage(announcement)", SEND, room("announcement")),
    Operation("sendMessage(direct)", SEND, room("direct")),
    Operation("createUpload(attachment, private)", UPLOAD, room("private")),
    Operation("createUpload(attachment, announcement)", UPLOAD, room("announcement")),
    Operation(
        "createUpload(room avatar)",
        UPLOAD.replace("MESSAGE_ATTACHMENT", "ROOM_AVATAR"),
        room("private"),
    ),
    Operation(
        "createUpload(user avatar)",
        """mutation { createUpload(input: {fileName: "me.png", contentType: "image/png",
          size: 10, purpose: USER_AVATAR}) { uploadId } }""",
        lambda world, kind: {},
    ),
    Operation(
        "postSystemMessage(as a user)",
        """mutation($roomId: ID!) {
          postSystemMessage(input: {roomId: $roomId, content: "matrix", type: SYSTEM}) {
            messageId } }""",
        room("private"),
    ),
    Operation(
        "refreshAttachments(as a user)",
        on_message("refreshAttachments", "messageId version"),
        private_message("root"),
    ),
    Operation("editMessage(own)", EDIT, private_message("edit:{kind}")),
    Operation("editMessage(another's)", EDIT, private_message("other-edit")),
    Operation("deleteMessage(own)", on_message("deleteMessage"), private_message("delete:{kind}")),
    Operation(
        "deleteMessage(another's)",
        on_message("deleteMessage"),
        private_message("other-delete:{kind}"),
    ),
    Operation("addReaction", reaction("addReaction"), with_emoji),
    Operation("removeReaction", reaction("removeReaction"), with_emoji),
    Operation(
        "createPoll(private)",
        """mutation($roomId: ID!) {
          createPoll(input: {roomId: $roomId, question: "matrix?", options: ["a", "b"]}) {
            messageId poll { closed } } }""",
        room("private"),
    ),
    Operation(
        "votePoll",
        """mutation($roomId: ID!, $messageId: ID!) {
          votePoll(roomId: $roomId, messageId: $messageId, optionIds: ["o1"]) {
            roomId messageId poll { voterCount } } }""",
        private_message("poll"),
    ),
    Operation(
        "closePoll(another's)",
        on_message("closePoll", "roomId messageId poll { closed }"),
        private_message("poll-close:{kind}"),
    ),
    Operation("pinMessage", on_message("pinMessage"), private_message("root")),
    Operation("unpinMessage", on_message("unpinMessage"), private_message("root")),
    Operation(
        "markRead",
        on_message("markRead", "roomId userId lastReadMessageId"),
        private_message("root"),
    ),
    Operation(
        "reportMessage",
        """mutation($roomId: ID!, $messageId: ID!) {
          reportMessage(roomId: $roomId, messageId: $messageId, reason: "matrix") { reportId } }""",
        private_message("root"),
    ),
    Operation(
        "listReports",
        on_room("query", "listReports", "items { reportId } nextToken"),
        room("private"),
    ),
    Operation(
        "resolveReport",
        """mutation($roomId: ID!, $reportId: ID!) {
          resolveReport(roomId: $roomId, reportId: $reportId, resolution: DISMISSED) {
            reportId status } }""",
        lambda world, kind: {"roomId": world.rooms["private"], "reportId": world.reports[kind]},
    ),
    Operation("hideMessage", on_message("hideMessage"), private_message("hide:{kind}")),
    Operation("unhideMessage", on_message("unhideMessage"), private_message("unhide:{kind}")),
    Operation(
        "moderationLog",
        on_room("query", "moderationLog", "items { entryId action } nextToken"),
        room("private"),
    ),
    Operation(
        "updatePresence",
        'mutation { updatePresence(status: ONLINE, customStatus: "matrix") { userId status } }',
        lambda world, kind: {},
    ),
    Operation(
        "updateProfile",
        'mutation { updateProfile(input: {statusText: "matrix"}) { userId statusText } }',
        lambda world, kind: {},
    ),
    Operation(
        "sendTyping",
        """mutation($roomId: ID!) {
          sendTyping(roomId: $roomId, isTyping: true) { roomId userId isTyping } }""",
        room("private"),
    ),
    Operation(
        "setRoomNotifications",
        """mutation($roomId: ID!) {
          setRoomNotifications(roomId: $roomId, muted: true) { roomId muted } }""",
        room("private"),
    ),
    Operation(
        "registerDevice",
        """mutation($token: String!) {
          registerDevice(platform: FCM, token: $token) { deviceId platform } }""",
        lambda world, kind: {"token": f"matrix-{kind}-device"},
    ),
    Operation(
        "unregisterDevice",
        """mutation($token: String!) { unregisterDevice(platform: FCM, token: $token) }""",
        lambda world, kind: {"token": f"matrix-{kind}-device"},
    ),
    Operation(
        "onMessageAdded",
        on_room("subscription", "onMessageAdded", "roomId messageId content"),
        room("private"),
        subscription=True,
    ),
    Operation(
        "onMessageUpdated",
        on_room("subscription", "onMessageUpdated", "roomId messageId content"),
        room("private"),
        subscription=True,
    ),
    Operation(
        "onTyping",
        on_room("subscription", "onTyping", "roomId userId isTyping"),
        room("private"),
        subscription=True,
    ),
    Operation(
        "onMemberChanged",
        on_room("subscription", "onMemberChanged", "roomId userId role"),
        room("private"),
        subscription=True,
    ),
    Operation(
        "onReadReceipt",
        on_room("subscription", "onReadReceipt", "roomId userId lastReadMessageId"),
        room("private"),
        subscription=True,
    ),
    Operation(
        "onJoinRequest",
        on_room("subscription", "onJoinRequest", "roomId userId status"),
        room("approval"),
        subscription=True,
    ),
    Operation(
        "onJoinRequestDecided",
        on_room("subscription", "onJoinRequestDecided", "roomId userId status"),
        room("approval"),
        subscription=True,
    ),
    Operation(
        "onPresenceChanged",
        """subscription($userIds: [ID!]!) {
          onPresenceChanged(userIds: $userIds) { userId status } }""",
        lambda world, kind: {"userIds": [member_sub(world)]},
        subscription=True,
    ),
)
