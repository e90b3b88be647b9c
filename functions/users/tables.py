"""The DynamoDB tables the users Lambda touches, named by the stack through env vars.

The variable names are `chatspec.table(name).env_var`; a test keeps them in step.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

USERS_ENV = "USERS_TABLE"
ROOM_MEMBERS_ENV = "ROOM_MEMBERS_TABLE"
TABLE_ENV_VARS = (USERS_ENV, ROOM_MEMBERS_ENV)


@dataclass(frozen=True)
class Tables:
    dynamodb: Any
    users: Any
    room_members: Any


def _name(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise RuntimeError(f"environment variable {variable} (a table name) is not set")
    return value


def tables_from_env(dynamodb: Any) -> Tables:
    """`dynamodb` is a boto3 DynamoDB service resource."""
    return Tables(
        dynamodb=dynamodb,
        users=dynamodb.Table(_name(USERS_ENV)),
        room_members=dynamodb.Table(_name(ROOM_MEMBERS_ENV)),
    )
