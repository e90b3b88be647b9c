"""The caller, as AppSync passes it to a direct Lambda resolver (`event["identity"]`).

Only a Cognito user pool identity carries `sub`; an IAM caller has none and so cannot
act as a chat user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from functions.common.errors import Unauthorized

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import AppSyncResolver
    from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent


@dataclass(frozen=True)
class Caller:
    sub: str
    groups: frozenset[str]

    @property
    def is_admin(self) -> bool:
        return "Admin" in self.groups


def caller_from_identity(identity: Mapping[str, Any] | None) -> Caller:
    sub = (identity or {}).get("sub")
    if not isinstance(sub, str) or not sub:
        raise Unauthorized("this operation needs a signed-in Cognito user")
    groups = (identity or {}).get("groups") or ()
    return Caller(sub=sub, groups=frozenset(groups))


def current_event(app: AppSyncResolver) -> AppSyncResolverEvent:
    """The event `app` is resolving; Powertools sets it for the duration of `app.resolve`."""
    event = app.current_event
    if event is None:
        raise RuntimeError("no AppSync event is being resolved")
    return event
