"""The DynamoDB tables the rooms Lambda touches, named by the stack through env vars.

The variable names are `chatspec.table(name).env_var`, the names the stack deploys
(`chatspec.environment.function_environment`); the artifact ships `chatspec`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import chatspec
from chatspec.environment import UPLOADS_BUCKET_ENV

ROOMS_ENV = chatspec.table("rooms").env_var
ROOM_MEMBERS_ENV = chatspec.table("room_members").env_var
MESSAGES_ENV = chatspec.table("messages").env_var
IDEMPOTENCY_ENV = chatspec.table("idempotency").env_var
MENTIONS_ENV = chatspec.table("mentions").env_var
JOIN_REQUESTS_ENV = chatspec.table("join_requests").env_var
POLL_VOTES_ENV = chatspec.table("poll_votes").env_var
MODERATION_ENV = chatspec.table("moderation").env_var
UPLOADS_ENV = chatspec.table("uploads").env_var
BUCKET_ENV = UPLOADS_BUCKET_ENV
TABLE_ENV_VARS = (
    ROOMS_ENV,
    ROOM_MEMBERS_ENV,
    MESSAGES_ENV,
    IDEMPOTENCY_ENV,
    MENTIONS_ENV,
    JOIN_REQUESTS_ENV,
    POLL_VOTES_ENV,
    MODERATION_ENV,
    UPLOADS_ENV,
    BUCKET_ENV,
)


@dataclass(frozen=True)
class Tables:
    dynamodb: Any
    rooms: Any
    room_members: Any
    messages: Any
    idempotency: Any
    mentions: Any
    join_requests: Any
    poll_votes: Any
    moderation: Any
    uploads: Any = None
    """The uploads table and bucket (deleteRoom removes the room's files); the stack always
    sets both (`chatspec.lambdas.ROOMS` grants them), tests of other cascades may not."""
    bucket: str | None = None
    s3: Any = None


def _name(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise RuntimeError(f"environment variable {variable} (a table name) is not set")
    return value


def tables_from_env(dynamodb: Any, s3: Any = None) -> Tables:
    """`dynamodb` is a boto3 DynamoDB service resource, `s3` an S3 client."""
    uploads, bucket = os.environ.get(UPLOADS_ENV), os.environ.get(BUCKET_ENV)
    return Tables(
        dynamodb=dynamodb,
        rooms=dynamodb.Table(_name(ROOMS_ENV)),
        room_members=dynamodb.Table(_name(ROOM_MEMBERS_ENV)),
        messages=dynamodb.Table(_name(MESSAGES_ENV)),
        idempotency=dynamodb.Table(_name(IDEMPOTENCY_ENV)),
        mentions=dynamodb.Table(_name(MENTIONS_ENV)),
        join_requests=dynamodb.Table(_name(JOIN_REQUESTS_ENV)),
        poll_votes=dynamodb.Table(_name(POLL_VOTES_ENV)),
        moderation=dynamodb.Table(_name(MODERATION_ENV)),
        uploads=dynamodb.Table(uploads) if uploads else None,
        bucket=bucket or None,
        s3=s3 if uploads and bucket else None,
    )
