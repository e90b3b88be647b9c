"""Every operation of the API against every kind of caller, through the running emulator.

`MATRIX` is the rule book, derived from issue #3 and the rule tables in
`chatspec/resolvers/rooms.py` and `members.py`. Cells read (see `tests.security.outcomes`):
`A` allowed (no error; a subscription got `start_ack`), `D` denied (errorType
Unauthorized, or UnauthorizedException for missing credentials), or the exact other
errorType a rule prescribes although the caller passes authorization. After the calls,
`tests.security.effects` checks that every allowed membership change and room deletion
happened and every refused one left its target untouched.

Decisions the table encodes beyond the issue's wording:
- a PUBLIC room's metadata is readable by anyone signed in, banned users included (it is
  what listPublicRooms shows anyway); a banned user's joinRoom is denied;
- muted members read, react, type, mark read, delete their own messages and subscribe;
  they cannot post or edit (editing is posting new content);
- the Cognito Admin group has rank ADMIN in every room without being a member: it reads,
  posts, moderates, deletes rooms, but cannot join a non-public room (invitation only)
  and has no read state of its own (markRead is denied), nor anything to leave (NotFound);
- the owner cannot leave before handing ownership over: Conflict;
- nobody, not even the owner or an Admin, edits another user's message;
- postSystemMessage is for IAM backends only: no user, whatever their role, may call it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from emulator.core.schema import load_schema
from tests.security.callers import (
    AUTHOR,
    KINDS,
    SIGNED_OUT,
    USER_OF_KIND,
    create_matrix_users,
    http_sessions,
    subscription_outcome,
)
from tests.security.effects import effect_mismatches
from tests.security.operations import OPERATIONS, Operation
from tests.security.outcomes import Outcome, render
from tests.security.world import World, build_world

pytestmark = pytest.mark.e2e

COLUMN_KINDS = {
    "out": "signed_out",
    "nonmem": "non_member",
    "member": "member",
    "muted": "muted",
    "banned": "banned",
    "mod": "moderator",
    "admin": "admin",
    "owner": "owner",
    "cogAdm": "cognito_admin",
}
"""Column headings of MATRIX: the caller kinds of `tests.security.callers`."""

MATRIX = """
operation                    | out    nonmem member muted  banned mod    admin  owner  cogAdm
getRoom(private)             | D      D      A      A      D      A      A      A      A
getRoom(public)              | D      A      A      A      A      A      A      A      A
listPublicRooms              | D      A      A      A      A      A      A      A      A
myRooms                      | D      A      A      A      A      A      A      A      A
listMembers                  | D      D      A      A      D      A      A      A      A
listMessages                 | D      D      A      A      D      A      A      A      A
messageChanges               | D      D      A      A      D      A      A      A      A
getMessage                   | D      D      A      A      D      A      A      A      A
getThread                    | D      D      A      A      D      A      A      A      A
listPinnedMessages           | D      D      A      A      D      A      A      A      A
searchMessages(in room)      | D      D      A      A      D      A      A      A      A
getPresence                  | D      A      A      A      A      A      A      A      A
createRoom                   | D      A      A      A      A      A      A      A      A
updateRoom                   | D      D      D      D      D      D      A      A      A
deleteRoom                   | D      D      D      D      D      D      D      A      A
joinRoom(public)             | D      A      A      A      D      A      A      A      A
joinRoom(private)            | D      D      A      A      D      A      A      A      D
leaveRoom                    | D      NotFound A      A      D      A      A      Conflict NotFound
addMember(as MEMBER)         | D      D      D      D      D      A      A      A      A
removeMember(a MEMBER)       | D      D      D      D      D      D      A      A      A
setMemberRole(to MODERATOR)  | D      D      D      D      D      D      A      A      A
banMember(a MEMBER)          | D      D      D      D      D      A      A      A      A
unbanMember(a banned user)   | D      D      D      D      D      A      A      A      A
muteMember(a MEMBER)         | D      D      D      D      D      A      A      A      A
unmuteMember(a muted MEMBER) | D      D      D      D      D      A      A      A      A
sendMessage(private)         | D      D      A      D      D      A      A      A      A
sendMessage(announcement)    | D      D      D      D      D      A      A      A      A
postSystemMessage(as a user) | D      D      D      D      D      D      D      D      D
editMessage(own)             | D      D      A      D      D      A      A      A      A
editMessage(another's)       | D      D      D      D      D      D      D      D      D
deleteMessage(own)           | D      D      A      A      D      A      A      A      A
deleteMessage(another's)     | D      D      D      D      D      A      A      A      A
addReaction                  | D      D      A      A      D      A      A      A      A
removeReaction               | D      D      A      A      D      A      A      A      A
pinMessage                   | D      D      D      D      D      A      A      A      A
unpinMessage                 | D      D      D      D      D      A      A      A      A
markRead                     | D      D      A      A      D      A      A      A      D
updatePresence               | D      A      A      A      A      A      A      A      A
sendTyping                   | D      D      A      A      D      A      A      A      A
onMessageAdded               | D      D      A      A      D      A      A      A      A
onMessageUpdated             | D      D      A      A      D      A      A      A      A
onTyping                     | D      D      A      A      D      A      A      A      A
onMemberChanged              | D      D      A      A      D      A      A      A      A
onPresenceChanged            | D      A      A      A      A      A      A      A      A
"""


def parse_matrix(text: str) -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    header, *rows = [line for line in text.strip().splitlines() if line.strip()]
    columns = tuple(COLUMN_KINDS[heading] for heading in header.split("|")[1].split())
    table: dict[str, dict[str, str]] = {}
    for line in rows:
        row, cells = (part.strip() for part in line.split("|"))
        values = cells.split()
        assert len(values) == len(columns), f"row {row!r} has {len(values)} cells"
        table[row] = dict(zip(columns, values, strict=True))
    return columns, table


COLUMNS, EXPECTED = parse_matrix(MATRIX)
SCHEMA = Path(__file__).resolve().parents[2] / "schema.graphql"


def schema_operations() -> set[str]:
    schema = load_schema(SCHEMA.read_text())
    return {
        name
        for root in (schema.query_type, schema.mutation_type, schema.subscription_type)
        for name in root.fields
    }


def test_the_table_covers_every_operation_and_every_caller_kind():
    assert COLUMNS == KINDS
    assert list(EXPECTED) == [operation.row for operation in OPERATIONS]
    assert {operation.field for operation in OPERATIONS} == schema_operations()


async def run_cell(operation: Operation, kind: str, world: World, ctx) -> Outcome:
    variables = operation.variables(world, kind)
    if operation.subscription:
        async with ctx.http[kind].limit:
            return await subscription_outcome(
                ctx.outputs, ctx.tokens[kind], operation.query, variables
            )
    return await ctx.http[kind].call(operation.query, variables)


class Context:
    def __init__(self, outputs, tokens, http) -> None:
        self.outputs = outputs
        self.tokens = tokens
        self.http = http


async def test_every_operation_against_every_caller_kind(outputs, users):
    create_matrix_users(users)
    names = [*USER_OF_KIND.values(), AUTHOR]
    subs = {name: users.sub(name) for name in names}
    tokens = {kind: users.token(name) for kind, name in USER_OF_KIND.items()}
    tokens[SIGNED_OUT] = None
    http_tokens = {**tokens, AUTHOR: users.token(AUTHOR)}
    async with http_sessions(outputs, http_tokens) as http:
        world = await build_world(http, subs)
        ctx = Context(outputs, tokens, http)
        cells = [(operation, kind) for operation in OPERATIONS for kind in COLUMNS]
        outcomes = await asyncio.gather(
            *(run_cell(operation, kind, world, ctx) for operation, kind in cells)
        )
        effects = await effect_mismatches(EXPECTED, world, http["owner"], http["cognito_admin"])
    actual: dict[str, dict[str, Outcome]] = {}
    for (operation, kind), outcome in zip(cells, outcomes, strict=True):
        actual.setdefault(operation.row, {})[kind] = outcome
    mismatches = [
        (row, kind)
        for row, expected_row in EXPECTED.items()
        for kind, want in expected_row.items()
        if actual[row][kind].verdict != want
    ]
    assert not mismatches, f"{len(mismatches)} cells differ from the rules:\n" + render(
        EXPECTED, actual, COLUMNS
    )
    assert not effects, "writes that contradict the verdicts:\n" + "\n".join(effects)
