"""`$ctx.identity` as AppSync builds it for user-pool and IAM callers.

Shared by `emulator.testing` and the server shell so that tests and the HTTP API hand
templates and Lambdas identically shaped identities.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

LOCAL_ACCOUNT = "123456789012"
LOCAL_REGION = "us-east-1"
LOCAL_POOL_ID = f"{LOCAL_REGION}_local"
_SUB_NAMESPACE = uuid.UUID("8f1c7c5e-4d0b-4f7a-9d3e-2f6a5c1b0e11")


def sub_of(username: str) -> str:
    """A stable Cognito `sub` per user name (uuid5), so tests can predict ids."""
    return str(uuid.uuid5(_SUB_NAMESPACE, username))


def cognito_identity(
    username: str,
    groups: Iterable[str] = (),
    *,
    sub: str | None = None,
    issuer: str | None = None,
    source_ip: str = "127.0.0.1",
    extra_claims: dict[str, Any] | None = None,
) -> dict[str, Any]:
    sub = sub or sub_of(username)
    issuer = issuer or f"https://cognito-idp.{LOCAL_REGION}.amazonaws.com/{LOCAL_POOL_ID}"
    group_list = list(groups)
    claims: dict[str, Any] = {
        "sub": sub,
        "iss": issuer,
        "cognito:username": username,
        "token_use": "id",
        "auth_time": 0,
        **(extra_claims or {}),
    }
    if group_list:
        claims["cognito:groups"] = group_list
    return {
        "sub": sub,
        "issuer": issuer,
        "username": username,
        "claims": claims,
        "sourceIp": [source_ip],
        "defaultAuthStrategy": "ALLOW",
        "groups": group_list or None,
    }


def iam_identity(
    role: str = "backend", account_id: str = LOCAL_ACCOUNT, source_ip: str = "127.0.0.1"
) -> dict[str, Any]:
    return {
        "accountId": account_id,
        "userArn": f"arn:aws:sts::{account_id}:assumed-role/{role}/local",
        "username": f"AROALOCAL:{role}",
        "sourceIp": [source_ip],
        "cognitoIdentityAuthType": None,
        "cognitoIdentityAuthProvider": None,
        "cognitoIdentityPoolId": None,
        "cognitoIdentityId": None,
    }
