"""Wires a handler's `ACTIONS` table (`"Type.field": function`) into its AppSyncResolver.

The table is what `chatspec.lambdas` is checked against (tests/contract), so it stays a
plain dict in each handler; this is the one loop that turns it into Powertools routes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aws_lambda_powertools.event_handler import AppSyncResolver


def register_actions(app: AppSyncResolver, actions: Mapping[str, Callable[..., Any]]) -> None:
    for key, action in actions.items():
        type_name, field_name = key.split(".")
        app.resolver(type_name=type_name, field_name=field_name)(action)
