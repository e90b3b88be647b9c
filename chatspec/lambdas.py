"""The Python Lambdas under `functions/<name>/`, with what each may touch.

Lambdas do what one DynamoDB request per step cannot: joins, cascades and search.
"""

from __future__ import annotations

from chatspec.aws_limits import COGNITO_TRIGGER_TIMEOUT, DYNAMODB_TTL_STREAM_IDENTITY
from chatspec.model import BucketGrant, Grant, LambdaFunction
from chatspec.rules import CHECKED_KEY_PREFIX, THUMBNAIL_KEY_PREFIX, UPLOAD_KEY_PREFIX

TTL_REMOVALS = {
    "eventName": ["REMOVE"],
    "userIdentity": {name: [value] for name, value in DYNAMODB_TTL_STREAM_IDENTITY.value.items()},
}
"""The uploads stream's records that reach the file check: removals by DynamoDB's TTL
process only (`DYNAMODB_TTL_STREAM_IDENTITY`). Creating, claiming, checking and deleting an
upload (deleteMessage, deleteRoom) are writes of the API, never TTL's, so they invoke nothing;
a claimed upload has no `expiresAt`, so TTL never removes it."""

# Every direct Lambda resolver's response template: it turns the handlers' returned
# `{"error": ...}` (a client's mistake, not a function error) into the GraphQL error.
DIRECT_LAMBDA_RESPONSE = "lambda/response.vtl"

