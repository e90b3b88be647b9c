"""Production APIs bound what one request may cost: nesting depth and resolvers invoked."""

from pulumi_policy import Severity

from .._support import dig, number, resource_policy
from ..environment import is_prod
from . import API

MAX_QUERY_DEPTH = 75
"""AppSync's largest queryDepthLimit (chatspec.aws_limits.APPSYNC_QUERY_DEPTH_LIMIT)."""
MAX_RESOLVER_COUNT = 10000
"""AppSync's largest resolverCountLimit (chatspec.aws_limits.APPSYNC_RESOLVER_COUNT_LIMIT)."""


def _check(args):
    if not is_prod(args):
        return
    for key, top in (
        ("queryDepthLimit", MAX_QUERY_DEPTH),
        ("resolverCountLimit", MAX_RESOLVER_COUNT),
    ):
        value = number(dig(args.props, key))
        if value is None or not 1 <= value <= top:
            yield f"{key} is {dig(args.props, key)!r} on the production API (expected 1 to {top})."


POLICY = resource_policy(
    name="appsync-query-limits-prod",
    description=(
        "Without a depth and resolver-count limit one crafted query can fan out into "
        "thousands of resolvers and DynamoDB reads."
    ),
    resource_types=[API],
    checks="the production API sets queryDepthLimit and resolverCountLimit",
    remediation=(
        f"set realtime-chat:appsyncQueryDepthLimit (1-{MAX_QUERY_DEPTH}) and "
        f"realtime-chat:appsyncResolverCountLimit (1-{MAX_RESOLVER_COUNT})."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("availability", "cost"),
    link="https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html#configuration-limits-depth",
)
