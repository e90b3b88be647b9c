"""Production search survives the loss of an availability zone."""

from pulumi_policy import Severity

from .._support import dig, is_true, number, resource_policy
from ..environment import is_prod
from . import DOMAIN


def _check(args):
    if not is_prod(args):
        return
    if not is_true(dig(args.props, "clusterConfig.zoneAwarenessEnabled")):
        yield "clusterConfig.zoneAwarenessEnabled is not true on the production domain."
    zones = number(dig(args.props, "clusterConfig.zoneAwarenessConfig.availabilityZoneCount"))
    if zones is None or zones < 2:
        yield "clusterConfig.zoneAwarenessConfig.availabilityZoneCount is below 2."


POLICY = resource_policy(
    name="opensearch-zone-awareness-prod",
    description="A single-AZ production domain takes search down with its zone.",
    resource_types=[DOMAIN],
    checks="the production domain spreads over availability zones",
    remediation=(
        "set cluster_config.zone_awareness_enabled=True with zone_awareness_config="
        "{availability_zone_count: 2 or 3} and an instance_count that is a multiple of it."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("availability",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html",
)
