"""GraphQL errors in AppSync's response shape."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

from emulator.vtl.errors import AppSyncErrorFields


class FieldError(AppSyncErrorFields, Exception):
    """A resolver failure reported with AppSync's errorType/data/errorInfo."""


def _locations(error: GraphQLError) -> list[dict[str, Any]] | None:
    if not error.locations:
        return None
    return [{"line": loc.line, "column": loc.column, "sourceName": None} for loc in error.locations]


def format_error(error: GraphQLError, default_type: str | None = None) -> dict[str, Any]:
    original = error.original_error
    if isinstance(original, FieldError):
        error_type, data, info, message = (
            original.error_type,
            original.data,
            original.error_info,
            original.message,
        )
    else:
        error_type, data, info, message = default_type, None, None, error.message
    return {
        "path": error.path,
        "data": data,
        "errorType": error_type,
        "errorInfo": info,
        "locations": _locations(error),
        "message": message,
    }


def request_error(message: str, error_type: str) -> dict[str, Any]:
    """An error about the whole request (no path), e.g. validation or authentication."""
    return {
        "path": None,
        "data": None,
        "errorType": error_type,
        "errorInfo": None,
        "locations": [],
        "message": message,
    }
