"""User names are case-insensitive, decided before the pool exists (it cannot change)."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import USER_POOL


def _check(args):
    if dig(args.props, "usernameConfiguration.caseSensitive") is not False:
        yield (
            "usernameConfiguration.caseSensitive is "
            f"{dig(args.props, 'usernameConfiguration.caseSensitive')!r}: Alice@example.com and "
            "alice@example.com would be two users."
        )


POLICY = resource_policy(
    name="cognito-usernames-case-insensitive",
    description=(
        "A case-sensitive pool lets two accounts differ only in case, and the setting can "
        "only be chosen when the pool is created."
    ),
    resource_types=[USER_POOL],
    checks="the user pool's user names are case-insensitive",
    remediation=(
        "set username_configuration=UserPoolUsernameConfigurationArgs(case_sensitive=False) "
        "(on an existing pool this replaces it: export and import its users)."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("authentication",),
    link="https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-case-sensitivity.html",
)
