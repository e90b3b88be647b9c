"""The largest item each table can ever hold fits DynamoDB's item size limit.

Items are made through the API as it ships (LocalApi: the deployed templates and Lambdas)
in every state that adds attributes: sent with a reply target and a clientMessageId,
edited, pinned, reacted to, deleted, read, muted, banned, invited, a system message,
presence, a retry record. Then every attribute the templates wrote is given the largest
value the rules allow: the `$rules` numbers the templates check (`chatspec.rules.
template_rules()`), the longest enum values of `schema.graphql`, 3 UTF-8 bytes per UTF-16
unit (Java's `String.length()`, which the templates and the emulator count), 38-digit
numbers. A message gets 20 distinct emoji of the largest size `$rules.reaction` accepts,
each with 400 reacting users of the longest id addReaction accepts. The worst item's size
is counted as AWS documents it (`emulator.datasources.dynamodb_limits.item_size`) and must
stay under the registry's limit; raising a bound in `chatspec/rules.py` so far that it
would not breaks this test (`test_a_raised_bound_breaks_the_check`). An attribute that a
template writes but this file gives no bound fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLEnumType

from chatspec import rules
from chatspec.aws_limits import COGNITO_SUB_LENGTH, DYNAMODB_ITEM_SIZE
from emulator.core import COGNITO
from emulator.core.schema import load_schema
from emulator.datasources.dynamodb_limits import item_size
from emulator.identity import cognito_identity
from emulator.testing import LocalApi
from emulator.vtl.java import java_regex
from tests.api.seed import (
    ban,
    create_room_with,
    data,
    message_mutation,
    mute,
    react,
    send,
    set_role,
    update_settings,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = load_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
UTF8_BYTES_PER_UTF16_UNIT = 3
"""BMP characters take at most 3 UTF-8 bytes for 1 UTF-16 unit, others 4 for 2."""
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TIMESTAMP_LENGTH = len("2026-12-31T23:59:59.999Z")
ULID_LENGTH = 26
UUID_LENGTH = 36
LARGEST_NUMBER = "9" * 38
ZWJ = "\u200d"
Rules = dict[str, Any]


def text(units: int) -> dict[str, str]:
    """The string of `units` UTF-16 units with the most UTF-8 bytes."""
    return {"S": "\u4e2d" * units}


def ascii_text(length: int) -> dict[str, str]:
    return {"S": "i" * length}


def enum(name: str) -> dict[str, str]:
    kind = SCHEMA.get_type(name)
    assert isinstance(kind, GraphQLEnumType), name
    return {"S": max(kind.values, key=len)}


def worst_emoji(index: int = 0, elements: int = rules.EMOJI_MAX_ELEMENTS) -> str:
    """`elements` pictographs of 4 bytes, each with a 4-byte skin tone, joined by ZWJ."""
    element = chr(0x1FAFF - index) + "\U0001f3ff"
    return ZWJ.join([element] * elements)


def worst_tag_sequence(tags: int = rules.EMOJI_MAX_TAGS) -> str:
    return "\U0001f3f4" + "\U000e0067" * tags + "\U000e007f"


def reaction_candidates() -> list[str]:
    """The largest emoji of each shape `$rules.reaction` accepts."""
    return [worst_emoji(), worst_tag_sequence(), "#\ufe0f\u20e3", "\U0001f1fa\U0001f1f8"]


def largest_emoji_bytes() -> int:
    return max(len(e.encode("utf-8")) for e in reaction_candidates())


def reactions(bounds: Rules) -> dict[str, Any]:
    users = {
        "SS": [
            f"{n:0{bounds['maxReactorIdLength']}d}" for n in range(bounds["maxReactorsPerEmoji"])
        ]
    }
    size = largest_emoji_bytes()
    emoji = [worst_emoji(n) for n in range(bounds["maxDistinctReactions"])]
    assert all(len(e.encode("utf-8")) == size for e in emoji)
    return {"M": dict.fromkeys(emoji, users)}


def caller_id(bounds: Rules) -> dict[str, str]:
    """A caller id: `iam:<role name>` (IAM names are ASCII) or a Cognito sub."""
    return ascii_text(rules.MAX_CALLER_ID_LENGTH)


def idempotency_key(bounds: Rules) -> dict[str, str]:
    parts = {
        "roomId": text(bounds["maxIdLength"])["S"],
        "incarnation": "u" * rules.INCARNATION_LENGTH,
        "callerId": caller_id(bounds)["S"],
        "clientMessageId": text(bounds["maxClientMessageIdLength"])["S"],
    }
    composition = rules.KEY_COMPOSITIONS["idempotency.idempotencyKey"]
    return {"S": "#".join(parts[name] for name in composition)}


def timestamp(bounds: Rules) -> dict[str, str]:
    return ascii_text(TIMESTAMP_LENGTH)


def boolean(bounds: Rules) -> dict[str, bool]:
    return {"BOOL": True}


def number(bounds: Rules) -> dict[str, str]:
    return {"N": LARGEST_NUMBER}


def an_id(bounds: Rules) -> dict[str, str]:
    return text(bounds["maxIdLength"])


def mentions(bounds: Rules) -> dict[str, Any]:
    return {"L": [an_id(bounds)] * bounds["maxMentions"]}


def poll(bounds: Rules) -> dict[str, Any]:
    """A poll at its largest: every option at its longest (the question is the content)."""
    option = {
        "optionId": ascii_text(rules.POLL_OPTION_ID_LENGTH),
        "text": text(bounds["maxPollOptionLength"]),
    }
    return {
        "M": {
            "options": {"L": [{"M": option}] * bounds["maxPollOptions"]},
            "allowMultiple": boolean(bounds),
            "closed": boolean(bounds),
            "closesAt": timestamp(bounds),
            "closesAtMs": number(bounds),
            "closedAt": timestamp(bounds),
        }
    }


def poll_counts(bounds: Rules) -> dict[str, Any]:
    ids = [f"o{n}".ljust(rules.POLL_OPTION_ID_LENGTH, "9") for n in range(bounds["maxPollOptions"])]
    return {"M": dict.fromkeys(ids, number(bounds))}


def settings(bounds: Rules) -> dict[str, Any]:
    """Every declared room setting at its largest (chatspec/room_settings.py)."""
    from chatspec import room_settings

    largest: dict[str, Any] = {}
    for setting in room_settings.SETTINGS:
        if setting.kind == "Boolean":
            largest[setting.name] = boolean(bounds)
        elif setting.kind == "Int":
            largest[setting.name] = {"N": str(setting.maximum)}
        elif setting.kind in ("String", "ID"):
            largest[setting.name] = text(setting.max_length)
        elif setting.kind == "[String!]":
            item = ascii_text(len("a" * 64 + "/" + "b" * 64))
            largest[setting.name] = {"L": [item] * setting.max_items}
        else:
            largest[setting.name] = {"S": max(setting.allowed, key=len)}
    return {"M": largest}


BOUNDS: dict[str, Callable[[Rules], dict[str, Any]]] = {
    # ids: arguments are at most maxIdLength units; generated ones are shorter
    "roomId": an_id,
    "pinnedRoomId": an_id,
    "messageId": an_id,
    "userId": an_id,
    "replyTo": an_id,
    "lastReadMessageId": an_id,
    "incarnation": lambda b: ascii_text(UUID_LENGTH),
    "idempotencyKey": idempotency_key,
    # who did it: the caller
    "authorId": caller_id,
    "createdBy": caller_id,
    "deletedBy": caller_id,
    "pinnedBy": caller_id,
    "invitedBy": caller_id,
    "bannedBy": caller_id,
    "deletingBy": caller_id,
    # text the rules bound
    "content": lambda b: text(b["maxContentLength"]),
    "name": lambda b: text(b["maxNameLength"]),
    "description": lambda b: text(b["maxDescriptionLength"]),
    "customStatus": lambda b: text(b["maxCustomStatusLength"]),
    "clientMessageId": lambda b: text(b["maxClientMessageIdLength"]),
    "reactions": reactions,
    "mentions": mentions,
    "settings": settings,
    "mentionKey": lambda b: {"S": f"{an_id(b)['S']}#{an_id(b)['S']}"},
    "pollKey": lambda b: {"S": f"{an_id(b)['S']}#{an_id(b)['S']}"},
    "poll": poll,
    "pollCounts": poll_counts,
    "optionIds": lambda b: {"L": [ascii_text(rules.POLL_OPTION_ID_LENGTH)] * b["maxPollOptions"]},
    "decidedBy": caller_id,
    # enums
    "type": lambda b: {"S": max(enum("MessageType")["S"], enum("RoomType")["S"], key=len)},
    "roomType": lambda b: enum("RoomType"),
    "visibility": lambda b: enum("RoomType"),
    "role": lambda b: enum("MemberRole"),
    "status": lambda b: {
        "S": max(enum("PresenceStatus")["S"], enum("JoinRequestStatus")["S"], key=len)
    },
    # times, numbers, flags
    "createdAt": timestamp,
    "updatedAt": timestamp,
    "editedAt": timestamp,
    "deletedAt": timestamp,
    "pinnedAt": timestamp,
    "joinedAt": timestamp,
    "bannedAt": timestamp,
    "lastReadAt": timestamp,
    "lastMessageAt": timestamp,
    "lastSeen": timestamp,
    "deletingAt": timestamp,
    "seq": number,
    "version": number,
    "changeKey": lambda b: {"S": f"{'9' * 13}#{text(b['maxIdLength'])['S']}"},
    "lastReadSeq": number,
    "memberCount": number,
    "maxMembers": number,
    "messageCount": number,
    "expiresAt": number,
    "isEdited": boolean,
    "isDeleted": boolean,
    "pinned": boolean,
    "isMuted": boolean,
    "isBanned": boolean,
    "anonymous": boolean,
    "mentionCount": number,
    "mentionsReadCount": number,
    "lastPostedAt": number,
    "pollVoters": number,
    "revision": number,
    "votedAt": timestamp,
    "requestedAt": timestamp,
    "decidedAt": timestamp,
}
"""Each attribute name the templates and Lambdas write, and its largest allowed value."""

WRITTEN_BY_LAMBDAS = {"rooms": ("deletingAt", "deletingBy")}
"""Attributes no API state keeps long enough to scan (deleteRoom's mark, gone once the
cascade ends); checked against the Lambda's source so a rename shows up here."""
TIMESTAMPS = {name for name, bound in BOUNDS.items() if bound is timestamp}


