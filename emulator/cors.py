"""CORS on the GraphQL endpoint, as AppSync answers it, so browser apps can call the API.

AppSync answers a preflight `OPTIONS /graphql` with 200, `access-control-allow-origin: *`,
`access-control-max-age: 172800` and `access-control-expose-headers:
x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version`,
and allows the headers the browser asks for (Authorization, Content-Type, x-amz-*); its
other responses carry the same origin and expose headers. (Observed on an
`*.appsync-api.*.amazonaws.com` endpoint; AppSync documents no CORS setting, every origin
is allowed and credentials ride in the Authorization header, never in cookies.)

Starlette's `CORSMiddleware` does the protocol; this module holds AppSync's values.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

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


def appsync_cors() -> Middleware:
    return Middleware(
        CORSMiddleware,
        allow_origins=[ALLOW_ORIGIN],
        allow_methods=list(ALLOW_METHODS),
        allow_headers=["*"],
        expose_headers=list(EXPOSE_HEADERS),
        max_age=MAX_AGE_SECONDS,
    )
