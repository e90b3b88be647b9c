"""Indexed messages are encrypted on disk."""

from pulumi_policy import Severity

from .._support import require_true, resource_policy
from . import DOMAIN

POLICY = resource_policy(
    name="opensearch-encryption-at-rest",
    description="The index holds message bodies; snapshots and volumes must be encrypted.",
    resource_types=[DOMAIN],
    checks="the search domain encrypts data at rest",
    remediation=(
        "set encrypt_at_rest=DomainEncryptAtRestArgs(enabled=True, kms_key_id=<the stack's "
        "key on prod>)."
    ),
    check=require_true("encryptAtRest.enabled"),
    severity=Severity.HIGH,
    tags=("encryption",),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
)
