"""The schema tells clients the limits the templates enforce, with the same numbers.

Each argument or input field whose value the rules bound says so in its description;
the numbers there must be `chatspec.rules.template_rules()`'s, the map the templates
read as `$rules`, so a bound changed in one place and not the other fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from graphql import GraphQLInputObjectType, GraphQLObjectType

from chatspec import rules
from emulator.core.schema import load_schema

SCHEMA_TEXT = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text(encoding="utf-8")

STATED: dict[tuple[str, str | None, str | None], tuple[str, ...]] = {
    ("Query", None, None): ("maxIdLength",),
    ("Mutation", None, None): ("maxIdLength",),
    ("Subscription", None, None): ("maxIdLength",),
    ("Subscription", "onPresenceChanged", "userIds"): ("maxPresenceSubscriptionIds",),
    ("Query", "getPresence", "userIds"): ("maxGetPresenceIds",),
    ("Mutation", "editMessage", "content"): ("maxContentLength",),
    ("Mutation", "addReaction", "emoji"): ("maxDistinctReactions", "maxReactorsPerEmoji"),
    ("Mutation", "updatePresence", "customStatus"): ("maxCustomStatusLength",),
    ("SendMessageInput", None, "content"): ("maxContentLength",),
    ("SendMessageInput", None, "clientMessageId"): ("maxClientMessageIdLength",),
    ("SystemMessageInput", None, "content"): ("maxContentLength",),
    ("SystemMessageInput", None, "clientMessageId"): ("maxClientMessageIdLength",),
    ("CreateRoomInput", None, "name"): ("maxNameLength",),
    ("CreateRoomInput", None, "description"): ("maxDescriptionLength",),
    ("CreateRoomInput", None, "memberIds"): ("maxCreateMemberIds",),
    ("UpdateRoomInput", None, "name"): ("maxNameLength",),
    ("UpdateRoomInput", None, "description"): ("maxDescriptionLength",),
}
"""(type, field, argument or input field) -> the `$rules` values its description states."""


def description(schema, type_name: str, field: str | None, argument: str | None) -> str:
    kind = schema.get_type(type_name)
    if field is None and argument is None:
        return kind.description or ""
    if isinstance(kind, GraphQLInputObjectType):
        return kind.fields[argument].description or ""
    assert isinstance(kind, GraphQLObjectType)
    return kind.fields[field].args[argument].description or ""


def mismatches(schema_text: str) -> list[str]:
    schema = load_schema(schema_text)
    bounds = rules.template_rules()
    wrong = []
    for place, names in STATED.items():
        text = description(schema, *place)
        numbers = {int(n) for n in re.findall(r"\d+", text)}
        missing = [f"{name}={bounds[name]}" for name in names if bounds[name] not in numbers]
        if missing:
            wrong.append(f"{place}: {text!r} does not state {missing}")
    return wrong


def test_the_schema_states_the_limits_the_templates_enforce():
    assert mismatches(SCHEMA_TEXT) == []


def test_the_presence_subscription_cap_is_what_the_filter_limits_allow():
    assert rules.PRESENCE_SUBSCRIPTION_MAX_USER_IDS == 50
    assert "1 to 50 ids" in SCHEMA_TEXT


def test_a_broken_copy_with_a_stale_number_is_found():
    broken = SCHEMA_TEXT.replace("1 to 50 ids", "1 to 100 ids")
    assert broken != SCHEMA_TEXT
    found = mismatches(broken)
    assert len(found) == 1 and "onPresenceChanged" in found[0]
