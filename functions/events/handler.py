"""Lambda entry point: the Pipes enrichment of the chat event pipes.

Pipes sends a batch as a JSON array, each element shaped by the pipe's enrichment input
template as `{"table": <logical table>, "record": <the stream record>}`; the answer is the
array of events to put on the bus (fewer than received: the others are not events).
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.events.classify import classify

logger = Logger(service="events")


def handler(event: list[dict[str, Any]], context: LambdaContext) -> list[dict[str, Any]]:
    batch = event if isinstance(event, list) else [event]
    named = [classify(item["table"], item["record"]) for item in batch]
    found = [e for e in named if e is not None]
    logger.debug("classified stream records", extra={"received": len(batch), "events": len(found)})
    return found
