"""Every operation of the API against every kind of caller, through the running emulator.

`MATRIX` is the rule book, derived from the README's "Rules it enforces" table (the one
access decision of `vtl/functions/getCallerMembership.response.vtl`), not from what the
API answers. Cells read (see `tests.security.outcomes`): `A` allowed (no error; a
subscription got `start_ack`), `H` allowed but the asked thing withheld (a null
profile), `D` denied (errorType Unauthorized, or
UnauthorizedException for missing credentials), or the exact other errorType a rule
prescribes although the caller passes authorization. After the calls,
`tests.security.effects` checks that every allowed membership change and room deletion
happened and every refused one left its target untouched. What subscribers receive after
a ban, a removal or a mute is `tests/security/test_subscription_traffic.py`.

The rules as the table applies them:
- a ban wins over every Cognito group: `bCogAdm`/`bCogMod` (in the group Admin/Moderator,
  banned from every room but the DIRECT one) get exactly what `banned` gets;
- a room the caller may not see answers Unauthorized whether it exists or not (no oracle),
  so a non-member's leaveRoom of a private room is D; callers who see every room (the
  Cognito groups) learn NotFound instead, having nothing to leave;
- a PUBLIC room's metadata is readable by anyone signed in, banned users included (it is
  what listPublicRooms shows anyway); a banned user's joinRoom is denied;
- muted means silent: muted members read, subscribe, mark read, delete their own messages
  and remove their reactions, but neither post, edit, react nor type; a muted MODERATOR
  keeps moderating (pin, delete others' messages, add, ban, mute) as their role allows;
- the Cognito groups Admin / Moderator have rank ADMIN / MODERATOR in every room without
  being members: they read, post and moderate (Admin also manages members and deletes
  rooms), but cannot join a non-public room (invitation only), have no read state of
  their own (markRead is denied) and nothing to leave (NotFound);
- in a DIRECT room nobody is added, banned or muted and nobody leaves: whoever may
  moderate there gets Conflict, the other party (a MEMBER) Unauthorized; its creator is
  its OWNER, who cannot leave (Conflict) like any owner;
- the owner cannot leave before handing ownership over: Conflict;
- nobody, not even the owner or an Admin, edits another user's message;
- createUpload follows posting for attachments (muted members and, in ANNOUNCEMENT rooms,
  members below MODERATOR get none), managing the room for room avatars (ADMIN and up,
  Cognito Admin), and is open to everyone signed in for their own avatar (no room);
- profiles: every signed-in user reads and changes their own (`me`, `updateProfile`);
  getUsers shows a profile (`A`) to those who share a room with its user, both not banned,
  and to the Cognito groups Admin / Moderator, who see every room (a ban from one room
  does not hide people they meet elsewhere); anyone else gets null for it (`H`), exactly
  as for an unknown id;
- getUpload shows an upload to its owner alone: anyone else gets null for it (`H`), exactly
  as for an unknown id, Cognito groups and room owners included;
- postSystemMessage and refreshAttachments are for IAM backends only: no user, whatever their role, may call it;
- whoever reads a room may report its messages (muted members too); moderators list and
  resolve reports and hide or show messages (a muted moderator too); only the room's
  admins (and the Cognito Admin group) read the audit trail (moderationLog).
- setRoomNotifications is a member's own preference: active members, a muted one too; the
  Cognito groups are no members, so they have none (like markRead);
- registerDevice / unregisterDevice concern the caller's own devices, in no room: every
  signed-in user, banned from rooms or not.

Cells run concurrently, at most `IN_FLIGHT` requests at a time, each with an explicit
generous timeout, so the table never depends on how busy the machine is.
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
    "cogMod": "cognito_moderator",
    "bCogAdm": "banned_cognito_admin",
    "bCogMod": "banned_cognito_moderator",
    "mutMod": "muted_moderator",
    "dmOther": "direct_other",
}
"""Column headings of MATRIX: the caller kinds of `tests.security.callers`."""

MATRIX = """
operation                           | out  nonmem member muted banned mod  admin owner    cogAdm   cogMod   bCogAdm  bCogMod  mutMod dmOther
getRoom(private)                    | D    D      A      A     D      A    A     A        A        A        D        D        A      D
getRoom(public)                     | D    A      A      A     A      A    A     A        A        A        A        A        A      A
getRoom(direct)                     | D    D      D      D     D      D    D     A        A        A        A        A        D      A
listPublicRooms                     | D    A      A      A     A      A    A     A        A        A        A        A        A      A
myRooms                             | D    A      A      A     A      A    A     A        A        A        A        A        A      A
myMentions                          | D    A      A      A     A      A    A     A        A        A        A        A        A      A
listMembers                         | D    D      A      A     D      A    A     A        A        A        D        D        A      D
listMessages                        | D    D      A      A     D      A    A     A        A        A        D        D        A      D
messageChanges                      | D    D      A      A     D      A    A     A        A        A        D        D        A      D
listMessages(direct)                | D    D      D      D     D      D    D     A        A        A        A        A        D      A
getMessage                          | D    D      A      A     D      A    A     A        A        A        D        D        A      D
getThread                           | D    D      A      A     D      A    A     A        A        A        D        D        A      D
listReadReceipts                    | D    D      A      A     D      A    A     A        A        A        D        D        A      D
listPinnedMessages                  | D    D      A      A     D      A    A     A        A        A        D        D        A      D
searchMessages(in room)             | D    D      A      A     D      A    A     A        A        A        D        D        A      D
getPresence                         | D    A      A      A     A      A    A     A        A        A        A        A        A      A
me                                  | D    A      A      A     A      A    A     A        A        A        A        A        A      A
getUsers(the private room's author) | D    H      A      A     H      A    A     A        A        A        A        A        A      H
getUpload(another user's)           | D    H      H      H     H      H    H     H        H        H        H        H        H      H
createRoom                          | D    A      A      A     A      A    A     A        A        A        A        A        A      A
updateRoom                          | D    D      D      D     D      D    A     A        A        D        D        D        D      D
updateRoomSettings                  | D    D      D      D     D      D    A     A        A        D        D        D        D      D
deleteRoom                          | D    D      D      D     D      D    D     A        A        D        D        D        D      D
joinRoom(public)                    | D    A      A      A     D      A    A     A        A        A        D        D        A      A
joinRoom(private)                   | D    D      A      A     D      A    A     A        D        D        D        D        A      D
requestToJoin                       | D    A      Conflict Conflict D Conflict Conflict Conflict A     A        D        D        Conflict A
listJoinRequests                    | D    D      D      D     D      A    A     A        A        A        D        D        A      D
approveJoinRequest(none pending)    | D    D      D      D     D      NotFound NotFound NotFound NotFound NotFound D D     NotFound D
rejectJoinRequest(none pending)     | D    D      D      D     D      NotFound NotFound NotFound NotFound NotFound D D     NotFound D
leaveRoom                           | D    D      A      A     D      A    A     Conflict NotFound NotFound D        D        A      D
leaveRoom(direct)                   | D    D      D      D     D      D    D     Conflict NotFound NotFound NotFound NotFound D      Conflict
addMember(as MEMBER)                | D    D      D      D     D      A    A     A        A        A        D        D        A      D
addMember(direct)                   | D    D      D      D     D      D    D     Conflict Conflict Conflict Conflict Conflict D      D
removeMember(a MEMBER)              | D    D      D      D     D      D    A     A        A        D        D        D        D      D
setMemberRole(to MODERATOR)         | D    D      D      D     D      D    A     A        A        D        D        D        D      D
banMember(a MEMBER)                 | D    D      D      D     D      A    A     A        A        A        D        D        A      D
banMember(direct: the other party)  | D    D      D      D     D      D    D     Conflict Conflict Conflict Conflict Conflict D      D
unbanMember(a banned user)          | D    D      D      D     D      A    A     A        A        A        D        D        A      D
muteMember(a MEMBER)                | D    D      D      D     D      A    A     A        A        A        D        D        A      D
muteMember(direct: the other party) | D    D      D      D     D      D    D     Conflict Conflict Conflict Conflict Conflict D      D
unmuteMember(a muted MEMBER)        | D    D      D      D     D      A    A     A        A        A        D        D        A      D
sendMessage(private)                | D    D      A      D     D      A    A     A        A        A        D        D        D      D
sendMessage(announcement)           | D    D      D      D     D      A    A     A        A        A        D        D        D      D
sendMessage(direct)                 | D    D      D      D     D      D    D     A        A        A        A        A        D      A
createUpload(attachment, private)   | D    D      A      D     D      A    A     A        A        A        D        D        D      D
createUpload(attachment, announcement) | D  D      D      D     D      A    A     A        A        A        D        D        D      D
createUpload(room avatar)           | D    D      D      D     D      D    A     A        A        D        D        D        D      D
createUpload(user avatar)           | D    A      A      A     A      A    A     A        A        A        A        A        A      A
postSystemMessage(as a user)        | D    D      D      D     D      D    D     D        D        D        D        D        D      D
refreshAttachments(as a user)       | D    D      D      D     D      D    D     D        D        D        D        D        D      D
editMessage(own)                    | D    D      A      D     D      A    A     A        A        A        D        D        D      D
editMessage(another's)              | D    D      D      D     D      D    D     D        D        D        D        D        D      D
deleteMessage(own)                  | D    D      A      A     D      A    A     A        A        A        D        D        A      D
deleteMessage(another's)            | D    D      D      D     D      A    A     A        A        A        D        D        A      D
addReaction                         | D    D      A      D     D      A    A     A        A        A        D        D        D      D
removeReaction                      | D    D      A      A     D      A    A     A        A        A        D        D        A      D
createPoll(private)                 | D    D      A      D     D      A    A     A        A        A        D        D        D      D
votePoll                            | D    D      A      D     D      A    A     A        A        A        D        D        D      D
closePoll(another's)                | D    D      D      D     D      A    A     A        A        A        D        D        A      D
pinMessage                          | D    D      D      D     D      A    A     A        A        A        D        D        A      D
unpinMessage                        | D    D      D      D     D      A    A     A        A        A        D        D        A      D
markRead                            | D    D      A      A     D      A    A     A        D        D        D        D        A      D
reportMessage                       | D    D      A      A     D      A    A     A        A        A        D        D        A      D
listReports                         | D    D      D      D     D      A    A     A        A        A        D        D        A      D
resolveReport                       | D    D      D      D     D      A    A     A        A        A        D        D        A      D
hideMessage                         | D    D      D      D     D      A    A     A        A        A        D        D        A      D
unhideMessage                       | D    D      D      D     D      A    A     A        A        A        D        D        A      D
moderationLog                       | D    D      D      D     D      D    A     A        A        D        D        D        D      D
updatePresence                      | D    A      A      A     A      A    A     A        A        A        A        A        A      A
updateProfile                       | D    A      A      A     A      A    A     A        A        A        A        A        A      A
sendTyping                          | D    D      A      D     D      A    A     A        A        A        D        D        D      D
setRoomNotifications                | D    D      A      A     D      A    A     A        D        D        D        D        A      D
registerDevice                      | D    A      A      A     A      A    A     A        A        A        A        A        A      A
unregisterDevice                    | D    A      A      A     A      A    A     A        A        A        A        A        A      A
onMessageAdded                      | D    D      A      A     D      A    A     A        A        A        D        D        A      D
onMessageUpdated                    | D    D      A      A     D      A    A     A        A        A        D        D        A      D
onTyping                            | D    D      A      A     D      A    A     A        A        A        D        D        A      D
onMemberChanged                     | D    D      A      A     D      A    A     A        A        A        D        D        A      D
onReadReceipt                       | D    D      A      A     D      A    A     A        A        A        D        D        A      D
onJoinRequest                       | D    D      D      D     D      A    A     A        A        A        D        D        A      D
onJoinRequestDecided                | D    A      A      A     D      A    A     A        A        A        D        D        A      A
onPresenceChanged                   | D    A      A      A     A      A    A     A        A        A        A        A        A      A
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
    return await ctx.http[kind].call(operation.query, variables, operation.judge)


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
