"""The production API sits behind a WAF web ACL that rate-limits callers."""

from pulumi_policy import Severity

from .._support import as_list, dig, stack_policy
from ..environment import stack_is_prod
from . import known_strings, of_type


def _has_rate_rule(acl) -> bool:
    return any(
        dig(rule, "statement.rateBasedStatement") for rule in as_list(acl.props.get("rules"))
    )


def _check(args):
    if not stack_is_prod(args):
        return
    associations = list(of_type(args, "aws:wafv2/webAclAssociation:WebAclAssociation"))
    protected = known_strings(associations, "resourceArn")
    for api in of_type(args, "aws:appsync/graphQLApi:GraphQLApi"):
        arn = api.props.get("arn")
        if not associations or (isinstance(arn, str) and protected and arn not in protected):
            yield f"API {api.name!r} has no WAF web ACL association.", api.urn
    acls = list(of_type(args, "aws:wafv2/webAcl:WebAcl"))
    if associations and not any(_has_rate_rule(acl) for acl in acls):
        yield "no web ACL of the stack has a rate-based rule.", None


POLICY = stack_policy(
    name="appsync-waf-prod",
    description=(
        "A production API without a rate limit lets one client flood every room's "
        "subscribers and the tables behind them."
    ),
    checks="the production API is behind a rate-limiting WAF",
    remediation=(
        "create a wafv2.WebAcl (scope REGIONAL) with a rate_based_statement rule and a "
        "WebAclAssociation with resource_arn=<api arn> (stack setting wafRateLimit)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("availability", "network"),
    link="https://docs.aws.amazon.com/appsync/latest/devguide/WAF-Integration.html",
)
