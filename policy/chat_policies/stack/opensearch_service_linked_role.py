"""A VPC search domain needs the account's OpenSearch service-linked role."""

from pulumi_policy import Severity

from .._support import ADVISORY, dig, stack_policy
from . import of_type

SERVICE = "opensearchservice.amazonaws.com"


def _check(args):
    domains = [
        d for d in of_type(args, "aws:opensearch/domain:Domain") if dig(d.props, "vpcOptions")
    ]
    roles = [
        r
        for r in of_type(args, "aws:iam/serviceLinkedRole:ServiceLinkedRole")
        if r.props.get("awsServiceName") == SERVICE
    ]
    if domains and not roles:
        for domain in domains:
            yield (
                f"domain {domain.name!r} runs in a VPC but this stack declares no "
                f"service-linked role for {SERVICE}; CreateDomain fails in an account without it.",
                domain.urn,
            )


POLICY = stack_policy(
    name="opensearch-service-linked-role",
    description=(
        "OpenSearch needs AWSServiceRoleForAmazonOpenSearchService to place a domain in a "
        "VPC; in a new account nothing else creates it."
    ),
    checks="a VPC domain comes with the OpenSearch service-linked role",
    remediation=(
        "keep realtime-chat:search.serviceLinkedRole at create (the default), or set it to "
        "existing only when the account already has the role."
    ),
    check=_check,
    severity=Severity.LOW,
    tags=("deployment",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html",
    enforcement_level=ADVISORY,
)
