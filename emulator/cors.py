"""CORS on the GraphQL endpoint, as AppSync answers it, so browser apps can call the API.

AppSync answers a preflight `OPTIONS /graphql` with 200, `access-control-allow-origin: *`,
`access-control-max-age: 172800` and `access-control-expose-headers:
x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version`,
and allows the headers the browser asks for (Authorization, Content-Type, x-amz-*); its
other responses carry the same origin and expose headers. (Observed on an
`*.appsync-api.*.amazonaws.com` endpoint; AppSync documents no CORS setting, every origin
is allowed and credentials ride in the Authorization header, never in cookies.)

Starlette's `CORSMiddleware` does the protocol; this module holds AppSync's values, and
makes the preflight answer as AppSync's does: the expose headers on it too, an empty body.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

ALLOW_ORIGIN = "*"
MAX_AGE_SECONDS = 172800
EXPOSE_HEADERS = (
    "x-amzn-RequestId",
    "x-amzn-ErrorType",
    "x-amz-user-agent",
    "x-amzn-ErrorMessage",
    "Date",
    "x-amz-schema-version",
)
ALLOW_METHODS = ("GET", "POST", "OPTIONS")


class AppSyncCors(CORSMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(
            app,
            allow_origins=[ALLOW_ORIGIN],
            allow_methods=list(ALLOW_METHODS),
            allow_headers=["*"],
            expose_headers=list(EXPOSE_HEADERS),
            max_age=MAX_AGE_SECONDS,
        )
        self.preflight_headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSE_HEADERS)

    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 200:
            return answer
        headers = {k: v for k, v in answer.headers.items() if k.lower() != "content-type"}
        headers.pop("content-length", None)
        return Response(status_code=200, headers=headers)


def appsync_cors() -> Middleware:
    return Middleware(AppSyncCors)
