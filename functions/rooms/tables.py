"""The DynamoDB tables the rooms Lambda touches, named by the stack through env vars.

The variable names are `chatspec.table(name).env_var`; they are spelled out here so the
deployed package needs nothing outside `functions/` (a test keeps them in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

ROOMS_ENV = "ROOMS_TABLE"
ROOM_MEMBERS_ENV = "ROOM_MEMBERS_TABLE"
MESSAGES_ENV = "MESSAGES_TABLE"
IDEMPOTENCY_ENV = "IDEMPOTENCY_TABLE"
UPLOADS_ENV = "UPLOADS_TABLE"
BUCKET_ENV = "UPLOADS_BUCKET"
TABLE_ENV_VARS = (
    ROOMS_ENV,
    ROOM_MEMBERS_ENV,
    MESSAGES_ENV,
    IDEMPOTENCY_ENV,
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
        uploads=dynamodb.Table(uploads) if uploads else None,
        bucket=bucket or None,
        s3=s3 if uploads and bucket else None,
    )
