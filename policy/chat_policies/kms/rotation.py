"""Customer-managed keys rotate their key material."""

from .._support import dig, is_true, resource_policy
from . import KEY


def _check(args):
    if not is_true(dig(args.props, "enableKeyRotation")):
        yield "enableKeyRotation is not true."


POLICY = resource_policy(
    name="kms-key-rotation",
    description="Yearly rotation limits how much data one compromised key version exposes.",
    resource_types=[KEY],
    checks="the KMS key rotates",
    remediation="set enable_key_rotation=True.",
    check=_check,
)
