"""Customer-managed keys rotate their key material."""

from pulumi_policy import Severity

from .._support import require_true, resource_policy
from . import KEY

POLICY = resource_policy(
    name="kms-key-rotation",
    description="Yearly rotation limits how much data one compromised key version exposes.",
    resource_types=[KEY],
    checks="the KMS key rotates",
    remediation="set enable_key_rotation=True.",
    check=require_true("enableKeyRotation"),
    severity=Severity.MEDIUM,
    tags=("encryption",),
    link="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
)
