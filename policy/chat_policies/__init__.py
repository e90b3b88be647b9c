"""The realtime-chat policies, one per module, in the order the report lists them.

Importable without starting anything: `policy/__main__.py` hands `POLICIES` to
`PolicyPack` (which serves them to the Pulumi CLI), and `policy.offline` runs them over
the mocked stacks.
"""

from pulumi_policy import Policy

from .appsync import introspection, no_api_key_default, query_limits, xray
from .appsync import logging as appsync_logging
from .cloudwatch import log_encryption, log_retention
from .cognito import case_insensitive_usernames, mfa, password_strength, public_client_secret
from .cognito import deletion_protection as cognito_deletion_protection
from .dynamodb import deletion_protection as dynamodb_deletion_protection
from .dynamodb import encryption as dynamodb_encryption
from .dynamodb import point_in_time_recovery, stream_view
from .eventsource import (
    bisect_on_error,
    bounded_record_age,
    bounded_retries,
    on_failure_destination,
    partial_batch_response,
    starting_position,
)
from .iam import no_service_wildcard, no_star_action, no_star_resource_on_data
from .kms import description as kms_description
from .kms import rotation
from .lambda_ import supported_runtime, tracing
from .opensearch import (
    dedicated_masters,
    encryption_at_rest,
    https_only,
    in_vpc,
    logs,
    no_wildcard_principal,
    node_to_node_encryption,
    zone_awareness,
)
from .sqs import encryption as sqs_encryption
from .sqs import retention
from .stack import (
    lambda_log_group,
    lambda_timeout_below_trigger,
    opensearch_service_linked_role,
    resolver_data_source,
    stream_source_enabled,
    table_throttle_alarm,
    waf_on_prod_api,
)
from .stateful import prod_protected
from .tagging import required_tags

_MODULES = (
    dynamodb_encryption,
    point_in_time_recovery,
    dynamodb_deletion_protection,
    stream_view,
    in_vpc,
    encryption_at_rest,
    node_to_node_encryption,
    https_only,
    no_wildcard_principal,
    zone_awareness,
    dedicated_masters,
    logs,
    no_api_key_default,
    appsync_logging,
    xray,
    query_limits,
    introspection,
    tracing,
    supported_runtime,
    starting_position,
    bisect_on_error,
    bounded_retries,
    bounded_record_age,
    on_failure_destination,
    partial_batch_response,
    no_star_action,
    no_service_wildcard,
    no_star_resource_on_data,
    rotation,
    kms_description,
    password_strength,
    mfa,
    case_insensitive_usernames,
    cognito_deletion_protection,
    public_client_secret,
    sqs_encryption,
    retention,
    log_retention,
    log_encryption,
    required_tags,
    prod_protected,
    table_throttle_alarm,
    lambda_log_group,
    resolver_data_source,
    lambda_timeout_below_trigger,
    waf_on_prod_api,
    stream_source_enabled,
    opensearch_service_linked_role,
)

POLICIES: list[Policy] = [module.POLICY for module in _MODULES]
