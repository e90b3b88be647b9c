"""The HTTP face of the emulator: `POST /graphql` and the real-time WebSocket, one port.

AppSync serves queries and mutations at `https://<api>/graphql` and subscriptions at
`wss://<api-realtime>/graphql`; locally both live on the same port and path (HTTP
routes and WebSocket routes are matched separately), and the real-time endpoint also
answers on `/graphql/realtime`, where Amplify JS connects for a custom domain. The same
app is served over plain HTTP and over TLS (`emulator.tls`), with AppSync's CORS answers
(`emulator.cors`) and, at `/`, the demo chat page (`emulator.web`). The engine is
synchronous (graphql-core, moto), so each request runs on a worker thread, in arrival order
and with a bounded queue (`emulator.admission`: past it, HTTP 429 with errorType
`LimitExceeded`), and the event loop stays free for WebSocket traffic.

Errors follow AppSync: credentials that are missing or rejected give HTTP 401 with
`{"errors": [{"errorType": "UnauthorizedException", "message": ...}]}`; a body that is
not a GraphQL request gives 400 with `MalformedHttpRequestException`; everything else
is a 200 with GraphQL's `data`/`errors`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route, WebSocketRoute
from starlette.websockets import WebSocket

from emulator.admission import RETRY_AFTER_SECONDS, Admission, Overloaded, overloaded_body
from emulator.authentication import Authenticator, AuthError
from emulator.cors import appsync_cors
from emulator.realtime import RealtimeConnection, RealtimeSettings, SubscriptionEngine

GRAPHQL_PATH = "/graphql"
REALTIME_PATHS = (GRAPHQL_PATH, GRAPHQL_PATH + "/realtime")


class Engine(SubscriptionEngine, Protocol):
    """`emulator.core.AppSyncEngine` as the HTTP endpoint uses it."""

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
        identity: dict[str, Any] | None = None,
        auth_type: str = ...,
        headers: dict[str, Any] | None = None,
    ) -> dict[str, Any]: ...


def _error(status: int, error_type: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"errorType": error_type, "message": message}]}, status_code=status
    )


def parse_graphql_body(body: bytes) -> dict[str, Any]:
    """The `{query, variables, operationName}` object; ValueError says what is wrong."""
    try:
        request = json.loads(body)
    except ValueError:
        raise ValueError("The request body is not valid JSON.") from None
    if not isinstance(request, dict):
        raise ValueError("The request body must be a JSON object (batching is not supported).")
    if not isinstance(request.get("query"), str) or not request["query"].strip():
        raise ValueError("The request body has no 'query' string.")
    variables = request.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise ValueError("'variables' must be a JSON object.")
    operation_name = request.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise ValueError("'operationName' must be a string.")
    return request


def request_label(payload: dict[str, Any]) -> str:
    """What a slow request is logged as: its operation name, else its first field."""
    if payload.get("operationName"):
        return str(payload["operationName"])
    field = re.search(r"\{\s*(\w+)", payload["query"])
    return field.group(1) if field else "request"


def create_app(
    engine: Engine,
    authenticator: Authenticator,
    realtime: RealtimeSettings | None = None,
    extra_routes: Sequence[BaseRoute] = (),
    admission: Admission | None = None,
) -> Starlette:
    """The app; `admission` orders and bounds the engine work (`emulator.admission`)."""
    realtime_settings = realtime or RealtimeSettings()
    queue = admission or Admission()

    async def graphql(request: Request) -> JSONResponse:
        body = await request.body()
        source_ip = request.client.host if request.client else "127.0.0.1"
        try:
            caller = authenticator.authenticate(
                "POST", request.url.path, dict(request.headers), body, source_ip
            )
        except AuthError as error:
            return _error(401, error.error_type, error.message)
        try:
            payload = parse_graphql_body(body)
        except ValueError as error:
            return _error(400, "MalformedHttpRequestException", str(error))
        headers = dict(request.headers)
        try:
            result = await queue.run(
                lambda: engine.execute(
                    payload["query"],
                    payload.get("variables"),
                    payload.get("operationName"),
                    caller.identity,
                    caller.auth_type,
                    headers=headers,
                ),
                label=request_label(payload),
            )
        except Overloaded as error:
            return JSONResponse(
                overloaded_body(error),
                status_code=429,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return JSONResponse(result)

    async def realtime_endpoint(websocket: WebSocket) -> None:
        connection = RealtimeConnection(
            websocket, engine, authenticator, realtime_settings, queue.run
        )
        await connection.run()

    return Starlette(
        routes=[
            Route(GRAPHQL_PATH, graphql, methods=["POST"]),
            *(WebSocketRoute(path, realtime_endpoint) for path in REALTIME_PATHS),
            *extra_routes,
        ],
        middleware=[appsync_cors()],
    )
