"""The AppSync real-time WebSocket protocol, as documented in "Building a real-time
WebSocket client" (AppSync developer guide), on a Starlette WebSocket.

- The client connects to `/graphql` or `/graphql/realtime` (where Amplify JS connects for
  any endpoint that is not `*.appsync-api.*.amazonaws.com`) with subprotocol `graphql-ws`,
  and its credentials either in the query parameters `header` (base64 JSON: `host` plus
  `Authorization`, or the SigV4 headers of `POST /graphql/connect` with body `{}`) and
  `payload` (base64 `{}`), or as a second subprotocol `header-<base64url of the same JSON>`
  (what Amplify JS v6 sends, with no query string). The server answers `graphql-ws`.
- `connection_init` gets `connection_ack` with `connectionTimeoutMs`, or `connection_error`
  when the header's credentials are rejected; then `ka` at once and every `ka_seconds`.
- `start` (`payload.data`: the JSON string of query/variables, `payload.extensions.
  authorization`: the headers for that subscription, SigV4 over `POST /graphql` with
  `data` as body) runs the subscription's resolver and answers `start_ack` or `error`.
- Events arrive as `data` with `{"data": {...}}`; `stop` gets `complete`; an invalidated
  subscription also gets `complete`, after which nothing more is delivered for it.

Registry callbacks run in whichever thread executed the mutation; they only hand the
message to this connection's event loop (`call_soon_threadsafe`), and a single sender
task writes to the socket, so writes never interleave.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from emulator.admission import Overloaded
from emulator.authentication import Authenticator, AuthError, Caller

SUBPROTOCOL = "graphql-ws"
HEADER_SUBPROTOCOL_PREFIX = "header-"
log = logging.getLogger("emulator.realtime")


class SubscriptionEngine(Protocol):
    """`emulator.core.AppSyncEngine` as the real-time endpoint uses it."""

    registry: Any

    def subscribe(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        identity: dict[str, Any] | None = None,
        auth_type: str = ...,
        headers: dict[str, Any] | None = None,
    ) -> Any: ...


@dataclass(frozen=True)
class RealtimeSettings:
    ka_seconds: float = 60.0
    connection_timeout_ms: int = 300_000


def protocol_error(error_type: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"errors": [{"errorType": error_type, "message": message, **extra}]}


def decode_query_param(value: str | None, name: str) -> dict[str, Any]:
    """A base64 JSON object from the connection URL; a clear AuthError otherwise."""
    if not value:
        raise AuthError(
            f"The {name!r} query parameter is missing from the connection URL"
            " (or send the headers as a 'header-<base64url>' subprotocol)."
        )
    try:
        padded = value + "=" * (-len(value) % 4)
        decoded = json.loads(base64.b64decode(padded, altchars=b"-_", validate=False))
    except (binascii.Error, ValueError):
        raise AuthError(f"The {name!r} value is not base64-encoded JSON.") from None
    if not isinstance(decoded, dict):
        raise AuthError(f"The {name!r} value must encode a JSON object.")
    return decoded


class RealtimeConnection:
    def __init__(
        self,
        websocket: WebSocket,
        engine: SubscriptionEngine,
        authenticator: Authenticator,
        settings: RealtimeSettings,
        run_work: Callable[[Callable[[], Any]], Awaitable[Any]] | None = None,
    ) -> None:
        self.ws = websocket
        self.run_work = run_work or run_in_threadpool
        self.engine = engine
        self.authenticator = authenticator
        self.settings = settings
        self.source_ip = websocket.client.host if websocket.client else "127.0.0.1"
        self.outbox: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self.subscriptions: dict[str, str] = {}
        self.loop = asyncio.get_running_loop()

    async def run(self) -> None:
        if SUBPROTOCOL not in self.ws.scope.get("subprotocols", []):
            await self.ws.close(code=1002, reason="subprotocol graphql-ws is required")
            return
        await self.ws.accept(subprotocol=SUBPROTOCOL)
        sender = asyncio.create_task(self._send_loop())
        keepalive: asyncio.Task[None] | None = None
        try:
            caller_error = self._connection_auth_error()
            while True:
                message = await self._receive()
                if message is None:
                    break
                kind = message.get("type")
                if kind == "connection_init":
                    if caller_error is not None:
                        self._post(
                            {
                                "type": "connection_error",
                                "payload": protocol_error(
                                    "UnauthorizedException", caller_error, errorCode=401
                                ),
                            }
                        )
                        break
                    self._post(
                        {
                            "type": "connection_ack",
                            "payload": {"connectionTimeoutMs": self.settings.connection_timeout_ms},
                        }
                    )
                    keepalive = keepalive or asyncio.create_task(self._keepalive())
                elif keepalive is None:
                    self._post(
                        {
                            "type": "error",
                            "payload": protocol_error(
                                "UnauthorizedException",
                                "connection_init must be acknowledged before any other message",
                            ),
                        }
                    )
                elif kind == "start":
                    await self._start(message)
                elif kind == "stop":
                    await self._stop(str(message.get("id")))
                else:
                    self._post(
                        {
                            "type": "error",
                            "payload": protocol_error(
                                "UnsupportedOperation", f"Unknown message type {kind!r}."
                            ),
                        }
                    )
        finally:
            if keepalive is not None:
                keepalive.cancel()
            for subscription_id in list(self.subscriptions.values()):
                self.engine.registry.remove(subscription_id)
            self.subscriptions.clear()
            self.outbox.put_nowait(None)
            with contextlib.suppress(Exception):
                await sender
            with contextlib.suppress(Exception):
                await self.ws.close()

    def _connection_headers(self) -> dict[str, Any]:
        """The connection's auth headers: the `header-` subprotocol, else the query string."""
        for offered in self.ws.scope.get("subprotocols", []):
            if offered.startswith(HEADER_SUBPROTOCOL_PREFIX):
                encoded = offered.removeprefix(HEADER_SUBPROTOCOL_PREFIX)
                return decode_query_param(encoded, "header- subprotocol")
        headers = decode_query_param(self.ws.query_params.get("header"), "header")
        decode_query_param(self.ws.query_params.get("payload") or "e30=", "payload")
        return headers

    def _connection_auth_error(self) -> str | None:
        """Authenticate the connection's headers once, as AppSync does at connect."""
        try:
            headers = self._connection_headers()
            self._authenticate(headers, "/graphql/connect", b"{}")
        except AuthError as error:
            return error.message
        return None

    def _authenticate(self, headers: dict[str, Any], path: str, body: bytes) -> Caller:
        plain = {str(k): str(v) for k, v in headers.items()}
        return self.authenticator.authenticate("POST", path, plain, body, self.source_ip)

    async def _receive(self) -> dict[str, Any] | None:
        """The next JSON object from the client; None once it has gone."""
        while True:
            try:
                text = await self.ws.receive_text()
            except (WebSocketDisconnect, RuntimeError):
                return None
            try:
                message = json.loads(text)
            except ValueError:
                message = None
            if isinstance(message, dict):
                return message
            self._error(None, "MalformedMessage", "Messages must be JSON objects.")

    async def _start(self, message: dict[str, Any]) -> None:
        client_id = str(message.get("id") or "")
        payload = message.get("payload") or {}
        if not client_id:
            self._error(None, "BadRequestException", "A start message needs an id.")
            return
        if client_id in self.subscriptions:
            self._error(client_id, "DuplicatedOperationError", f"Duplicate id {client_id!r}.")
            return
        data = payload.get("data")
        authorization = (payload.get("extensions") or {}).get("authorization") or {}
        try:
            if not isinstance(data, str):
                raise ValueError("payload.data must be the JSON string of the request")
            request = json.loads(data)
            if not isinstance(request, dict) or not isinstance(request.get("query"), str):
                raise ValueError("payload.data must hold a 'query' string")
        except ValueError as error:
            self._error(client_id, "BadRequestException", str(error))
            return
        try:
            caller = self._authenticate(authorization, "/graphql", data.encode())
        except AuthError as error:
            self._error(client_id, error.error_type, error.message, errorCode=401)
            return
        try:
            outcome = await self.run_work(
                lambda: self.engine.subscribe(
                    request["query"],
                    request.get("variables"),
                    request.get("operationName"),
                    caller.identity,
                    caller.auth_type,
                    headers=authorization,
                )
            )
        except Overloaded as error:
            self._error(client_id, error.error_type, str(error))
            return
        if isinstance(outcome, dict):
            errors = outcome.get("errors") or [
                {"errorType": "BadRequestException", "message": "subscription refused"}
            ]
            self._post({"type": "error", "id": client_id, "payload": {"errors": errors}})
            return
        self.subscriptions[client_id] = outcome.id
        outcome.on_data = lambda event: self._post_threadsafe(
            {"type": "data", "id": client_id, "payload": event}
        )
        outcome.on_invalidated = lambda: self.loop.call_soon_threadsafe(
            self._invalidated, client_id
        )
        self.engine.registry.add(outcome)
        self._post({"type": "start_ack", "id": client_id})

    def _invalidated(self, client_id: str) -> None:
        if self.subscriptions.pop(client_id, None) is not None:
            self._post({"type": "complete", "id": client_id})

    async def _stop(self, client_id: str) -> None:
        subscription_id = self.subscriptions.pop(client_id, None)
        if subscription_id is not None:
            self.engine.registry.remove(subscription_id)
        self._post({"type": "complete", "id": client_id})

    def _error(self, client_id: str | None, error_type: str, message: str, **extra: Any) -> None:
        envelope: dict[str, Any] = {
            "type": "error",
            "payload": protocol_error(error_type, message, **extra),
        }
        if client_id is not None:
            envelope["id"] = client_id
        self._post(envelope)

    def _post(self, message: dict[str, Any]) -> None:
        self.outbox.put_nowait(message)

    def _post_threadsafe(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self.outbox.put_nowait, message)

    async def _keepalive(self) -> None:
        while True:
            self._post({"type": "ka"})
            await asyncio.sleep(self.settings.ka_seconds)

    async def _send_loop(self) -> None:
        while True:
            message = await self.outbox.get()
            if message is None:
                return
            try:
                await self.ws.send_text(json.dumps(message, separators=(",", ":")))
            except (WebSocketDisconnect, RuntimeError):
                return
