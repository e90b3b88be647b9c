"""Resolver wiring: user profiles (me, updateProfile, getUsers, Message.author, RoomMember.user).

| field            | who                                   | how                                   |
| ---------------- | ------------------------------------- | ------------------------------------- |
| me               | any signed-in user, their own profile | VTL: GetItem, then create if missing  |
| updateProfile    | any signed-in user, their own profile | VTL: one UpdateItem                   |
| getUsers         | signed-in users; shared rooms only    | users Lambda (join: memberships)      |
| Message.author   | whoever could read the message        | users Lambda, BatchInvoke             |
| RoomMember.user  | whoever could read the membership     | users Lambda, BatchInvoke             |

Identity comes from `$ctx.identity.sub` only; no argument names the profile to change.
The visibility rule is in `functions/users/visibility.py`. The batched fields have a
`max_batch_size` of `rules.PROFILE_BATCH_SIZE`, so one batch's distinct users always fit
one BatchGetItem: a page of 50 messages costs one invocation and one BatchGetItem.
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import PIPELINE_BEFORE, pipeline, step
from chatspec.rules import PROFILE_BATCH_SIZE

FUNCTIONS: tuple[PipelineFunction, ...] = (
    step(
        "usersGetProfile",
        "UsersTable",
        (Grant("users", ("dynamodb:GetItem",)),),
        "me, step 1: the caller's profile.",
    ),
    step(
        "usersCreateProfile",
        "UsersTable",
        (Grant("users", ("dynamodb:UpdateItem",)),),
        "me, step 2: creates the profile when step 1 found none (if_not_exists, race-free).",
    ),
)


def _batched(field: str, description: str) -> Resolver:
    type_name, field_name = field.split(".")
    return Resolver(
        type_name=type_name,
        field_name=field_name,
        kind="UNIT",
        data_source="UsersLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description=description,
        max_batch_size=PROFILE_BATCH_SIZE,
    )


RESOLVERS: tuple[Resolver, ...] = (
    pipeline(
        "Query.me",
        "usersGetProfile",
        "usersCreateProfile",
        before=PIPELINE_BEFORE,
        description="The caller's profile, created on first use.",
    ),
    Resolver(
        type_name="Mutation",
        field_name="updateProfile",
        kind="UNIT",
        data_source="UsersTable",
        request="profiles/Mutation.updateProfile.request.vtl",
        response="profiles/Mutation.updateProfile.response.vtl",
        grants=(Grant("users", ("dynamodb:UpdateItem",)),),
        description="The caller changes their own display name or status text.",
    ),
    Resolver(
        type_name="Query",
        field_name="getUsers",
        kind="UNIT",
        data_source="UsersLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="Up to 100 profiles the caller may see (shared rooms).",
    ),
    _batched("Message.author", "The author's profile; one batch per page."),
    _batched("RoomMember.user", "The member's profile; one batch per page."),
)
