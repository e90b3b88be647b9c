"""No DynamoDB stream has more readers per shard than DynamoDB Streams allows."""

from pulumi_policy import Severity

from .._support import stack_policy
from . import of_type

MAX_READERS = 2
"""Processes reading one shard at a time (chatspec.aws_limits.DYNAMODB_STREAM_READERS_PER_SHARD)."""


def _readers(args) -> dict[str, list[str]]:
    readers: dict[str, list[str]] = {}
    for mapping in of_type(args, "aws:lambda/eventSourceMapping:EventSourceMapping"):
        source = mapping.props.get("eventSourceArn")
        if isinstance(source, str) and ":dynamodb:" in source:
            readers.setdefault(source, []).append(f"mapping {mapping.name}")
    for pipe in of_type(args, "aws:pipes/pipe:Pipe"):
        source = pipe.props.get("source")
        if isinstance(source, str) and ":dynamodb:" in source:
            readers.setdefault(source, []).append(f"pipe {pipe.name}")
    return readers


def _check(args):
    for stream, names in sorted(_readers(args).items()):
        if len(names) > MAX_READERS:
            yield (
                f"stream {stream} has {len(names)} readers ({', '.join(sorted(names))}); "
                f"DynamoDB Streams allows {MAX_READERS} per shard.",
                None,
            )


POLICY = stack_policy(
    name="stream-readers-per-shard",
    description=(
        "More than two processes reading one DynamoDB stream shard are throttled: the "
        "indexer and the event pipe fall behind and records expire unprocessed."
    ),
    checks="every DynamoDB stream has at most two event source mappings and pipes",
    remediation=(
        "consume the event bus with an EventBridge rule instead of another reader of the "
        "stream (chatspec/events.py)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability", "availability"),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html",
)
