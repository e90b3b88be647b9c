"""Indexed messages are encrypted on disk."""

from .._support import dig, is_true, resource_policy
from . import DOMAIN


def _check(args):
    if not is_true(dig(args.props, "encryptAtRest.enabled")):
        yield "encryptAtRest.enabled is not true."


POLICY = resource_policy(
    name="opensearch-encryption-at-rest",
    description="The index holds message bodies; snapshots and volumes must be encrypted.",
    resource_types=[DOMAIN],
    checks="the search domain encrypts data at rest",
    remediation=(
        "set encrypt_at_rest=DomainEncryptAtRestArgs(enabled=True, kms_key_id=<the stack's "
        "key on prod>)."
    ),
    check=_check,
)
