"""Traffic between search nodes is encrypted."""

from pulumi_policy import Severity

from .._support import require_true, resource_policy
from . import DOMAIN

POLICY = resource_policy(
    name="opensearch-node-to-node-encryption",
    description="Shard replication carries message bodies between nodes and must be encrypted.",
    resource_types=[DOMAIN],
    checks="the search domain encrypts node-to-node traffic",
    remediation="set node_to_node_encryption=DomainNodeToNodeEncryptionArgs(enabled=True).",
    check=require_true("nodeToNodeEncryption.enabled"),
    severity=Severity.HIGH,
    tags=("encryption", "network"),
    link="https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
)
