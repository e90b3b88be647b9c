"""The access decision a pipeline hands to its Lambda step, and how a Lambda obeys it.

`getCallerMembership` (VTL) decides once per request what the caller may do in the room
and passes the decision in the invocation event as `stash.access` (see
`vtl/functions/lambdaInvoke.request.vtl`). A Lambda never decides again: it reads
`may.<action>` and, when that is false, raises the refusal the decision wrote in
`why.<action>`. An event without a decision (the Lambda wired as a direct resolver by
mistake) is refused: no decision means no access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from functions.common.errors import ERROR_TYPES, Unauthorized

_ERRORS = {error.__name__: error for error in ERROR_TYPES}


@dataclass(frozen=True)
class Access:
    decision: Mapping[str, Any]

    @property
    def room(self) -> Mapping[str, Any] | None:
        return self.decision.get("room")

    def may(self, action: str) -> bool:
        return bool((self.decision.get("may") or {}).get(action))

    def require(self, action: str) -> None:
        """Raise the decision's refusal unless it allows `action`."""
        if self.may(action):
            return
        refusal = (self.decision.get("why") or {}).get(action) or {}
        error = _ERRORS.get(str(refusal.get("type")), Unauthorized)
        raise error(refusal.get("message") or f"you may not {action} here")


def access_of(event: Mapping[str, Any] | None) -> Access | None:
    """The decision in a pipeline step's event; None when the event carries none."""
    stash = (event or {}).get("stash") or {}
    decision = stash.get("access") if isinstance(stash, Mapping) else None
    return Access(decision) if isinstance(decision, Mapping) else None


def require_access(event: Mapping[str, Any] | None) -> Access:
    access = access_of(event)
    if access is None:
        raise Unauthorized("this operation runs only after the access decision")
    return access
