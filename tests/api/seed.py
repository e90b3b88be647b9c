"""Rooms, members and messages for the message/presence/typing tests, made through the API.

Everything goes through the public mutations (createRoom, setMemberRole, muteMember, ...)
so the tests exercise the same items real clients produce. Helpers fail loudly when a
setup call is refused, so a broken setup never passes for a rule under test.
"""

from __future__ import annotations

from typing import Any

from emulator.testing import LocalApi

MESSAGE_FIELDS = """
  roomId messageId authorId content type createdAt replyTo clientMessageId
  isEdited editedAt isDeleted deletedAt deletedBy pinned pinnedAt pinnedBy
  reactions { emoji count userIds }
"""

SEND = f"""
mutation Send($input: SendMessageInput!) {{
  sendMessage(input: $input) {{ {MESSAGE_FIELDS} }}
}}
"""

MESSAGE_MUTATION = """
mutation Change($roomId: ID!, $messageId: ID!) {{
  {field}(roomId: $roomId, messageId: $messageId) {{ {fields} }}
}}
"""

REACTION_MUTATION = """
mutation React($roomId: ID!, $messageId: ID!, $emoji: String!) {{
  {field}(roomId: $roomId, messageId: $messageId, emoji: $emoji) {{ {fields} }}
}}
"""


def data(result: dict[str, Any], field: str) -> Any:
    """The field's value of a call that must succeed."""
    assert not result.get("errors"), f"{field} failed: {result.get('errors')}"
    return result["data"][field]


def error(result: dict[str, Any]) -> tuple[str, str]:
    """(errorType, message) of the first error of a call that must fail."""
    assert result.get("errors"), result
    first = result["errors"][0]
    return first["errorType"], first["message"]


def error_type(result: dict[str, Any]) -> str | None:
    errors = result.get("errors") or []
    return errors[0].get("errorType") if errors else None


def error_message(result: dict[str, Any]) -> str:
    errors = result.get("errors") or []
    return errors[0]["message"] if errors else ""


CREATE_ROOM = (
    """mutation Create($input: CreateRoomInput!) {{ createRoom(input: $input) {{ {fields} }} }}"""
)


def create_room_with(
    api: LocalApi, input: dict[str, Any], *, user: str = "alice", fields: str = "roomId"
) -> dict[str, Any]:
    """createRoom(input) as `user`, which must succeed; returns the selected `fields`."""
    result = api.call(CREATE_ROOM.format(fields=fields), {"input": input}, user=user)
    return data(result, "createRoom")


def create_room(
    api: LocalApi, *, owner: str = "alice", members: tuple[str, ...] = (), type: str = "GROUP"
) -> str:
    """A room owned by `owner` with `members` as MEMBER; returns its id."""
    room = {
        "name": f"{type.lower()} room",
        "type": type,
        "memberIds": [api.sub_of(m) for m in members],
    }
    return create_room_with(api, room, user=owner)["roomId"]


def _member_mutation(api: LocalApi, field: str, room: str, user: str, by: str, **extra: Any):
    arguments = "".join(f", ${name}: {kind}" for name, (kind, _) in extra.items())
    passed = "".join(f", {name}: ${name}" for name in extra)
    variables = {"roomId": room, "userId": api.sub_of(user)}
    variables.update({name: value for name, (_, value) in extra.items()})
    result = api.call(
        f"mutation M($roomId: ID!, $userId: ID!{arguments}) "
        f"{{ {field}(roomId: $roomId, userId: $userId{passed}) {{ userId }} }}",
        variables,
        user=by,
    )
    return data(result, field)


def set_role(api: LocalApi, room: str, user: str, role: str, *, by: str = "alice") -> None:
    _member_mutation(api, "setMemberRole", room, user, by, role=("MemberRole!", role))


def mute(api: LocalApi, room: str, user: str, *, by: str = "alice") -> None:
    _member_mutation(api, "muteMember", room, user, by)


def ban(api: LocalApi, room: str, user: str, *, by: str = "alice") -> None:
    _member_mutation(api, "banMember", room, user, by)


def remove(api: LocalApi, room: str, user: str, *, by: str = "alice") -> None:
    _member_mutation(api, "removeMember", room, user, by)


def send_result(
    api: LocalApi,
    room: str,
    content: str,
    *,
    user: str = "alice",
    groups: tuple[str, ...] = (),
    **input: Any,
) -> dict[str, Any]:
    variables = {"input": {"roomId": room, "content": content, **input}}
    return api.call(SEND, variables, user=user, groups=groups)


def send(api: LocalApi, room: str, content: str, *, user: str = "alice", **input: Any) -> dict:
    """A message that must be accepted."""
    return data(send_result(api, room, content, user=user, **input), "sendMessage")


def message_mutation(
    api: LocalApi, field: str, room: str, message_id: str, *, user: str = "alice"
) -> dict[str, Any]:
    return api.call(
        MESSAGE_MUTATION.format(field=field, fields=MESSAGE_FIELDS),
        {"roomId": room, "messageId": message_id},
        user=user,
    )


def react(
    api: LocalApi,
    room: str,
    message_id: str,
    emoji: str,
    *,
    user: str = "alice",
    field: str = "addReaction",
) -> dict[str, Any]:
    return api.call(
        REACTION_MUTATION.format(field=field, fields=MESSAGE_FIELDS),
        {"roomId": room, "messageId": message_id, "emoji": emoji},
        user=user,
    )


def stored_message(api: LocalApi, room: str, message_id: str) -> dict[str, Any]:
    found = [m for m in api.scan("messages") if (m["roomId"], m["messageId"]) == (room, message_id)]
    assert len(found) == 1, f"message {message_id} is stored {len(found)} times"
    return found[0]


def stored_room(api: LocalApi, room: str) -> dict[str, Any]:
    return next(r for r in api.scan("rooms") if r["roomId"] == room)


def stored_member(api: LocalApi, room: str, user: str) -> dict[str, Any]:
    sub = api.sub_of(user)
    return next(m for m in api.scan("room_members") if (m["roomId"], m["userId"]) == (room, sub))


SETTINGS_FIELDS = """
  allowInvites requireApproval messageRetentionDays slowModeSeconds anonymousPosting topic
  avatarUploadId bannerUploadId allowFileUploads maxFileSizeBytes allowedContentTypes
  enableAssistant moderationLevel
"""
UPDATE_SETTINGS = f"""
mutation S($roomId: ID!, $input: RoomSettingsInput!) {{
  updateRoomSettings(roomId: $roomId, input: $input) {{ roomId settings {{ {SETTINGS_FIELDS} }} }}
}}
"""


def update_settings_result(
    api: LocalApi, room: str, user: str = "alice", groups: tuple[str, ...] = (), **settings: Any
) -> dict[str, Any]:
    return api.call(UPDATE_SETTINGS, {"roomId": room, "input": settings}, user=user, groups=groups)


def update_settings(api: LocalApi, room: str, *, user: str = "alice", **settings: Any) -> dict:
    """updateRoomSettings as `user`, which must succeed; returns the effective settings."""
    return data(update_settings_result(api, room, user, **settings), "updateRoomSettings")[
        "settings"
    ]
