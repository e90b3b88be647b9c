"""In-process chat API for tests: moto, the chatspec tables, the engine, and the Lambdas
from the artifact in warm worker processes (`shared_lambdas`).

No server of its own beyond a loopback moto endpoint for the workers. Example::

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

import atexit
import logging
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import boto3
from moto import mock_aws

from chatspec import lambda_function
from emulator import moto_internals
from emulator.aws_backend import create_uploads_bucket
from emulator.chat_functions import chat_functions, local_aws_environment
from emulator.core import COGNITO, IAM, AppSyncEngine, Subscription
from emulator.core.limits import ApiLimits
from emulator.datasources.dynamodb_values import plain_item
from emulator.identity import (
    LOCAL_ACCOUNT,
    LOCAL_POOL_ID,
    LOCAL_REGION,
    cognito_identity,
    iam_identity,
    sub_of,
)
from emulator.lambda_runtime import FunctionHandle, LambdaService
from emulator.s3_notifications import object_created_event
from emulator.s3_post_policy import PresignedPostChecks
from emulator.tables import create_tables
from stacksettings.settings import StackSettings, load_settings

KEEP_BOTO3_SESSION = {"core": {"reset_boto3_session": False}}
"""moto's documented `mock_aws` config that keeps boto3's default session across mocks.

By default every `mock_aws()` start swaps in a fresh session, so the next `boto3.client`
loads and parses botocore's service models again (about a quarter of a second for the
clients an emulator opens). The credentials are moto's fake ones either way, so tests that
start many mocks share the loaded models instead."""


@lru_cache(maxsize=1)
def _dev_settings() -> StackSettings:
    """Pulumi.dev.yaml, parsed once per process rather than twice per emulator."""
    return load_settings("dev")


_EMPTY_TABLES: dict[str, tuple[dict[str, str], dict[str, Any]]] = {}


def _empty_tables(client: Any, prefix: str) -> dict[str, str]:
    """The chatspec tables, empty: created once per prefix and process, copied afterwards."""
    known = _EMPTY_TABLES.get(prefix)
    if known is None:
        names = create_tables(client, prefix)
        known = names, moto_internals.copy_tables(LOCAL_REGION, list(names.values()))
        _EMPTY_TABLES[prefix] = known
    else:
        moto_internals.restore_tables(LOCAL_REGION, known[1])
    return dict(known[0])


SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"
UNREACHABLE_API = "http://127.0.0.1:9/graphql"
"""The GraphQL URL the file check gets here: the in-process API has no HTTP endpoint, so a
check that must refresh a message (an upload a message already claimed) fails; tests check
uploads before anything claims them, and the e2e tests cover the refresh."""


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


_shared_lock = threading.Lock()
_shared: dict[str, Any] = {}


def shared_lambdas() -> tuple[str, LambdaService]:
    """One moto server and one Lambda service for the whole test process, started lazily.

    The Lambdas run in worker processes, which cannot reach the in-process moto that
    `mock_aws` patches in; moto's `ThreadedMotoServer` in this process serves the same
    backends over HTTP, so the workers see the tables the test created. Workers stay warm
    across tests that give them the same environment.
    """
    with _shared_lock:
        if "service" not in _shared:
            from moto.server import ThreadedMotoServer

            from artifact import ensure_built
            from artifact.runtime import ensure_runtime

            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
            server.start()
            # Presigned POSTs are checked as S3 does (moto checks nothing); the workers sign
            # with the `testing` credentials of `local_aws_environment` below.
            server._server.app = PresignedPostChecks(server._server.app, {"testing": "testing"})
            host, port = server.get_host_and_port()
            service = LambdaService(
                ensure_built(),
                ensure_runtime().path,
                region=LOCAL_REGION,
                account_id=LOCAL_ACCOUNT,
            )
            atexit.register(server.stop)
            atexit.register(service.stop)
            _shared.update(endpoint=f"http://{host}:{port}", service=service, server=server)
        return _shared["endpoint"], _shared["service"]


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
        self.functions: dict[str, FunctionHandle] = {}
        self.engine: AppSyncEngine | None = None
        self.dynamodb: Any = None
        self.table_names: dict[str, str] = {}
        self.uploads_bucket = ""
        self._file_check: FunctionHandle | None = None

    def __enter__(self) -> LocalApi:
        self.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def start(self) -> None:
        endpoint, service = shared_lambdas()
        moto_internals.install()
        self._mock = mock_aws(config=KEEP_BOTO3_SESSION)
        self._mock.start()
        self.dynamodb = moto_internals.DirectDynamoDb(
            boto3.client("dynamodb", region_name=LOCAL_REGION)
        )
        self.table_names = _empty_tables(self.dynamodb, self.prefix)
        self.uploads_bucket = create_uploads_bucket(
            boto3.client("s3", region_name=LOCAL_REGION), self.prefix, LOCAL_REGION
        )
        self.functions = chat_functions(
            service,
            prefix=self.prefix,
            table_names=self.table_names,
            log_level=_dev_settings().lambda_log_level,
            aws=local_aws_environment(endpoint, "testing", "testing"),
            user_pool_id=LOCAL_POOL_ID,
            search_endpoint=self.opensearch_endpoint,
            uploads_bucket=self.uploads_bucket,
        )
        handlers = {name: f for name, f in self.functions.items() if lambda_function(name).actions}
        options = {"limits": ApiLimits.from_settings(_dev_settings()), **self._engine_options}
        self.engine = AppSyncEngine(
            self._schema_sdl or SCHEMA_PATH.read_text(encoding="utf-8"),
            self.dynamodb,
            self.table_names,
            handlers,
            **options,
        )

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None

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

    def check_upload(self, key: str, size: int) -> Any:
        """What the uploads bucket's object-created notification does for `key`: the
        artifact's file check, invoked with S3's event (synchronously here, so a test needs
        no waiting). See `UNREACHABLE_API` for what it cannot do in process."""
        if self._file_check is None:
            endpoint, service = shared_lambdas()
            self._file_check = chat_functions(
                service,
                prefix=self.prefix,
                table_names=self.table_names,
                log_level=load_settings("dev").lambda_log_level,
                aws=local_aws_environment(endpoint, "testing", "testing"),
                uploads_bucket=self.uploads_bucket,
                graphql_url=UNREACHABLE_API,
            )["filecheck"]
        return self._file_check(object_created_event(self.uploads_bucket, key, size, LOCAL_REGION))

    def expire_ttl(self, now: float | None = None) -> dict[str, int]:
        """DynamoDB's TTL deletions as of `now` (epoch seconds; default: the real clock):
        deterministic, so tests advance time by passing a later instant."""
        from emulator.ttl import sweep

        return sweep(self.dynamodb, self.table_names, now)

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
