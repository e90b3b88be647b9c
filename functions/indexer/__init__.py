"""Messages stream to OpenSearch."""
