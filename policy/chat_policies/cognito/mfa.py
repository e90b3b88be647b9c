"""Production users can (or must) use a second factor."""

from pulumi_policy import Severity

from .._support import dig, is_true, resource_policy
from ..environment import is_prod
from . import USER_POOL


def _check(args):
    if not is_prod(args):
        return
    mode = dig(args.props, "mfaConfiguration")
    if mode not in ("ON", "OPTIONAL"):
        yield f"mfaConfiguration is {mode!r} on the production user pool."
    elif not is_true(dig(args.props, "softwareTokenMfaConfiguration.enabled")):
        yield "softwareTokenMfaConfiguration.enabled is not true: no TOTP factor is offered."


POLICY = resource_policy(
    name="cognito-mfa-prod",
    description="Production accounts need a second factor to resist phished passwords.",
    resource_types=[USER_POOL],
    checks="the production user pool offers MFA",
    remediation=(
        'set mfa_configuration="OPTIONAL" (or "ON") and software_token_mfa_configuration='
        "UserPoolSoftwareTokenMfaConfigurationArgs(enabled=True)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("authentication",),
    link="https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html",
)
