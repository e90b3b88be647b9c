"""Callers are identified by Cognito or IAM, never by a shared API key."""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import API


def _check(args):
    if dig(args.props, "authenticationType") == "API_KEY":
        yield "authenticationType is API_KEY."
    for provider in as_list(dig(args.props, "additionalAuthenticationProviders")):
        if provider.get("authenticationType") == "API_KEY":
            yield "additionalAuthenticationProviders includes API_KEY."


POLICY = resource_policy(
    name="appsync-no-api-key",
    description=(
        "Resolvers take identity from $ctx.identity; an API key carries none, so every "
        "membership check would see an anonymous caller."
    ),
    resource_types=[API],
    checks="the API authenticates with Cognito or IAM",
    remediation=(
        'set authentication_type="AMAZON_COGNITO_USER_POOLS" and add AWS_IAM as an '
        "additional provider for backend callers."
    ),
    check=_check,
    severity=Severity.CRITICAL,
    tags=("authentication",),
    link="https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html",
)
