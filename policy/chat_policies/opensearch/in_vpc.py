"""The search domain has no public endpoint."""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import DOMAIN


def _check(args):
    if not as_list(dig(args.props, "vpcOptions.subnetIds")):
        yield "vpcOptions.subnetIds is empty: the domain gets a public endpoint."
    if not as_list(dig(args.props, "vpcOptions.securityGroupIds")):
        yield "vpcOptions.securityGroupIds is empty: the VPC default security group applies."


POLICY = resource_policy(
    name="opensearch-in-vpc",
    description=(
        "Message search holds every chat message; a domain with a public endpoint is one "
        "access-policy mistake away from leaking them."
    ),
    resource_types=[DOMAIN],
    checks="the search domain is placed inside a VPC",
    remediation=(
        "set vpc_options=DomainVpcOptionsArgs(subnet_ids=<private subnets>, "
        "security_group_ids=[<a group open only to the search Lambdas>])."
    ),
    check=_check,
    severity=Severity.CRITICAL,
    tags=("network",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
)
