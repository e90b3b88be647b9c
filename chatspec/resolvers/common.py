"""Pipeline pieces shared by every area of the API.

`getCallerMembership` runs first in any pipeline that concerns a room and makes THE access
decision of the request, once: it reads the caller's membership, the room and (when the
before template stashed a messageId) the message in one TransactGetItems, and stashes
`access` (see its response template for every key): the caller's id, the effective rank,
`may.<action>` and `why.<action>` for view, read, post, react, type, moderate,
manageMembers, join, leave, markRead and deleteRoom, and `guard`, the condition on the room
item that writes adding to the room carry. Later functions, subscription responses and the
Lambdas behind pipelines decide on `access`, never on arguments or raw membership fields
(`tests/contract/test_access_decision.py` enforces it).

IAM callers are trusted backends (a bot, an AI assistant, a moderation service) and reach
only the fields that carry `@aws_iam`. The template recognises them by `$util.authType()`,
which a user-pool caller cannot influence; they read and post like a member in every room
that exists (no membership applies to them), with the id `iam:<role name>` (assumed role)
or `iam:<user name>` (IAM user) from `userArn`, so retries from new STS sessions of one
role stay one author. Identity-pool credentials are refused.

`step` (a pipeline function) and `pipeline` build the plain records every area module
wires with.
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import Grant, PipelineFunction, Resolver

PIPELINE_BEFORE = "pipeline/before.vtl"
PIPELINE_AFTER = "pipeline/after.vtl"
"""The after template of most pipelines: the last step's result, with anonymous authors
hidden from whoever may not see them (the one place that decides it)."""
MESSAGE_BEFORE = PIPELINE_BEFORE
"""Kept for callers: the one before template stashes the messageId whenever there is one."""
MEMBERSHIP = "getCallerMembership"
ACCESS = MEMBERSHIP
"""The access decision is the membership step."""
LAMBDA_INVOKE_REQUEST = "functions/lambdaInvoke.request.vtl"


def step(
    name: str,
    data_source: str,
    grants: tuple[Grant, ...],
    description: str,
    *,
    request: str | None = None,
    response: str | None = None,
) -> PipelineFunction:
    """A pipeline function (an AppSync function: one data-source request of a pipeline; not
    a Lambda) whose templates are `functions/<name>.{request,response}.vtl` unless
    `request`/`response` name others. `python -m chatspec.describe Type.field` prints the
    paths each field runs."""
    return PipelineFunction(
        name=name,
        data_source=data_source,
        request=request or f"functions/{name}.request.vtl",
        response=response or f"functions/{name}.response.vtl",
        grants=grants,
        description=description,
    )


def lambda_step(name: str, data_source: str, description: str) -> PipelineFunction:
    """A pipeline function that invokes a Lambda with the access decision in its event."""
    return step(
        name,
        data_source,
        (),
        description,
        request=LAMBDA_INVOKE_REQUEST,
        response=DIRECT_LAMBDA_RESPONSE,
    )


def pipeline(
    field: str,
    *functions: str,
    before: str,
    after: str = PIPELINE_AFTER,
    description: str = "",
) -> Resolver:
    """The PIPELINE resolver of `field` ("Type.field"): `functions` in order between the
    `before` and `after` templates. `before` has no default so that every wiring names the
    template that runs first (today always `PIPELINE_BEFORE`)."""
    type_name, field_name = field.split(".")
    return Resolver(
        type_name=type_name,
        field_name=field_name,
        kind="PIPELINE",
        request=before,
        response=after,
        functions=functions,
        description=description,
    )


function = step
"""The old name of `step`; kept while parallel branches land."""

FUNCTIONS: tuple[PipelineFunction, ...] = (
    step(
        MEMBERSHIP,
        "RoomMembersTable",
        (
            Grant("room_members", ("dynamodb:GetItem",)),
            Grant("rooms", ("dynamodb:GetItem",)),
            Grant("messages", ("dynamodb:GetItem",)),
        ),
        "The access decision: membership, room (and $ctx.stash.messageId's message) in one "
        "TransactGetItems, stashed as $ctx.stash.access.",
    ),
)
RESOLVERS: tuple[Resolver, ...] = ()
