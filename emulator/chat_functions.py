"""The chat Lambdas as the emulator runs them: one handle per `chatspec` Lambda, from the
artifact, each with its deployed environment (`chatspec.environment`) and
what stands in locally for the execution role and AWS's endpoints.

Locally, the role's credentials are the emulator's and every AWS SDK call goes to
`aws_endpoint` (moto) through `AWS_ENDPOINT_URL`, which botocore honours for every
service; the SDK names the function in its User-Agent (`AWS_SDK_UA_APP_ID`), by which
`emulator.lambda_grants` holds its calls to its role's grants. Those and the runtime's own
variables are the only additions to the deployed map.
"""

from __future__ import annotations

from collections.abc import Mapping

import chatspec
from chatspec.environment import function_environment
from components.naming import function_name
from emulator.lambda_runtime import FunctionHandle, LambdaService
from stacksettings.settings import AssistantSettings

BACKGROUND_NICENESS = 10


def local_aws_environment(endpoint: str, access_key: str, secret_key: str) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }


def chat_functions(
    service: LambdaService,
    *,
    prefix: str,
    table_names: Mapping[str, str],
    log_level: str,
    aws: Mapping[str, str],
    user_pool_id: str | None = None,
    search_endpoint: str | None = None,
    uploads_bucket: str | None = None,
    push_applications: str | None = None,
    graphql_url: str | None = None,
    assistant: AssistantSettings | None = None,
    malware_scanning: bool = False,
) -> dict[str, FunctionHandle]:
    """Handles by Lambda name; search Lambdas are left out when there is no endpoint, the
    backends that call the API when there is no GraphQL URL (the in-process test API),
    the assistant when the settings name no model (as in a stack without one).

    The events enrichment and the bus rules' targets are background consumers: their
    workers run at `BACKGROUND_NICENESS`, so event traffic does not slow requests down."""
    from chatspec.events import ENRICHMENT_FUNCTION, RULES

    background = {ENRICHMENT_FUNCTION} | {rule.target for rule in RULES}
    handles = {}
    for spec in chatspec.LAMBDAS:
        if spec.uses_search and not search_endpoint:
            continue
        if (spec.api_fields and not graphql_url) or (spec.uses_bedrock and assistant is None):
            continue
        environment = function_environment(
            spec,
            table_names=table_names,
            log_level=log_level,
            user_pool_id=user_pool_id,
            search_endpoint=search_endpoint,
            uploads_bucket=uploads_bucket,
            push_applications=push_applications,
            graphql_url=graphql_url,
            assistant=assistant,
            malware_scanning=malware_scanning,
        )
        handles[spec.name] = service.function(
            spec.name,
            {**environment, **aws, "AWS_SDK_UA_APP_ID": spec.name},
            timeout_seconds=spec.timeout_seconds,
            memory_mb=spec.memory_mb,
            deployed_name=function_name(prefix, spec.name),
            niceness=BACKGROUND_NICENESS if spec.name in background else 0,
        )
    return handles