@pytest.fixture(scope="module")
def stored() -> dict[str, list[dict[str, Any]]]:
    """Every table's items after the API ran through every state that adds attributes."""
    with LocalApi() as api:
        room = create_room_with(
            api,
            {
                "name": "sizes",
                "type": "PUBLIC",
                "description": "every attribute",
                "memberIds": [api.sub_of(u) for u in ("bob", "carol")],
            },
        )["roomId"]
        update_settings(
            api,
            room,
            topic="every setting",
            messageRetentionDays=30,
            anonymousPosting=True,
            slowModeSeconds=1,
            allowedContentTypes=["image/png"],
        )
        mentioned = [api.sub_of("bob"), api.sub_of("carol")]
        first = send(api, room, "first", clientMessageId="c-1", mentions=mentioned)["messageId"]
        reply = send(api, room, "reply", user="bob", replyTo=first, clientMessageId="c-2")
        edit = """mutation($r: ID!, $m: ID!) {
          editMessage(roomId: $r, messageId: $m, content: "e") { content } }"""
        data(api.call(edit, {"r": room, "m": first}), "editMessage")
        data(message_mutation(api, "pinMessage", room, first), "pinMessage")
        for user in ("alice", "bob"):
            data(react(api, room, first, worst_emoji(), user=user), "addReaction")
        data(
            message_mutation(api, "deleteMessage", room, reply["messageId"], user="bob"),
            "deleteMessage",
        )
        mark = "mutation($r: ID!, $m: ID!) { markRead(roomId: $r, messageId: $m) { userId } }"
        data(api.call(mark, {"r": room, "m": first}, user="bob"), "markRead")
        set_role(api, room, "bob", "MODERATOR")
        mute(api, room, "carol")
        ban(api, room, "carol")
        add = "mutation($r: ID!, $u: ID!) { addMember(roomId: $r, userId: $u) { userId } }"
        data(api.call(add, {"r": room, "u": api.sub_of("dave")}), "addMember")
        update = (
            'mutation($r: ID!) { updateRoom(input: {roomId: $r, description: "d"}) { roomId } }'
        )
        data(api.call(update, {"r": room}), "updateRoom")
        created = api.call(
            """mutation($r: ID!) { createPoll(input: {roomId: $r, question: "q",
              options: ["a", "b"], closesAt: null}) { messageId } }""",
            {"r": room},
        )
        poll_id = data(created, "createPoll")["messageId"]
        vote = """mutation($r: ID!, $m: ID!) {
          votePoll(roomId: $r, messageId: $m, optionIds: ["o1"]) { messageId } }"""
        data(api.call(vote, {"r": room, "m": poll_id}, user="bob"), "votePoll")
        close = "mutation($r: ID!, $m: ID!) { closePoll(roomId: $r, messageId: $m) { messageId } }"
        data(api.call(close, {"r": room, "m": poll_id}), "closePoll")
        update_settings(api, room, requireApproval=True)
        ask = "mutation($r: ID!) { requestToJoin(roomId: $r) { status } }"
        for user in ("erin", "frank"):
            data(api.call(ask, {"r": room}, user=user), "requestToJoin")
        decide = """mutation($r: ID!, $u: ID!) {
          rejectJoinRequest(roomId: $r, userId: $u) { status } }"""
        data(api.call(decide, {"r": room, "u": api.sub_of("erin")}), "rejectJoinRequest")
        presence = 'mutation { updatePresence(status: ONLINE, customStatus: "here") { userId } }'
        data(api.call(presence), "updatePresence")
        system = """mutation($r: ID!) { postSystemMessage(input: {roomId: $r, content: "s",
          type: SYSTEM, clientMessageId: "s-1"}) { messageId } }"""
        data(api.call_iam(system, {"r": room}), "postSystemMessage")
        return {
            table: api.dynamodb.scan(TableName=name)["Items"]
            for table, name in api.table_names.items()
        }


