"""Production search has a dedicated, odd-sized master quorum."""

from pulumi_policy import Severity

from .._support import dig, is_true, number, resource_policy
from ..environment import is_prod
from . import DOMAIN


def _check(args):
    if not is_prod(args):
        return
    if not is_true(dig(args.props, "clusterConfig.dedicatedMasterEnabled")):
        yield "clusterConfig.dedicatedMasterEnabled is not true on the production domain."
        return
    count = number(dig(args.props, "clusterConfig.dedicatedMasterCount"))
    if count is None or count < 3 or count % 2 == 0:
        yield f"clusterConfig.dedicatedMasterCount is {count}; use 3 or 5 for a quorum."


POLICY = resource_policy(
    name="opensearch-dedicated-masters-prod",
    description=(
        "Data nodes that also elect the cluster manager destabilise under indexing load; "
        "production needs three (or five) dedicated masters."
    ),
    resource_types=[DOMAIN],
    checks="the production domain has dedicated masters",
    remediation=(
        "set cluster_config.dedicated_master_enabled=True, dedicated_master_count=3 and a "
        "dedicated_master_type."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("availability",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-dedicatedmasternodes.html",
)
