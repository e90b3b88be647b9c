"""In-process chat API for tests: moto, the chatspec tables, the engine, the real Lambdas.

No network and no server. Example::

    from emulator.testing import LocalApi

    with LocalApi() as api:
        room = api.call('mutation { createRoom(input: {name: "a", type: PUBLIC}) { roomId } }')
        sub = api.subscribe(
            "subscription($r: ID!) { onMessageAdded(roomId: $r) { content } }",
            {"r": room["data"]["createRoom"]["roomId"]},
            user="bob",
        )
        assert sub.error is None
        api.scan("rooms")  # plain Python items, to check nothing was half-written

`tests/api/conftest.py` provides a fresh one per test as the `api` fixture.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import boto3
from moto import mock_aws

from chatspec import LAMBDAS, TABLES
from emulator import moto_internals
from emulator.core import COGNITO, IAM, AppSyncEngine, Subscription
from emulator.datasources.dynamodb_values import plain_item
from emulator.identity import LOCAL_REGION, cognito_identity, iam_identity, sub_of
from emulator.tables import create_tables

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


class LocalSubscription:
    """What a test sees of a subscription: refusal, delivered events, closure."""

    def __init__(self, subscription: Subscription | None, error: dict[str, Any] | None):
        self.subscription = subscription
        self.error = error
        self.events: list[dict[str, Any]] = []
        self.closed = False
        if subscription is not None:
            subscription.on_data = self.events.append
            subscription.on_invalidated = self._invalidate

    def _invalidate(self) -> None:
        self.closed = True


class _LazyHandler:
    """Imports `functions.<name>.handler` on first call, after the env vars are set."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._handler: Callable[[dict, Any], Any] | None = None

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        if self._handler is None:
            module = importlib.import_module(f"functions.{self.name}.handler")
            self._handler = module.handler
        return self._handler(event, context)


class LocalApi:
    def __init__(
        self,
        *,
        prefix: str = "chat-local",
        opensearch_endpoint: str | None = None,
        schema_sdl: str | None = None,
        **engine_options: Any,
    ) -> None:
        self.prefix = prefix
        self.opensearch_endpoint = opensearch_endpoint
        self._schema_sdl = schema_sdl
        self._engine_options = engine_options
        self._mock: Any = None
        self._saved_env: dict[str, str | None] = {}
        self.engine: AppSyncEngine | None = None
        self.dynamodb: Any = None
        self.table_names: dict[str, str] = {}

    def __enter__(self) -> LocalApi:
        self.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def _environment(self) -> dict[str, str]:
        env = {
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "AWS_REGION": LOCAL_REGION,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "realtime-chat",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
        for table in TABLES:
            env[table.env_var] = table.deployed_name(self.prefix)
        if self.opensearch_endpoint:
            env["OPENSEARCH_ENDPOINT"] = self.opensearch_endpoint
            env["OPENSEARCH_INDEX"] = "messages"
        return env

    def start(self) -> None:
        for key, value in self._environment().items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value
        if not self.opensearch_endpoint:
            self._saved_env.setdefault("OPENSEARCH_ENDPOINT", os.environ.get("OPENSEARCH_ENDPOINT"))
            os.environ.pop("OPENSEARCH_ENDPOINT", None)
        moto_internals.install()
        self._mock = mock_aws()
        self._mock.start()
        self.dynamodb = boto3.client("dynamodb", region_name=LOCAL_REGION)
        self.table_names = create_tables(self.dynamodb, self.prefix)
        handlers = {f.name: _LazyHandler(f.name) for f in LAMBDAS if f.actions}
        self.engine = AppSyncEngine(
            self._schema_sdl or SCHEMA_PATH.read_text(encoding="utf-8"),
            self.dynamodb,
            self.table_names,
            handlers,
            **self._engine_options,
        )

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()

    def sub_of(self, user: str) -> str:
        return sub_of(user)

    def identity(self, user: str, groups: Iterable[str] = ()) -> dict[str, Any]:
        return cognito_identity(user, groups)

    def call(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        user: str | None = "alice",
        groups: Iterable[str] = (),
        operation_name: str | None = None,
    ) -> dict[str, Any]:
        """A user-pool request; `user=None` is a signed-out caller (AppSync answers 401)."""
        identity = self.identity(user, groups) if user is not None else None
        return self._engine().execute(query, variables, operation_name, identity, COGNITO)

    def call_iam(
        self, query: str, variables: dict[str, Any] | None = None, *, role: str = "backend"
    ) -> dict[str, Any]:
        return self._engine().execute(query, variables, None, iam_identity(role), IAM)

    def subscribe(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        user: str | None = "alice",
        groups: Iterable[str] = (),
    ) -> LocalSubscription:
        engine = self._engine()
        identity = self.identity(user, groups) if user is not None else None
        outcome = engine.subscribe(query, variables, None, identity, COGNITO)
        if isinstance(outcome, dict):
            return LocalSubscription(None, outcome["errors"][0])
        local = LocalSubscription(outcome, None)
        engine.registry.add(outcome)
        return local

    def scan(self, logical_table: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        paginator = self.dynamodb.get_paginator("scan")
        for page in paginator.paginate(TableName=self.table_names[logical_table]):
            items.extend(plain_item(item) for item in page.get("Items", []))
        return items

    def _engine(self) -> AppSyncEngine:
        if self.engine is None:
            raise RuntimeError("LocalApi is not started: use it as a context manager or start()")
        return self.engine
