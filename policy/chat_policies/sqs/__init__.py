"""SQS queues (the indexer's dead-letter queue)."""

QUEUE = "aws:sqs/queue:Queue"
