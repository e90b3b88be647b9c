"""Deployed names, derived from the stack prefix so that two stacks never collide in one account.

A table's deployed name is `<prefix>-<logical name with '_' replaced by '-'>`, e.g.
`chat-prod-room-members`; a Lambda is `<prefix>-<name>`, e.g. `chat-dev-indexer`.
"""

from __future__ import annotations

import chatspec


def table_name(prefix: str, logical_name: str) -> str:
    return chatspec.table(logical_name).deployed_name(prefix)


def function_name(prefix: str, name: str) -> str:
    return f"{prefix}-{name}"


def log_group_name(function: str) -> str:
    """The group Lambda writes to by default; created up front so it has a retention."""
    return f"/aws/lambda/{function}"
