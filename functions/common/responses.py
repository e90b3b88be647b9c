"""What a direct Lambda resolver hands back to AppSync: `{"data": ...}` or, for a client's
mistake, `{"error": {"type": ..., "message": ...}}`, returned rather than raised.

A raised exception is a function error: Lambda counts it in the `Errors` metric, which the
stack's alarms watch, so a user's typo would page the on-call. Returned, it is a normal
invocation; the resolvers' shared response template (`vtl/lambda/response.vtl`) turns it
into the same GraphQL error a raised exception gave (errorType = the class name, message
= its text). Anything else still raises, and so still counts and still alarms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from functions.common.errors import ChatError


def appsync_response(resolve: Callable[[], Any]) -> dict[str, Any]:
    try:
        return {"data": resolve()}
    except ChatError as error:
        return {"error": {"type": type(error).__name__, "message": str(error)}}
