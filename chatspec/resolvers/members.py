"""Resolver wiring: membership (listMembers, join/leave, add/remove, roles, bans, mutes).

Every pipeline runs `getCallerMembership` first, the access decision (`$ctx.stash.access`:
effective rank 0 none/banned, 1 MEMBER, 2 MODERATOR, 3 ADMIN, 4 OWNER, Cognito
Admin/Moderator lifting it to 3/2 in every room unless banned there, and `may.*`). The
mutations on another member then run ONE shared moderation check, `membersLoadTarget`
(its response template holds every rule of the table below); the write functions after
it only build their requests. "Below" means the target's rank is lower than the caller's,
which also rules out acting on the owner and on peers.

| mutation      | caller (access.may)          | target / role                              |
| ------------- | ---------------------------- | ------------------------------------------ |
| joinRoom      | join: anyone not banned      | PUBLIC rooms; a second join returns the    |
|               |                              | existing membership (idempotent)           |
| leaveRoom     | leave: any member, not OWNER | OWNER hands over with setMemberRole first  |
| addMember     | moderate (MODERATOR and up)  | non-member, not banned; role (default      |
|               |                              | MEMBER) below own rank, never OWNER        |
| removeMember  | manageMembers (ADMIN and up) | member below own rank                      |
| setMemberRole | manageMembers                | member below own rank; new role below own  |
| setMemberRole | the OWNER, with role OWNER   | any member; owner becomes ADMIN atomically |
| banMember     | moderate                     | member below own rank (moderators: MEMBER) |
|               |                              | or a non-member (a ban item of its own)    |
| requestToJoin | join, room requireApproval   | one PENDING request per user               |
| listJoin...   | moderate                     | the room's PENDING requests                |
| approve/reject| moderate                     | PENDING; approval re-checks ban, maxMembers|
| unbanMember   | moderate                     | a banned user; the ban item is deleted     |
| muteMember    | moderate                     | member below own rank                      |
| unmuteMember  | moderate                     | member below own rank                      |

Nobody targets themselves (leaveRoom is the way out). DIRECT rooms keep their two members,
unmuted: no add, remove, leave, ban or mute there, so neither party can silence or trap
the other. addMember never grants OWNER. A ban keeps the item (isBanned, role reset to
MEMBER) so the user cannot rejoin; banned users do not count in memberCount and can
neither read, post, subscribe nor leave, whatever their Cognito groups. Muted members read
and receive but post, react and type nothing; a muted moderator still moderates.
Every change of membership or memberCount is one TransactWriteItems with both items, the
room item's update carrying the room guard (the room exists, is not being deleted, is the
incarnation the decision read). leaveRoom, removeMember and banMember end the subject's
subscriptions to the room in their own response templates
(`$extensions.invalidateSubscriptions`). removeMember, banMember, unbanMember, muteMember
and unmuteMember take an optional `reason` and write the room's audit entry (who, whom,
when, why) in the same transaction as the change, so no action goes unrecorded.
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, pipeline, step

ROOM_COUNT = Grant("rooms", ("dynamodb:UpdateItem",))
AUDIT = Grant("moderation", ("dynamodb:PutItem",))
"""The audit entry that removeMember, banMember, unbanMember and (un)muteMember write in
the same transaction as their change (`chatspec.resolvers.moderation`)."""


FUNCTIONS: tuple[PipelineFunction, ...] = (
    step(
        "membersLoadTarget",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:GetItem",)),),
        "The moderation check of every membership mutation; stashes targetMember.",
    ),
    step(
        "membersListMembers",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:Query",)),),
        "The room's members, for members; banned ones for moderators and up.",
        response="shared/page.response.vtl",
    ),
    step(
        "membersJoinRoom",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:PutItem",)), ROOM_COUNT),
        "Membership Put + memberCount below maxMembers, one transaction.",
    ),
    step(
        "membersLeaveRoom",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), ROOM_COUNT),
        "Membership Delete + memberCount decrement, one transaction.",
    ),
    step(
        "membersAddMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:PutItem",)), ROOM_COUNT),
        "Invitation: membership Put + memberCount below maxMembers, one transaction.",
    ),
    step(
        "membersRemoveMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), ROOM_COUNT, AUDIT),
        "Membership Delete + memberCount decrement + audit entry, one transaction.",
    ),
    step(
        "membersSetMemberRole",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "Role change; an ownership transfer demotes the owner in the same transaction.",
    ),
    step(
        "membersBanMember",
        "RoomMembersTable",
        (
            Grant("room_members", ("dynamodb:UpdateItem", "dynamodb:PutItem")),
            Grant("rooms", ("dynamodb:UpdateItem", "dynamodb:ConditionCheckItem")),
            AUDIT,
        ),
        "isBanned + memberCount decrement + audit entry, one transaction; a non-member gets "
        "a ban item.",
    ),
    step(
        "membersUnbanMember",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:DeleteItem",)), AUDIT),
        "Deletes the ban item; audit entry in the same transaction.",
    ),
    step(
        "joinRequestsCreate",
        "JoinRequestsTable",
        (
            Grant("join_requests", ("dynamodb:PutItem",)),
            Grant("rooms", ("dynamodb:ConditionCheckItem",)),
        ),
        "requestToJoin: a PENDING request in a requireApproval room, with the room guard.",
    ),
    step(
        "joinRequestsList",
        "JoinRequestsTable",
        (Grant("join_requests", ("dynamodb:Query",)),),
        "listJoinRequests: the room's PENDING requests, for moderators and up.",
    ),
    step(
        "joinRequestsDecide",
        "JoinRequestsTable",
        (
            Grant("join_requests", ("dynamodb:UpdateItem",)),
            Grant("room_members", ("dynamodb:PutItem",)),
            Grant("rooms", ("dynamodb:UpdateItem", "dynamodb:ConditionCheckItem")),
        ),
        "approve/rejectJoinRequest: request, membership (bans, maxMembers) in one transaction.",
    ),
    step(
        "membersSetMuted",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)), AUDIT),
        "isMuted for muteMember/unmuteMember; audit entry in the same transaction.",
    ),
    step(
        "membersSetNotifications",
        "RoomMembersTable",
        (Grant("room_members", ("dynamodb:UpdateItem",)),),
        "notificationsMuted, the caller's own push preference (setRoomNotifications).",
    ),
)


RESOLVERS: tuple[Resolver, ...] = (
    pipeline("Query.listMembers", MEMBERSHIP, "membersListMembers", before=PIPELINE_BEFORE),
    pipeline("Mutation.joinRoom", MEMBERSHIP, "membersJoinRoom", before=PIPELINE_BEFORE),
    pipeline(
        "Mutation.leaveRoom",
        MEMBERSHIP,
        "membersLeaveRoom",
        after="shared/lostAccess.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.addMember",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersAddMember",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.removeMember",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersRemoveMember",
        after="shared/lostAccess.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.setMemberRole",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersSetMemberRole",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.banMember",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersBanMember",
        after="shared/lostAccess.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.unbanMember",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersUnbanMember",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.muteMember",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersSetMuted",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.unmuteMember",
        MEMBERSHIP,
        "membersLoadTarget",
        "membersSetMuted",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.setRoomNotifications",
        MEMBERSHIP,
        "membersSetNotifications",
        before=PIPELINE_BEFORE,
    ),
    pipeline("Mutation.requestToJoin", MEMBERSHIP, "joinRequestsCreate", before=PIPELINE_BEFORE),
    pipeline("Query.listJoinRequests", MEMBERSHIP, "joinRequestsList", before=PIPELINE_BEFORE),
    pipeline(
        "Mutation.approveJoinRequest", MEMBERSHIP, "joinRequestsDecide", before=PIPELINE_BEFORE
    ),
    pipeline(
        "Mutation.rejectJoinRequest", MEMBERSHIP, "joinRequestsDecide", before=PIPELINE_BEFORE
    ),
    pipeline(
        "Subscription.onJoinRequest",
        MEMBERSHIP,
        after="joins/Subscription.onJoinRequest.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Subscription.onJoinRequestDecided",
        MEMBERSHIP,
        after="joins/Subscription.onJoinRequestDecided.response.vtl",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Subscription.onMemberChanged",
        MEMBERSHIP,
        after="shared/roomSubscription.response.vtl",
        before=PIPELINE_BEFORE,
    ),
)
