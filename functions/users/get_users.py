"""getUsers(userIds): up to 100 profiles in the order asked, null where not visible."""

from __future__ import annotations

from typing import Any

from chatspec.rules import GET_USERS_MAX_IDS, ID_MAX_LENGTH
from functions.common.errors import ValidationError
from functions.common.identity import Caller
from functions.users.profiles import public_view
from functions.users.tables import Tables
from functions.users.visibility import visible_profiles


def validate_ids(user_ids: Any) -> list[str]:
    if not isinstance(user_ids, list) or not user_ids:
        raise ValidationError("userIds must hold 1 to 100 ids")
    if len(user_ids) > GET_USERS_MAX_IDS:
        raise ValidationError(
            f"userIds may hold at most {GET_USERS_MAX_IDS} ids (one BatchGetItem), "
            f"got {len(user_ids)}"
        )
    for user_id in user_ids:
        if not isinstance(user_id, str) or not 0 < len(user_id) <= ID_MAX_LENGTH:
            raise ValidationError(f"userIds must be ids of 1 to {ID_MAX_LENGTH} characters")
    return user_ids


def get_users(tables: Tables, caller: Caller, user_ids: Any) -> list[dict[str, Any] | None]:
    asked = validate_ids(user_ids)
    found = visible_profiles(tables, caller, asked)
    return [public_view(found.get(u)) for u in asked]
