"""Browser and mobile clients have no client secret."""

from pulumi_policy import Severity

from .._support import as_list, dig, is_true, resource_policy
from . import USER_POOL_CLIENT


def _is_confidential(props) -> bool:
    return "client_credentials" in as_list(dig(props, "allowedOauthFlows"))


def _check(args):
    if not _is_confidential(args.props) and is_true(dig(args.props, "generateSecret")):
        yield "generateSecret is true on a public (user-facing) app client."


POLICY = resource_policy(
    name="cognito-public-client-no-secret",
    description=(
        "A secret shipped in a web or mobile app is public; it protects nothing and breaks "
        "the SRP sign-in the chat clients use."
    ),
    resource_types=[USER_POOL_CLIENT],
    checks="a public app client has no secret",
    remediation="set generate_secret=False on clients used by browsers or mobile apps.",
    check=_check,
    severity=Severity.MEDIUM,
    tags=("authentication",),
    link="https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html#user-pool-settings-client-app-client-types",
)
