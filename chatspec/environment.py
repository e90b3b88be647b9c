"""The environment variables of a deployed chat Lambda, written once: names and values.

`ChatLambda` deploys exactly this map (its values are Pulumi outputs there), and the
emulator starts each function's worker with the same map (plain strings: the local table
names, pool id and search endpoint), plus only what the Lambda runtime itself sets. So a
variable the code needs but the stack does not deploy fails locally too.

Plain Python on purpose (no pulumi): the emulator imports it, and the Lambdas read the
variable names from here (`functions/common/opensearch.py`, `functions/rooms/tables.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, TypeVar

import chatspec
from chatspec import assistant as assistant_spec
from chatspec.malware import MALWARE_SCANNING_ENV
from chatspec.model import LambdaFunction
from chatspec.push import APPLICATIONS_ENV

SEARCH_INDEX = "messages"
SERVICE_ENV = "POWERTOOLS_SERVICE_NAME"
LOG_LEVEL_ENV = "LOG_LEVEL"
USER_POOL_ENV = "USER_POOL_ID"
SEARCH_ENDPOINT_ENV = "OPENSEARCH_ENDPOINT"
SEARCH_INDEX_ENV = "OPENSEARCH_INDEX"
UPLOADS_BUCKET_ENV = "UPLOADS_BUCKET"
GRAPHQL_URL_ENV = assistant_spec.GRAPHQL_URL_ENV
Value = TypeVar("Value")


class AssistantConfig(Protocol):
    """What the assistant's environment needs of `stacksettings.AssistantSettings` (a
    protocol, so this plain-data module does not import the settings package)."""

    @property
    def model_id(self) -> str: ...
    @property
    def guardrail_id(self) -> str | None: ...
    @property
    def guardrail_version(self) -> str | None: ...
    @property
    def max_tokens(self) -> int: ...
    @property
    def room_daily_tokens(self) -> int: ...
    @property
    def user_requests_per_minute(self) -> int: ...


def function_environment(
    spec: LambdaFunction,
    *,
    table_names: Mapping[str, Value],
    log_level: str,
    user_pool_id: Value | None = None,
    search_endpoint: Value | None = None,
    push_applications: Value | None = None,
    graphql_url: Value | None = None,
    assistant: AssistantConfig | None = None,
    uploads_bucket: Value | None = None,
    malware_scanning: bool = False,
) -> dict[str, Value | str]:
    """`<TABLE>_TABLE` per table the grants name, the Powertools service and log level,
    the user pool for `uses_cognito`, the search endpoint (a full URL) and index for
    `uses_search`, the platform applications (JSON {platform: ARN}) for `uses_push`, the
    API's URL for `api_fields`, the model, guardrail and budgets for `uses_bedrock`, the
    uploads bucket for `uses_uploads`, and for the bucket's checker (`bucket_source`) whether
    the stack scans uploads for malware (`true`/`false`, `uploads.malwareScanning`)."""
    environment: dict[str, Value | str] = {
        chatspec.table(t).env_var: table_names[t] for t in sorted({g.table for g in spec.grants})
    }
    environment[SERVICE_ENV] = spec.name
    environment[LOG_LEVEL_ENV] = log_level
    if spec.uses_cognito:
        if user_pool_id is None:
            raise ValueError(f"Lambda {spec.name!r} uses Cognito but got no user pool id")
        environment[USER_POOL_ENV] = user_pool_id
    if spec.uses_search:
        if search_endpoint is None:
            raise ValueError(f"Lambda {spec.name!r} uses search but got no endpoint")
        environment[SEARCH_ENDPOINT_ENV] = search_endpoint
        environment[SEARCH_INDEX_ENV] = SEARCH_INDEX
    if spec.uses_push:
        environment[APPLICATIONS_ENV] = "{}" if push_applications is None else push_applications
    if spec.api_fields:
        if graphql_url is None:
            raise ValueError(f"Lambda {spec.name!r} calls the API but got no GraphQL URL")
        environment[assistant_spec.GRAPHQL_URL_ENV] = graphql_url
    if spec.uses_uploads:
        if uploads_bucket is None:
            raise ValueError(f"Lambda {spec.name!r} uses the uploads bucket but got none")
        environment[UPLOADS_BUCKET_ENV] = uploads_bucket
    if spec.bucket_source:
        environment[MALWARE_SCANNING_ENV] = "true" if malware_scanning else "false"
    if spec.uses_bedrock:
        if assistant is None:
            raise ValueError(f"Lambda {spec.name!r} uses Bedrock but the stack names no model")
        environment.update(assistant_environment(assistant))
    return environment


def assistant_environment(assistant: AssistantConfig) -> dict[str, str]:
    environment = {
        assistant_spec.MODEL_ID_ENV: assistant.model_id,
        assistant_spec.MAX_TOKENS_ENV: str(assistant.max_tokens),
        assistant_spec.ROOM_DAILY_TOKENS_ENV: str(assistant.room_daily_tokens),
        assistant_spec.USER_REQUESTS_PER_MINUTE_ENV: str(assistant.user_requests_per_minute),
    }
    if assistant.guardrail_id is not None:
        environment[assistant_spec.GUARDRAIL_ID_ENV] = assistant.guardrail_id
        environment[assistant_spec.GUARDRAIL_VERSION_ENV] = str(assistant.guardrail_version)
    return environment
