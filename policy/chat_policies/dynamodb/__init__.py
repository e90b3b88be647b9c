"""DynamoDB tables: encryption, recovery, deletion protection, streams."""
