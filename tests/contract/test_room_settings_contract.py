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


def _schema():
    from pathlib import Path

    from emulator.core.schema import load_schema

    root = Path(__file__).resolve().parents[2]
    return load_schema((root / "schema.graphql").read_text(encoding="utf-8"))


def _named(type_) -> tuple[str, bool]:
    """(GraphQL type without the outer non-null, whether it was non-null)."""
    from graphql import GraphQLNonNull

    non_null = isinstance(type_, GraphQLNonNull)
    return (str(type_.of_type) if non_null else str(type_)), non_null


def test_the_schema_types_list_exactly_the_declared_keys_with_their_kinds():
    schema = _schema()
    output = schema.type_map["RoomSettings"].fields
    given = schema.type_map["RoomSettingsInput"].fields
    assert list(output) == [s.name for s in room_settings.SETTINGS]
    assert list(given) == [s.name for s in room_settings.SETTINGS]
    for setting in room_settings.SETTINGS:
        kind, non_null = _named(output[setting.name].type)
        assert kind == setting.kind, setting.name
        assert non_null is not setting.nullable, setting.name
        input_kind, input_non_null = _named(given[setting.name].type)
        assert (input_kind, input_non_null) == (setting.kind, False), setting.name


def test_the_moderation_level_enum_holds_exactly_the_declared_levels():
    levels = _schema().type_map["ModerationLevel"].values
    assert tuple(levels) == room_settings.MODERATION_LEVELS


def test_templates_see_every_declaration_and_default():
    from chatspec.templates import room_settings_prelude, with_table_names

    values = room_settings.template_settings()
    assert values["keys"] == [s.name for s in room_settings.SETTINGS]
    assert set(values["defaults"]) == set(room_settings.ROOM_TYPES)
    text = with_table_names("$util.toJson($roomSettings)", {})
    assert text.startswith(room_settings_prelude())
