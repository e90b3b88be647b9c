"""Requests are traced from AppSync through the Lambdas."""

from .._support import dig, is_true, resource_policy
from . import API


def _check(args):
    if not is_true(dig(args.props, "xrayEnabled")):
        yield "xrayEnabled is not true."


POLICY = resource_policy(
    name="appsync-xray-enabled",
    description=(
        "Latency in a pipeline resolver (membership check, write, Lambda join) is only "
        "attributable with X-Ray traces."
    ),
    resource_types=[API],
    checks="the API has X-Ray tracing",
    remediation="set xray_enabled=True.",
    check=_check,
)