ROOMS = LambdaFunction(
    name="rooms",
    description="The caller's rooms and mentions (Query + BatchGetItem) and room deletion "
    "cascades (its uploads' objects included).",
    actions=("Query.myRooms", "Query.myMentions", "Mutation.deleteRoom"),
    grants=(
        Grant("room_members", ("dynamodb:Query",), index="byUser"),
        Grant("room_members", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("rooms", ("dynamodb:BatchGetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem")),
        Grant("messages", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("idempotency", ("dynamodb:Query",), index="byRoom"),
        Grant("idempotency", ("dynamodb:BatchWriteItem",)),
        Grant("mentions", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("join_requests", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("poll_votes", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("moderation", ("dynamodb:Query", "dynamodb:BatchWriteItem")),
        Grant("messages", ("dynamodb:BatchGetItem",)),
        Grant("room_members", ("dynamodb:BatchGetItem",)),
        Grant("uploads", ("dynamodb:Query",), index="byRoom"),
        Grant("uploads", ("dynamodb:BatchWriteItem",)),
    ),
    bucket_grants=(
        BucketGrant(UPLOAD_KEY_PREFIX, ("s3:DeleteObject",)),
        BucketGrant(CHECKED_KEY_PREFIX, ("s3:DeleteObject",)),
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
    "decision, room file settings, the PENDING record), Message.attachments and the avatar "
    "and banner URLs (presigned GETs for a page, BatchInvoke), and the last step of "
    "deleteMessage, updateProfile and updateRoomSettings (the files they drop go).",
    actions=(
        "Mutation.createUpload",
        "Message.attachments",
        "Mutation.deleteMessage",
        "UserProfile.avatarUrl",
        "UserProfile.avatarThumbnailUrl",
        "Room.avatarUrl",
        "Room.avatarThumbnailUrl",
        "Room.bannerUrl",
        "Mutation.updateProfile",
        "Mutation.updateRoomSettings",
    ),
    # Records are deleted with BatchWriteItem (`delete_files.remove_uploads`), which IAM
    # authorises as dynamodb:BatchWriteItem, not DeleteItem.
    grants=(
        Grant("uploads", ("dynamodb:PutItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem")),
    ),
    bucket_grants=(
        BucketGrant(UPLOAD_KEY_PREFIX, ("s3:PutObject", "s3:DeleteObject")),
        BucketGrant(CHECKED_KEY_PREFIX, ("s3:GetObject", "s3:DeleteObject")),
        BucketGrant(THUMBNAIL_KEY_PREFIX, ("s3:GetObject", "s3:DeleteObject")),
    ),
)

FILECHECK = LambdaFunction(
    name="filecheck",
    description="The uploads bucket's object-created notifications: checks each file's real "
    "type (magic bytes) and size, makes image thumbnails, keeps a copy of the file as checked "
    "(the one served), marks the upload READY or REJECTED "
    "and refreshes its message (refreshAttachments, IAM) for onMessageUpdated; the uploads "
    "stream's TTL removals: deletes the files of uploads no message ever claimed.",
    grants=(Grant("uploads", ("dynamodb:GetItem", "dynamodb:UpdateItem")),),
    bucket_grants=(
        BucketGrant(UPLOAD_KEY_PREFIX, ("s3:GetObject", "s3:DeleteObject")),
        BucketGrant(CHECKED_KEY_PREFIX, ("s3:PutObject", "s3:DeleteObject")),
        BucketGrant(THUMBNAIL_KEY_PREFIX, ("s3:PutObject", "s3:DeleteObject")),
    ),
    bucket_source="uploads",
    api_fields=("Mutation.refreshAttachments",),
    stream_source="uploads",
    stream_filters=(TTL_REMOVALS,),
    timeout_seconds=60,
    memory_mb=1024,
)

EVENTS = LambdaFunction(
    name="events",
    description="Pipes enrichment: names each stream record's chat event and gives its "
    "detail as plain JSON, or drops it (chatspec/events.py says why Pipes needs it).",
    timeout_seconds=10,
)

DEVICES = LambdaFunction(
    name="devices",
    description="registerDevice/unregisterDevice: the caller's push devices and their SNS "
    "platform endpoints.",
    actions=("Mutation.registerDevice", "Mutation.unregisterDevice"),
    grants=(
        # Device writes are TransactWriteItems (the device and the user's push targets,
        # `functions/common/push_targets.py`), which IAM authorises per action.
        Grant(
            "devices",
            ("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
        ),
        Grant("devices", ("dynamodb:Query",)),
        Grant("devices", ("dynamodb:Query",), index="byEndpoint"),
    ),
    uses_push=True,
)

NOTIFIER = LambdaFunction(
    name="notifier",
    description="MessageSent (bus rule) to SNS mobile push for offline members who did not "
    "mute the room's notifications (mentions always); removes endpoints SNS disabled.",
    grants=(
        Grant("room_members", ("dynamodb:Query",)),
        Grant("presence", ("dynamodb:BatchGetItem",)),
        Grant("devices", ("dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem")),
    ),
    uses_push=True,
    timeout_seconds=60,
)

ASSISTANT = LambdaFunction(
    name="assistant",
    description="@assistant in a room that enabled it (bus rule): Bedrock Converse on the "
    "room's readable messages, answered with postSystemMessage; budgets in DynamoDB.",
    grants=(
        Grant("rooms", ("dynamodb:GetItem",)),
        Grant("room_members", ("dynamodb:GetItem",)),
        Grant("messages", ("dynamodb:GetItem", "dynamodb:Query")),
        Grant("assistant_usage", ("dynamodb:UpdateItem",)),
    ),
    uses_bedrock=True,
    api_fields=("Mutation.postSystemMessage",),
    timeout_seconds=60,
)

MODERATION = LambdaFunction(
    name="moderation",
    description="Toxicity check of new and edited messages (bus rules) in rooms with "
    "moderationLevel FLAG or HIDE: Comprehend DetectToxicContent, a report, hideMessage.",
    grants=(
        Grant("rooms", ("dynamodb:GetItem",)),
        Grant("moderation", ("dynamodb:PutItem",)),
    ),
    uses_comprehend=True,
    api_fields=("Mutation.hideMessage",),
    timeout_seconds=30,
)

LAMBDAS: tuple[LambdaFunction, ...] = (
    ROOMS,
    SEARCH,
    INDEXER,
    EVENTS,
    DEVICES,
    NOTIFIER,
    ASSISTANT,
    MODERATION,
    USERS,
    UPLOADS,
    FILECHECK,
)


def lambda_function(name: str) -> LambdaFunction:
    for candidate in LAMBDAS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no Lambda {name!r} in the specification; known: {[f.name for f in LAMBDAS]}")
