"""The room settings every capability reads: declared once, each with a default per type."""

from __future__ import annotations

from decimal import Decimal

from chatspec import room_settings


def test_every_room_type_has_a_value_for_every_key():
    for room_type in room_settings.ROOM_TYPES:
        values = room_settings.defaults(room_type)
        assert set(values) == set(room_settings.BY_NAME)


def test_stored_keys_win_and_unknown_keys_are_dropped():
    room = {
        "type": "GROUP",
        "settings": {"slowModeSeconds": Decimal(30), "allowInvites": False, "futureKey": 1},
    }
    values = room_settings.effective(room)
    assert values["slowModeSeconds"] == 30 and isinstance(values["slowModeSeconds"], int)
    assert values["allowInvites"] is False
    assert "futureKey" not in values
    assert values["allowedContentTypes"] == list(room_settings.DEFAULT_CONTENT_TYPES)


def test_group_rooms_allow_invites_by_default_and_public_rooms_do_not():
    assert room_settings.defaults("GROUP")["allowInvites"] is True
    assert room_settings.defaults("PUBLIC")["allowInvites"] is False


def test_defaults_respect_their_own_bounds():
    for setting in room_settings.SETTINGS:
        for room_type in room_settings.ROOM_TYPES:
            value = setting.default_for(room_type)
            if value is None:
                assert setting.nullable, setting.name
                continue
            if setting.minimum is not None:
                assert setting.minimum <= value <= setting.maximum, setting.name
            if setting.allowed is not None:
                assert value in setting.allowed, setting.name
            if setting.max_items is not None:
                assert len(value) <= setting.max_items, setting.name
