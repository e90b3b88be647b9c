"""Exceptions whose class names are the API's errorTypes.

A direct Lambda resolver reports the raised exception's class name as the GraphQL
`errorType` and its message as the error message, so these classes are the Lambda side
of the `$util.error(message, errorType)` convention the VTL resolvers follow.
"""

from __future__ import annotations


class ChatError(Exception):
    """Base class: catch this to handle any error the API reports on purpose."""


class ValidationError(ChatError):
    """The request is malformed: a bad argument, limit or nextToken."""


class NotFound(ChatError):
    """The room, member or message named in the request does not exist."""


class Unauthorized(ChatError):
    """The caller may not do this."""


class Conflict(ChatError):
    """The request contradicts the current state (already a member, owner leaving...)."""


class LimitExceeded(ChatError):
    """A limit would be exceeded (room full, too many members)."""


ERROR_TYPES: tuple[type[ChatError], ...] = (
    ValidationError,
    NotFound,
    Unauthorized,
    Conflict,
    LimitExceeded,
)
