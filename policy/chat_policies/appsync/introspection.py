"""Production APIs do not publish their schema through introspection."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from ..environment import is_prod
from . import API


def _check(args):
    if is_prod(args) and dig(args.props, "introspectionConfig") != "DISABLED":
        yield (
            f"introspectionConfig is {dig(args.props, 'introspectionConfig')!r} on the "
            "production API."
        )


POLICY = resource_policy(
    name="appsync-introspection-disabled-prod",
    description="Introspection hands anyone with a token the whole schema, admin fields included.",
    resource_types=[API],
    checks="the production API has introspection disabled",
    remediation="set realtime-chat:appsyncIntrospection to false (introspection_config=DISABLED).",
    check=_check,
    severity=Severity.MEDIUM,
    tags=("access-control",),
    link="https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html#configuration-limits-introspection",
)
