"""Event source mappings from DynamoDB streams: failure handling.

A mapping with a `startingPosition` reads a stream (DynamoDB or Kinesis); queue
mappings have none and are left alone, since their retries are the queue's business.
"""

from .._support import dig

MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"


def reads_a_stream(props) -> bool:
    return dig(props, "startingPosition") is not None
