"""OpenSearch domains: network placement, encryption, TLS, access, resilience, logs."""

DOMAIN = "aws:opensearch/domain:Domain"
