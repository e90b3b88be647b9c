"""Resolver wiring: user profiles (me, updateProfile, getUsers, Message.author, RoomMember.user).

| field            | who                                   | how                                   |
| ---------------- | ------------------------------------- | ------------------------------------- |
| me               | any signed-in user, their own profile | VTL: GetItem, then create if missing  |
| updateProfile    | any signed-in user, their own profile | VTL: one UpdateItem; with an avatar   |
|                  |                                       | change a transaction (pipeline below) |
| getUsers         | signed-in users; shared rooms only    | users Lambda (join: memberships)      |
| Message.author   | whoever could read the message        | users Lambda, BatchInvoke             |
| RoomMember.user  | whoever could read the membership     | users Lambda, BatchInvoke             |

Identity comes from `$ctx.identity.sub` only; no argument names the profile to change.
The visibility rule is in `functions/users/visibility.py`. The batched fields have a
`max_batch_size` of `rules.PROFILE_BATCH_SIZE`, so one batch's distinct users always fit
one BatchGetItem: a page of 50 messages costs one invocation and one BatchGetItem.

updateProfile is a pipeline whose avatar steps do nothing unless the input names
avatarUploadId: (1) the caller's profile, for the avatar it shows now; (2) that upload and
the new one, one consistent BatchGetItem; (3) the write: one UpdateItem, or, when the
avatar changes, one TransactWriteItems that updates the profile, claims the new upload and
releases the replaced one (`functions/common/uploads.py` says what claimed and released
mean); (4) the profile read back after a transaction; (5) the uploads Lambda deletes the
released upload's file, thumbnail and record. Its URLs (`UserProfile.avatarUrl`,
`avatarThumbnailUrl`) are uploads fields (`chatspec/resolvers/uploads.py`).
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import PIPELINE_BEFORE, pipeline, step
from chatspec.resolvers.uploads import DELETE_REPLACED
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
    step(
        "usersAvatarLoadProfile",
        "UsersTable",
        (Grant("users", ("dynamodb:GetItem",)),),
        "updateProfile with avatarUploadId: the caller's profile, for the avatar it replaces.",
    ),
    step(
        "usersAvatarLoadUploads",
        "UploadsTable",
        (Grant("uploads", ("dynamodb:BatchGetItem",)),),
        "updateProfile: the new avatar's upload and the replaced one (one BatchGetItem).",
    ),
    step(
        "usersUpdateProfile",
        "UsersTable",
        (Grant("users", ("dynamodb:UpdateItem",)), Grant("uploads", ("dynamodb:UpdateItem",))),
        "updateProfile: the caller's profile; an avatar change claims the new upload and "
        "releases the replaced one in the same transaction.",
    ),
    step(
        "usersReadProfile",
        "UsersTable",
        (Grant("users", ("dynamodb:GetItem",)),),
        "updateProfile, after a transaction: the profile as written.",
    ),
)


UPDATE_PROFILE_STEPS = (
    "usersAvatarLoadProfile",
    "usersAvatarLoadUploads",
    "usersUpdateProfile",
    "usersReadProfile",
    DELETE_REPLACED,
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
    pipeline(
        "Mutation.updateProfile",
        *UPDATE_PROFILE_STEPS,
        before=PIPELINE_BEFORE,
        description="The caller changes their own display name, status text or avatar.",
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
