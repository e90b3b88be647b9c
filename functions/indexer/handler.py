"""Lambda entry point: DynamoDB stream of the messages table to OpenSearch.

`raise_on_entire_batch_failure=False`: when every record fails (e.g. the domain is
down) the answer still names each record in `batchItemFailures` rather than raising, so
Lambda retries from the first record without bisecting a batch that is not at fault.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.common.opensearch import cached_client, index_name
from functions.indexer.batch import index_batch

processor = BatchProcessor(
    event_type=EventType.DynamoDBStreams, raise_on_entire_batch_failure=False
)


def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    outcome = index_batch(cached_client(), index_name(), event.get("Records") or [])
    return process_partial_response(
        event=event, record_handler=outcome.raise_for, processor=processor, context=context
    )
