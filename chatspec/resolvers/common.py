"""Pipeline pieces shared by every area of the API.

`getCallerMembership` runs first in any pipeline that concerns a room: it stashes the
caller's membership item (`callerMember`), `callerBanned`, and `callerRank`
(0 none/banned, 1 MEMBER, 2 MODERATOR, 3 ADMIN, 4 OWNER, lifted by the Cognito groups
Admin and Moderator), and `callerId`, the id the caller acts as. Later functions decide on
the stash, never on arguments.

IAM callers are trusted backends (a bot, an AI assistant, a moderation service) and reach
only the fields that carry `@aws_iam`. The template recognises them by `$util.authType()`,
which a user-pool caller cannot influence, stashes `callerBackend`, gives them rank 1 in every
room (they read like a member; no membership applies to them) and the id
`iam:<role name>` (assumed role) or `iam:<user name>` (IAM user) from `userArn`, so retries
from new STS sessions of one role stay one author. Identity-pool credentials are refused.

When the pipeline's before template stashes a `messageId` (`MESSAGE_BEFORE`), membership
and message are read in one TransactGetItems and the message is stashed as
`targetMessage`: a pipeline about one message saves a sequential round trip. Every other
pipeline reads exactly as before: one consistent GetItem.

Backends hold no membership, so none is read for them: a pipeline without a message ends
the function with `#return` in its request template (AppSync then calls no data source)
after stashing what the response template would; one about a message reads the message
alone.

`function` and `pipeline` build the plain records every area module wires with.
"""

from __future__ import annotations

from chatspec.model import Grant, PipelineFunction, Resolver

PIPELINE_BEFORE = "pipeline/before.vtl"
PIPELINE_AFTER = "pipeline/after.vtl"
MESSAGE_BEFORE = "messages/message.before.vtl"
MEMBERSHIP = "getCallerMembership"


def function(
    name: str,
    data_source: str,
    grants: tuple[Grant, ...],
    description: str,
    *,
    request: str | None = None,
) -> PipelineFunction:
    """A pipeline function whose templates are `functions/<name>.{request,response}.vtl`
    (`request`: another function's request template)."""
    return PipelineFunction(
        name=name,
        data_source=data_source,
        request=request or f"functions/{name}.request.vtl",
        response=f"functions/{name}.response.vtl",
        grants=grants,
        description=description,
    )


def pipeline(
    field: str,
    *functions: str,
    before: str = PIPELINE_BEFORE,
    after: str = PIPELINE_AFTER,
    description: str = "",
) -> Resolver:
    """The PIPELINE resolver of `field` ("Type.field"): `functions` in order between the
    `before` and `after` templates."""
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


FUNCTIONS: tuple[PipelineFunction, ...] = (
    function(
        MEMBERSHIP,
        "RoomMembersTable",
        (
            Grant("room_members", ("dynamodb:GetItem",)),
            Grant("messages", ("dynamodb:GetItem",)),
        ),
        "Loads the caller's membership of $ctx.stash.roomId and their rank "
        "(with $ctx.stash.messageId, that message too, in one TransactGetItems).",
    ),
)
RESOLVERS: tuple[Resolver, ...] = ()
