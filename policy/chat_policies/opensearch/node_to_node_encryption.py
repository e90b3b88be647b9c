"""Traffic between search nodes is encrypted."""

from .._support import dig, is_true, resource_policy
from . import DOMAIN


def _check(args):
    if not is_true(dig(args.props, "nodeToNodeEncryption.enabled")):
        yield "nodeToNodeEncryption.enabled is not true."


POLICY = resource_policy(
    name="opensearch-node-to-node-encryption",
    description="Shard replication carries message bodies between nodes and must be encrypted.",
    resource_types=[DOMAIN],
    checks="the search domain encrypts node-to-node traffic",
    remediation="set node_to_node_encryption=DomainNodeToNodeEncryptionArgs(enabled=True).",
    check=_check,
)