def attribute_names(stored: dict[str, list[dict[str, Any]]], table: str) -> set[str]:
    names = {name for item in stored[table] for name in item}
    return names | set(WRITTEN_BY_LAMBDAS.get(table, ()))


def worst_item(names: set[str], bounds: Rules) -> dict[str, Any]:
    return {name: BOUNDS[name](bounds) for name in sorted(names)}


TABLES = (
    "messages",
    "rooms",
    "room_members",
    "presence",
    "idempotency",
    "mentions",
    "join_requests",
    "poll_votes",
)


@pytest.mark.parametrize("table", TABLES)
def test_every_written_attribute_has_a_bound(stored, table):
    assert stored[table], f"the flow wrote nothing to {table}"
    unbounded = attribute_names(stored, table) - set(BOUNDS)
    assert unbounded == set(), f"{table}: attributes without a bound in BOUNDS: {unbounded}"


@pytest.mark.parametrize("table", TABLES)
def test_the_largest_item_of_every_table_fits_dynamodb(stored, table):
    worst = worst_item(attribute_names(stored, table), rules.template_rules())
    size = item_size(worst)
    assert size <= DYNAMODB_ITEM_SIZE.value, f"{table}: worst case {size} bytes"


def test_the_message_bound_is_mostly_reactions_and_has_room_to_spare(stored):
    """The figure the README states: the largest message and what it is made of."""
    bounds = rules.template_rules()
    worst = worst_item(attribute_names(stored, "messages"), bounds)
    size = item_size(worst)
    reactions_size = item_size({"reactions": worst["reactions"]})
    assert reactions_size > size // 2
    assert 250_000 < size < DYNAMODB_ITEM_SIZE.value


