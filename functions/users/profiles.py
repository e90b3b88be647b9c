"""Profiles: how one is created, what a client sees of it, and batches of them.

A profile is created when Cognito confirms a sign-up (the post-confirmation trigger) and,
for users the trigger never saw (created by an administrator, or before the trigger
existed), by the first `me`. Both write only if no profile exists, so a confirmation that
Cognito retries, or a `me` racing the trigger, never overwrites a name the user chose.
The default display name is the e-mail's local part (at most 64 characters), else
`user-<first 8 characters of the sub>`; the VTL of `me` and `updateProfile` builds the same.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from chatspec.rules import DISPLAY_NAME_MAX_LENGTH, ID_MAX_LENGTH
from functions.common.batch_get import MAX_KEYS, batch_get
from functions.common.plain import plain
from functions.users.tables import Tables

PUBLIC_FIELDS = ("userId", "displayName", "statusText", "avatarUploadId", "createdAt", "updatedAt")
"""What anyone who may see a profile gets; `avatarUploadId` is what UserProfile.avatarUrl
signs (`functions/uploads/images.py`)."""
BACKEND_PREFIX = "iam:"
CONFIRM_SIGN_UP = "PostConfirmation_ConfirmSignUp"


def default_display_name(email: str | None, sub: str) -> str:
    email = email or ""
    local = email.split("@", 1)[0].strip() if email.find("@") > 0 else ""
    return local[:DISPLAY_NAME_MAX_LENGTH] if local else f"user-{sub[:8]}"


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_profile(sub: str, email: str | None, created_at: str) -> dict[str, Any]:
    return {
        "userId": sub,
        "displayName": default_display_name(email, sub),
        "createdAt": created_at,
    }


def create_if_absent(tables: Tables, profile: Mapping[str, Any]) -> bool:
    """Write `profile` unless the user has one; True if written."""
    try:
        tables.users.put_item(
            Item=dict(profile), ConditionExpression="attribute_not_exists(userId)"
        )
    except ClientError as error:
        if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def on_post_confirmation(tables: Tables, event: dict[str, Any]) -> dict[str, Any]:
    """Cognito's PostConfirmation trigger: a profile for a confirmed sign-up. The event goes
    back unchanged, as Cognito requires; a forgotten-password confirmation writes nothing."""
    if event.get("triggerSource") == CONFIRM_SIGN_UP:
        attributes = (event.get("request") or {}).get("userAttributes") or {}
        sub = attributes.get("sub")
        if isinstance(sub, str) and sub:
            create_if_absent(tables, new_profile(sub, attributes.get("email"), now_iso()))
    return event


def public_view(item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not item:
        return None
    return plain({field: item.get(field) for field in PUBLIC_FIELDS})


def is_user_id(value: Any) -> bool:
    """A key that can name a profile: backends (`iam:...`) and odd values never do."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= ID_MAX_LENGTH
        and not value.startswith(BACKEND_PREFIX)
    )


def profiles_by_id(tables: Tables, user_ids: Iterable[Any]) -> dict[str, dict[str, Any]]:
    """The profiles of the distinct valid ids, in one BatchGetItem (at most 100 ids)."""
    wanted = list(dict.fromkeys(u for u in user_ids if is_user_id(u)))
    if len(wanted) > MAX_KEYS:
        raise ValueError(f"at most {MAX_KEYS} distinct users per batch, got {len(wanted)}")
    items = batch_get(tables.dynamodb, tables.users.name, [{"userId": u} for u in wanted])
    views = {item["userId"]: public_view(item) for item in items}
    return {user_id: view for user_id, view in views.items() if view is not None}


def resolve_batch(tables: Tables, sources: list[Mapping[str, Any] | None], key: str) -> list:
    """One BatchInvoke of Message.author (`key` authorId) or RoomMember.user (`key`
    userId): a result per source, in the same order, in the direct-resolver shape. A source
    whose id names no profile (a backend, an anonymous post's placeholder, a user without a
    profile) resolves to null, not an error."""
    ids = [(source or {}).get(key) for source in sources]
    found = profiles_by_id(tables, ids)
    return [{"data": found.get(i) if isinstance(i, str) else None} for i in ids]
