"""Requests are traced from AppSync through the Lambdas."""

from pulumi_policy import Severity

from .._support import require_true, resource_policy
from . import API

POLICY = resource_policy(
    name="appsync-xray-enabled",
    description=(
        "Latency in a pipeline resolver (membership check, write, Lambda join) is only "
        "attributable with X-Ray traces."
    ),
    resource_types=[API],
    checks="the API has X-Ray tracing",
    remediation="set xray_enabled=True.",
    check=require_true("xrayEnabled"),
    severity=Severity.LOW,
    tags=("tracing",),
    link="https://docs.aws.amazon.com/appsync/latest/devguide/x-ray-tracing.html",
)