def test_a_raised_bound_breaks_the_check(stored):
    names = attribute_names(stored, "messages")
    raised = {**rules.template_rules(), "maxReactorsPerEmoji": 2000}
    assert item_size(worst_item(names, raised)) > DYNAMODB_ITEM_SIZE.value


def test_stored_values_fit_the_shapes_the_bounds_assume(stored):
    for table in TABLES:
        for item in stored[table]:
            for name in TIMESTAMPS & set(item):
                assert TIMESTAMP.match(item[name]["S"]), (table, name, item[name])
            if "incarnation" in item:
                assert len(item["incarnation"]["S"]) == UUID_LENGTH
    reactors = {
        user
        for item in stored["messages"]
        for users in item.get("reactions", {}).get("M", {}).values()
        for user in users["SS"]
    }
    assert reactors and all(len(user) == COGNITO_SUB_LENGTH.value for user in reactors)


def test_the_largest_emoji_is_the_largest_the_pattern_accepts():
    pattern = java_regex(rules.REACTION_PATTERN)
    for candidate in reaction_candidates():
        assert pattern.fullmatch(candidate), candidate.encode("unicode_escape")
    assert not pattern.fullmatch(worst_emoji(elements=rules.EMOJI_MAX_ELEMENTS + 1))
    assert not pattern.fullmatch(worst_tag_sequence(rules.EMOJI_MAX_TAGS + 1))
    assert not pattern.fullmatch(worst_emoji() + "\U0001f3ff")


