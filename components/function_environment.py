"""The environment variables of a deployed chat Lambda, written once.

`ChatFunction` deploys exactly this map (its values are Pulumi outputs there), and the
emulator starts each function's worker with the same map (plain strings: the local table
names, pool id and search endpoint), plus only what the Lambda runtime itself sets. So a
variable the code needs but the stack does not deploy fails locally too.

Plain Python on purpose (no pulumi): the emulator imports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import chatspec
from chatspec.model import LambdaFunction

SEARCH_INDEX = "messages"
UPLOADS_BUCKET_ENV = "UPLOADS_BUCKET"
GRAPHQL_URL_ENV = "GRAPHQL_URL"
Value = TypeVar("Value")


def function_environment(
    spec: LambdaFunction,
    *,
    table_names: Mapping[str, Value],
    log_level: str,
    user_pool_id: Value | None = None,
    search_endpoint: Value | None = None,
    uploads_bucket: Value | None = None,
    graphql_url: Value | None = None,
) -> dict[str, Value | str]:
    """`<TABLE>_TABLE` per table the grants name, the Powertools service and log level,
    the user pool for `uses_cognito`, the search endpoint (a full URL) and index for
    `uses_search`, the uploads bucket for `uses_uploads`, the API's URL for `calls_api`."""
    environment: dict[str, Value | str] = {
        chatspec.table(t).env_var: table_names[t] for t in sorted({g.table for g in spec.grants})
    }
    environment["POWERTOOLS_SERVICE_NAME"] = spec.name
    environment["LOG_LEVEL"] = log_level
    if spec.uses_cognito:
        if user_pool_id is None:
            raise ValueError(f"Lambda {spec.name!r} uses Cognito but got no user pool id")
        environment["USER_POOL_ID"] = user_pool_id
    if spec.uses_search:
        if search_endpoint is None:
            raise ValueError(f"Lambda {spec.name!r} uses search but got no endpoint")
        environment["OPENSEARCH_ENDPOINT"] = search_endpoint
        environment["OPENSEARCH_INDEX"] = SEARCH_INDEX
    if spec.uses_uploads:
        if uploads_bucket is None:
            raise ValueError(f"Lambda {spec.name!r} uses the uploads bucket but got none")
        environment[UPLOADS_BUCKET_ENV] = uploads_bucket
    if spec.calls_api:
        if graphql_url is None:
            raise ValueError(f"Lambda {spec.name!r} calls the API but got no GraphQL URL")
        environment[GRAPHQL_URL_ENV] = graphql_url
    return environment
