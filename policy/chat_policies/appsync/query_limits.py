"""Production APIs bound what one request may cost: nesting depth and resolvers invoked."""

from .._support import dig, number, resource_policy
from ..environment import is_prod
from . import API


def _check(args):
    if not is_prod(args):
        return
    for key, top in (("queryDepthLimit", 75), ("resolverCountLimit", 10000)):
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
        "set realtime-chat:appsyncQueryDepthLimit (1-75) and "
        "realtime-chat:appsyncResolverCountLimit (1-10000)."
    ),
    check=_check,
)
