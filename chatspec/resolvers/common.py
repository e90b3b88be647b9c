"""Pipeline pieces shared by every area of the API.

`getCallerMembership` runs first in any pipeline that concerns a room: it stashes the
caller's membership item (`callerMember`), `callerBanned`, and `callerRank`
(0 none/banned, 1 MEMBER, 2 MODERATOR, 3 ADMIN, 4 OWNER, lifted by the Cognito groups
Admin and Moderator). Later functions decide on the stash, never on arguments.
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver

PIPELINE_BEFORE = "pipeline/before.vtl"
PIPELINE_AFTER = "pipeline/after.vtl"

FUNCTIONS: tuple[PipelineFunction, ...] = (
    PipelineFunction(
        name="getCallerMembership",
        data_source="RoomMembersTable",
        request="functions/getCallerMembership.request.vtl",
        response="functions/getCallerMembership.response.vtl",
        grants=(Grant("room_members", ("dynamodb:GetItem",)),),
        description="Loads the caller's membership of $ctx.stash.roomId and their rank.",
    ),
)
RESOLVERS: tuple[Resolver, ...] = ()
