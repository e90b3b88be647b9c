"""The execution environment's boto3 DynamoDB tables, one `Table` per name.

`boto3.resource(...).Table(name)` builds a resource class from boto3's JSON models each
time it is called: in the bus-rule Lambdas (moderation, notifier, assistant) that build was
a quarter of an invocation. Keyed on the table's name, so an environment whose variables
name other tables (the offline emulator starts several APIs in one process, tests set
their own) gets its own.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import boto3

import chatspec


@cache
def _resource() -> Any:
    return boto3.resource("dynamodb")


@cache
def table_named(name: str) -> Any:
    """The boto3 `Table` of this name, built once."""
    return _resource().Table(name)


def stack_table(logical_name: str) -> Any:
    """The `Table` the environment names for one of `chatspec`'s tables (e.g. "rooms")."""
    return table_named(os.environ[chatspec.table(logical_name).env_var])
