"""Room settings through the emulator: Room.settings (stored over defaults per type),
updateRoomSettings for admins and up, each key validated from its declaration, a null
clearing a nullable key, keys fixed per room type, and the decision reading them
(allowInvites lets members add MEMBERs)."""

from __future__ import annotations

import pytest

from chatspec import room_settings
from tests.api.seed import (
    SETTINGS_FIELDS,
    create_room,
    data,
    error,
    set_role,
    stored_room,
    update_settings,
    update_settings_result,
)

GET_SETTINGS = f"""query($roomId: ID!) {{
  getRoom(roomId: $roomId) {{ settings {{ {SETTINGS_FIELDS} }} }} }}"""
LIST_PUBLIC = f"""{{ listPublicRooms {{ items {{ roomId settings {{ {SETTINGS_FIELDS} }} }} }} }}"""
ADD = """mutation($roomId: ID!, $userId: ID!, $role: MemberRole) {
  addMember(roomId: $roomId, userId: $userId, role: $role) { userId role } }"""


def settings_of(api, room: str, user: str = "alice") -> dict:
    return data(api.call(GET_SETTINGS, {"roomId": room}, user=user), "getRoom")["settings"]


@pytest.mark.parametrize("room_type", ["PUBLIC", "PRIVATE", "GROUP", "ANNOUNCEMENT"])
def test_a_new_room_has_its_types_defaults(api, room_type):
    room = create_room(api, type=room_type)
    assert settings_of(api, room) == room_settings.defaults(room_type)


def test_an_admin_changes_settings_and_only_set_keys_are_stored(api):
    room = create_room(api, type="PUBLIC", members=("bob",))
    set_role(api, room, "bob", "ADMIN")

    settings = update_settings(
        api,
        room,
        user="bob",
        slowModeSeconds=30,
        topic="  release planning  ",
        allowedContentTypes=["image/png", "image/png", "application/pdf"],
        moderationLevel="FLAG",
        requireApproval=True,
    )

    expected = {
        **room_settings.defaults("PUBLIC"),
        "slowModeSeconds": 30,
        "topic": "release planning",
        "allowedContentTypes": ["image/png", "application/pdf"],
        "moderationLevel": "FLAG",
        "requireApproval": True,
    }
    assert settings == expected
    assert settings_of(api, room, user="carol") == expected, "PUBLIC: anyone signed in sees them"
    listed = data(api.call(LIST_PUBLIC), "listPublicRooms")["items"]
    assert next(r for r in listed if r["roomId"] == room)["settings"] == expected
    assert set(stored_room(api, room)["settings"]) == {
        "slowModeSeconds",
        "topic",
        "allowedContentTypes",
        "moderationLevel",
        "requireApproval",
    }

    update_settings(api, room, topic=None, slowModeSeconds=0)
    stored = stored_room(api, room)["settings"]
    assert "topic" not in stored and stored["slowModeSeconds"] == 0
    assert settings_of(api, room)["topic"] is None


@pytest.mark.parametrize("user", ["bob", "mod"])
def test_members_and_moderators_may_not_change_settings(api, user):
    room = create_room(api, members=("bob", "mod"))
    set_role(api, room, "mod", "MODERATOR")
    result = update_settings_result(api, room, user, topic="mine")
    assert error(result)[0] == "Unauthorized"
    assert stored_room(api, room)["settings"] == {}, "a new room stores no key"


def test_a_cognito_admin_may_change_any_rooms_settings(api):
    room = create_room(api)
    result = update_settings_result(api, room, "staff", ("Admin",), topic="staff")
    assert data(result, "updateRoomSettings")["settings"]["topic"] == "staff"


@pytest.mark.parametrize(
    ("room_type", "settings", "message"),
    [
        ("GROUP", {"slowModeSeconds": -1}, "slowModeSeconds must be 0 to 21600, got -1"),
        ("GROUP", {"slowModeSeconds": 21601}, "slowModeSeconds must be 0 to 21600, got 21601"),
        ("GROUP", {"messageRetentionDays": 0}, "messageRetentionDays must be 1 to 3650, got 0"),
        ("GROUP", {"maxFileSizeBytes": 104857601}, "maxFileSizeBytes must be 1 to 104857600"),
        ("GROUP", {"topic": "t" * 251}, "topic must be at most 250 characters, got 251"),
        ("GROUP", {"topic": "two\nlines"}, "topic must hold visible characters"),
        ("GROUP", {"topic": " \u200b "}, "topic must hold visible characters"),
        ("GROUP", {"avatarUploadId": "u" * 129}, "avatarUploadId must be at most 128"),
        ("GROUP", {"allowedContentTypes": ["image/*"]}, 'allowedContentTypes: "image/*"'),
        ("GROUP", {"allowedContentTypes": ["Image/PNG"]}, "is not a lower-case type/subtype"),
        ("GROUP", {"allowedContentTypes": [f"a/b{n}" for n in range(51)]}, "at most 50"),
        ("GROUP", {"slowModeSeconds": None}, "slowModeSeconds cannot be cleared with null"),
        ("GROUP", {"requireApproval": True}, "requireApproval cannot be changed in a GROUP"),
        ("PRIVATE", {"requireApproval": False}, "requireApproval cannot be changed in a PRIVATE"),
        ("GROUP", {}, "updateRoomSettings needs at least one setting"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_error_and_nothing_is_written(
    api, room_type, settings, message
):
    room = create_room(api, type=room_type)
    before = stored_room(api, room)

    error_type, text = error(update_settings_result(api, room, **settings))

    assert error_type == "ValidationError"
    assert message in text
    assert stored_room(api, room) == before


def test_settings_fixed_in_direct_rooms_are_refused(api):
    room = data(
        api.call(
            'mutation($m: [ID!]) { createRoom(input: {name: "dm", type: DIRECT, memberIds: $m})'
            " { roomId } }",
            {"m": [api.sub_of("bob")]},
        ),
        "createRoom",
    )["roomId"]
    for key, value in (("slowModeSeconds", 5), ("anonymousPosting", True), ("allowInvites", True)):
        error_type, text = error(update_settings_result(api, room, **{key: value}))
        expected = f"{key} cannot be changed in a DIRECT room"
        assert (error_type, text) == ("ValidationError", expected)
    assert update_settings(api, room, topic="us")["topic"] == "us"


def test_allow_invites_lets_members_add_members_but_grant_nothing_more(api):
    room = create_room(api, type="PRIVATE", members=("bob",))
    refused = api.call(ADD, {"roomId": room, "userId": api.sub_of("carol")}, user="bob")
    assert error(refused)[0] == "Unauthorized"

    update_settings(api, room, allowInvites=True)

    added = api.call(ADD, {"roomId": room, "userId": api.sub_of("carol")}, user="bob")
    assert data(added, "addMember") == {"userId": api.sub_of("carol"), "role": "MEMBER"}
    promoted = api.call(
        ADD, {"roomId": room, "userId": api.sub_of("dave"), "role": "MODERATOR"}, user="bob"
    )
    assert error(promoted)[0] == "Unauthorized"


def test_group_rooms_allow_invites_by_default(api):
    room = create_room(api, type="GROUP", members=("bob",))
    added = api.call(ADD, {"roomId": room, "userId": api.sub_of("carol")}, user="bob")
    assert data(added, "addMember")["role"] == "MEMBER"
