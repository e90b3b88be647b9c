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
from chatspec.resolvers.common import MEMBERSHIP, function, pipeline

ROOM_COUNT = Grant("rooms", ("dynamodb:UpdateItem",))


FUNCTIONS: tuple[PipelineFunction, ...] = (
    function(
        "membersLoadTarget",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:GetItem",)),),
        "Stashes targetMember and targetRank for $ctx.args.userId.",
    ),
    function(
        "membersListMembers",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:Query",)),),
        "The room's members, for members; banned ones for moderators and up.",
    ),
    function(
        "membersJoinRoom",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:PutItem",)), ROOM_COUNT),
        "Membership Put + memberCount below maxMembers, one transaction.",
    ),
    function(
        "membersLeaveRoom",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), ROOM_COUNT),
        "Membership Delete + memberCount decrement, one transaction.",
    ),
    function(
        "membersAddMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:PutItem",)), ROOM_COUNT),
        "Invitation: membership Put + memberCount below maxMembers, one transaction.",
    ),
    function(
        "membersRemoveMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), ROOM_COUNT),
        "Membership Delete + memberCount decrement, one transaction.",
    ),
    function(
        "membersSetMemberRole",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "Role change; an ownership transfer demotes the owner in the same transaction.",
    ),
    function(
        "membersBanMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)), ROOM_COUNT),
        "isBanned + memberCount decrement, one transaction.",
    ),
    function(
        "membersUnbanMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)),),
        "Deletes the ban item.",
    ),
    function(
        "membersSetMuted",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "isMuted for muteMember/unmuteMember.",
    ),
)


def _invalidating(field: str, *functions: str) -> Resolver:
    """A pipeline whose own response template ends the subject's room subscriptions."""
    return pipeline(field, MEMBERSHIP, *functions, after=f"members/{field}.response.vtl")


RESOLVERS: tuple[Resolver, ...] = (
    pipeline("Query.listMembers", MEMBERSHIP, "membersListMembers"),
    pipeline("Mutation.joinRoom", MEMBERSHIP, "roomsLoadRoom", "membersJoinRoom"),
    _invalidating("Mutation.leaveRoom", "membersLeaveRoom"),
    pipeline(
        "Mutation.addMember", MEMBERSHIP, "roomsLoadRoom", "membersLoadTarget", "membersAddMember"
    ),
    _invalidating("Mutation.removeMember", "membersLoadTarget", "membersRemoveMember"),
    pipeline("Mutation.setMemberRole", MEMBERSHIP, "membersLoadTarget", "membersSetMemberRole"),
    _invalidating("Mutation.banMember", "membersLoadTarget", "membersBanMember"),
    pipeline("Mutation.unbanMember", MEMBERSHIP, "membersLoadTarget", "membersUnbanMember"),
    pipeline("Mutation.muteMember", MEMBERSHIP, "membersLoadTarget", "membersSetMuted"),
    pipeline("Mutation.unmuteMember", MEMBERSHIP, "membersLoadTarget", "membersSetMuted"),
    pipeline(
        "Subscription.onMemberChanged",
        MEMBERSHIP,
        after="members/Subscription.onMemberChanged.response.vtl",
    ),
)
