"""Resolver wiring: membership (listMembers, join/leave, add/remove, roles, bans, mutes).

Every pipeline runs `getCallerMembership` first, so rules read `callerRank` (0 none or
banned, 1 MEMBER, 2 MODERATOR, 3 ADMIN, 4 OWNER; Cognito Admin/Moderator lift it to 3/2
in every room) and, for moderation, `membersLoadTarget` stashes the target's item and
`targetRank` on the same scale. "Below" means targetRank < callerRank, which also rules
out acting on the owner and on peers.

| mutation      | caller                      | target / role                              |
| ------------- | --------------------------- | ------------------------------------------ |
| joinRoom      | anyone not banned           | PUBLIC rooms; a second join returns the    |
|               |                             | existing membership (idempotent)           |
| leaveRoom     | any member but the OWNER    | OWNER hands over with setMemberRole first  |
| addMember     | MODERATOR and above         | non-member, not banned; role (default      |
|               |                             | MEMBER) below own rank, never OWNER        |
| removeMember  | ADMIN and above             | member below own rank                      |
| setMemberRole | ADMIN and above             | member below own rank; new role below own  |
| setMemberRole | the OWNER, with role OWNER  | any member; owner becomes ADMIN atomically |
| banMember     | MODERATOR and above         | member below own rank (moderators: MEMBER) |
| unbanMember   | MODERATOR and above         | a banned user; the ban item is deleted     |
| muteMember    | MODERATOR and above         | member below own rank                      |
| unmuteMember  | MODERATOR and above         | member below own rank                      |

Nobody targets themselves (leaveRoom is the way out). DIRECT rooms keep their two
members: no add, remove, leave or ban there. addMember never grants OWNER. A ban keeps
the item (isBanned, role reset to MEMBER) so the user cannot rejoin; banned users do
not count in memberCount and can neither read, post, subscribe nor leave.
Every change of membership or memberCount is one TransactWriteItems with both items.
leaveRoom, removeMember and banMember end the subject's subscriptions to the room in
their own response templates (`$extensions.invalidateSubscriptions`).
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import PIPELINE_AFTER, PIPELINE_BEFORE

ROOM_COUNT = Grant("rooms", ("dynamodb:UpdateItem",))


def _function(name: str, data_source: str, grants: tuple[Grant, ...], description: str):
    return PipelineFunction(
        name=name,
        data_source=data_source,
        request=f"functions/{name}.request.vtl",
        response=f"functions/{name}.response.vtl",
        grants=grants,
        description=description,
    )


FUNCTIONS: tuple[PipelineFunction, ...] = (
    _function(
        "membersLoadTarget",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:GetItem",)),),
        "Stashes targetMember and targetRank for $ctx.args.userId.",
    ),
    _function(
        "membersListMembers",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:Query",)),),
        "The room's members, for members; banned ones for moderators and up.",
    ),
    _function(
        "membersJoinRoom",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:PutItem",)), ROOM_COUNT),
        "Membership Put + memberCount below maxMembers, one transaction.",
    ),
    _function(
        "membersLeaveRoom",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), ROOM_COUNT),
        "Membership Delete + memberCount decrement, one transaction.",
    ),
    _function(
        "membersAddMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:PutItem",)), ROOM_COUNT),
        "Invitation: membership Put + memberCount below maxMembers, one transaction.",
    ),
    _function(
        "membersRemoveMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), ROOM_COUNT),
        "Membership Delete + memberCount decrement, one transaction.",
    ),
    _function(
        "membersSetMemberRole",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "Role change; an ownership transfer demotes the owner in the same transaction.",
    ),
    _function(
        "membersBanMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)), ROOM_COUNT),
        "isBanned + memberCount decrement, one transaction.",
    ),
    _function(
        "membersUnbanMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)),),
        "Deletes the ban item.",
    ),
    _function(
        "membersSetMuted",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "isMuted for muteMember/unmuteMember.",
    ),
)


def _pipeline(field: str, functions: tuple[str, ...], response: str = PIPELINE_AFTER) -> Resolver:
    type_name, field_name = field.split(".")
    return Resolver(
        type_name=type_name,
        field_name=field_name,
        kind="PIPELINE",
        request=PIPELINE_BEFORE,
        response=response,
        functions=("getCallerMembership", *functions),
    )


def _invalidating(field: str, functions: tuple[str, ...]) -> Resolver:
    return _pipeline(field, functions, response=f"members/{field}.response.vtl")


RESOLVERS: tuple[Resolver, ...] = (
    _pipeline("Query.listMembers", ("membersListMembers",)),
    _pipeline("Mutation.joinRoom", ("roomsLoadRoom", "membersJoinRoom")),
    _invalidating("Mutation.leaveRoom", ("membersLeaveRoom",)),
    _pipeline("Mutation.addMember", ("roomsLoadRoom", "membersLoadTarget", "membersAddMember")),
    _invalidating("Mutation.removeMember", ("membersLoadTarget", "membersRemoveMember")),
    _pipeline("Mutation.setMemberRole", ("membersLoadTarget", "membersSetMemberRole")),
    _invalidating("Mutation.banMember", ("membersLoadTarget", "membersBanMember")),
    _pipeline("Mutation.unbanMember", ("membersLoadTarget", "membersUnbanMember")),
    _pipeline("Mutation.muteMember", ("membersLoadTarget", "membersSetMuted")),
    _pipeline("Mutation.unmuteMember", ("membersLoadTarget", "membersSetMuted")),
    _pipeline(
        "Subscription.onMemberChanged",
        (),
        response="members/Subscription.onMemberChanged.response.vtl",
    ),
)
