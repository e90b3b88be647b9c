"""The domain's access policy names its callers; `*` lets any AWS account in."""

from collections.abc import Mapping

from pulumi_policy import Severity

from .._support import as_list, dig, json_document, resource_policy
from . import DOMAIN

DOMAIN_POLICY = "aws:opensearch/domainPolicy:DomainPolicy"


def _is_wildcard(principal) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, Mapping):
        return any("*" in as_list(value) for value in principal.values())
    return False


def _check(args):
    document = json_document(dig(args.props, "accessPolicies"))
    if document is None:
        return
    for statement in as_list(document.get("Statement") if isinstance(document, Mapping) else None):
        if statement.get("Effect") == "Allow" and _is_wildcard(statement.get("Principal")):
            yield 'the access policy allows Principal "*".'


POLICY = resource_policy(
    name="opensearch-no-wildcard-principal",
    description=(
        "An access policy with Principal * lets anyone who can reach the endpoint read "
        "and write the index; only the search and indexer roles should."
    ),
    resource_types=[DOMAIN, DOMAIN_POLICY],
    checks="the search domain's access policy names no wildcard principal",
    remediation=(
        'name the Lambda roles: "Principal": {"AWS": [<indexer role arn>, <search role arn>]}.'
    ),
    check=_check,
    severity=Severity.CRITICAL,
    tags=("access-control",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html#ac-types-resource",
)