def test_utf16_units_hold_at_most_three_utf8_bytes():
    ratios = {
        len(chr(cp).encode("utf-8")) / (len(chr(cp).encode("utf-16-le")) // 2)
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF
    }
    assert max(ratios) == UTF8_BYTES_PER_UTF16_UNIT


def test_the_lambda_still_writes_the_mark_attributes():
    source = (ROOT / "functions/rooms/delete_room.py").read_text(encoding="utf-8")
    for name in WRITTEN_BY_LAMBDAS["rooms"]:
        assert name in source


def test_only_cognito_users_of_a_bounded_id_react(stored):
    """Reactors are Cognito subs: backends may not react, and a longer caller id is refused."""
    with LocalApi() as api:
        room = create_room_with(api, {"name": "r", "type": "PUBLIC"})["roomId"]
        message = send(api, room, "m")["messageId"]
        reaction = """mutation($r: ID!, $m: ID!, $e: String!) {
          addReaction(roomId: $r, messageId: $m, emoji: $e) { messageId } }"""
        variables = {"r": room, "m": message, "e": worst_emoji()}
        refused = api.call_iam(reaction, variables)
        assert refused["errors"][0]["errorType"] == "Unauthorized", refused
        assert len(api.sub_of("alice")) <= rules.MAX_REACTOR_ID_LENGTH
        data(api.call(reaction, variables), "addReaction")
        long_sub = cognito_identity("zed", ["Admin"], sub="s" * (rules.MAX_REACTOR_ID_LENGTH + 1))
        too_long = api.engine.execute(reaction, variables, None, long_sub, COGNITO)
        assert too_long["errors"][0]["errorType"] == "ValidationError", too_long
