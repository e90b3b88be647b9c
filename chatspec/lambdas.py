"""The Python Lambdas under `functions/<name>/`, with what each may touch.

Lambdas do what one DynamoDB request per step cannot: joins, cascades and search.
"""

from __future__ import annotations

from chatspec.aws_limits import COGNITO_TRIGGER_TIMEOUT
from chatspec.model import BucketGrant, Grant, LambdaFunction
from chatspec.rules import THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX

# Every direct Lambda resolver's response template: it turns the handlers' returned
# `{"error": ...}` (a client's mistake, not a function error) into the GraphQL error.
DIRECT_LAMBDA_RESPONSE = "lambda/response.vtl"

ROOMS = LambdaFunction(
    name="rooms",
    description="The caller's rooms (membership GSI + BatchGetItem) and room deletion "
    "cascades (its uploads' objects included).",
    actions=("Query.myRooms", "Mutation.deleteRoom"),
    grants=(
        Grant("room_members", ("dynamodb:Query",), index="byUser"),
        Grant("room_members", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("rooms", ("dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")),
        Grant("messages", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("idempotency", ("dynamodb:Query",), index="byRoom"),
        Grant("idempotency", ("dynamodb:BatchWriteItem",)),
        Grant("uploads", ("dynamodb:Query",), index="byRoom"),
        Grant("uploads", ("dynamodb:BatchWriteItem",)),
    ),
    bucket_grants=(
        BucketGrant(UPLOAD_KEY_PREFIX, ("s3:DeleteObject",)),
        BucketGrant(THUMBNAIL_KEY_PREFIX, ("s3:DeleteObject",)),
    ),
)

SEARCH = LambdaFunction(
    name="search",
    description="Full-text message search limited to the caller's rooms (OpenSearch, SigV4).",
    actions=("Query.searchMessages",),
    grants=(Grant("room_members", ("dynamodb:Query",), index="byUser"),),
    in_vpc=True,
    uses_search=True,
)

INDEXER = LambdaFunction(
    name="indexer",
    description="Messages stream to OpenSearch with _bulk; partial batch failures reported.",
    in_vpc=True,
    uses_search=True,
    stream_source="messages",
    timeout_seconds=60,
)

USERS = LambdaFunction(
    name="users",
    description="Profiles: the post-confirmation trigger, getUsers (shared rooms), and "
    "Message.author / RoomMember.user in batches (BatchInvoke, one BatchGetItem per batch).",
    actions=("Query.getUsers", "Message.author", "RoomMember.user"),
    grants=(
        Grant("users", ("dynamodb:PutItem", "dynamodb:BatchGetItem")),
        Grant("room_members", ("dynamodb:Query",), index="byUser"),
        Grant("room_members", ("dynamodb:BatchGetItem",)),
    ),
    cognito_trigger="PostConfirmation",
    timeout_seconds=COGNITO_TRIGGER_TIMEOUT.value,
)

UPLOADS = LambdaFunction(
    name="uploads",
    description="Attachments and avatars: createUpload (presigned POST after the access "
    "decision, room file settings, the PENDING record), Message.attachments (presigned "
    "GETs for a page, BatchInvoke) and deleteMessage's last step (the files go).",
    actions=("Mutation.createUpload", "Message.attachments", "Mutation.deleteMessage"),
    grants=(
        Grant("uploads", ("dynamodb:PutItem", "dynamodb:BatchGetItem", "dynamodb:DeleteItem")),
    ),
    bucket_grants=(
        BucketGrant(UPLOAD_KEY_PREFIX, ("s3:PutObject", "s3:GetObject", "s3:DeleteObject")),
        BucketGrant(THUMBNAIL_KEY_PREFIX, ("s3:GetObject", "s3:DeleteObject")),
    ),
)

FILECHECK = LambdaFunction(
    name="filecheck",
    description="The uploads bucket's object-created notifications: checks each file's real "
    "type (magic bytes) and size, makes image thumbnails, marks the upload READY or REJECTED "
    "and refreshes its message (refreshAttachments, IAM) for onMessageUpdated.",
    grants=(Grant("uploads", ("dynamodb:GetItem", "dynamodb:UpdateItem")),),
    bucket_grants=(
        BucketGrant(UPLOAD_KEY_PREFIX, ("s3:GetObject", "s3:DeleteObject")),
        BucketGrant(THUMBNAIL_KEY_PREFIX, ("s3:PutObject", "s3:DeleteObject")),
    ),
    bucket_source="uploads",
    calls_api=("Mutation.refreshAttachments",),
    timeout_seconds=60,
    memory_mb=1024,
)

LAMBDAS: tuple[LambdaFunction, ...] = (ROOMS, SEARCH, INDEXER, USERS, UPLOADS, FILECHECK)


def lambda_function(name: str) -> LambdaFunction:
    for candidate in LAMBDAS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no Lambda {name!r} in the specification; known: {[f.name for f in LAMBDAS]}")
