"""Passwords are long and mixed."""

from pulumi_policy import Severity

from .._support import dig, is_true, number, resource_policy
from ..environment import is_prod
from . import USER_POOL

MIN_LENGTH = 8
MIN_LENGTH_PROD = 12
REQUIRED_CLASSES = ("requireLowercase", "requireUppercase", "requireNumbers")


def _check(args):
    required = MIN_LENGTH_PROD if is_prod(args) else MIN_LENGTH
    length = number(dig(args.props, "passwordPolicy.minimumLength"))
    if length is None or length < required:
        yield f"passwordPolicy.minimumLength is {length}; at least {required} is required."
    for flag in REQUIRED_CLASSES:
        if not is_true(dig(args.props, f"passwordPolicy.{flag}")):
            yield f"passwordPolicy.{flag} is not true."


POLICY = resource_policy(
    name="cognito-password-strength",
    description=(
        "Accounts are the only boundary between users' private rooms: every stack needs "
        f"{MIN_LENGTH}+ mixed characters, production {MIN_LENGTH_PROD}+ against credential "
        "stuffing."
    ),
    resource_types=[USER_POOL],
    checks="the user pool requires strong passwords",
    remediation=(
        f"set password_policy=UserPoolPasswordPolicyArgs(minimum_length={MIN_LENGTH_PROD}, "
        "require_lowercase=True, require_uppercase=True, require_numbers=True)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("authentication",),
    link="https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-policies.html",
)
