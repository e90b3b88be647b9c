"""A stream mapping reads a table whose stream is on (and is in this stack)."""

from pulumi_policy import Severity

from .._support import is_true, stack_policy
from ..eventsource import reads_a_stream
from . import of_type


def _check(args):
    tables = {}
    for table in of_type(args, "aws:dynamodb/table:Table"):
        arn = table.props.get("streamArn")
        if isinstance(arn, str) and arn:
            tables[arn] = table
    for mapping in of_type(args, "aws:lambda/eventSourceMapping:EventSourceMapping"):
        source = mapping.props.get("eventSourceArn")
        if not reads_a_stream(mapping.props) or ":dynamodb:" not in str(source):
            continue
        stream = tables.get(str(source))
        if stream is None:
            yield (
                f"mapping {mapping.name!r} reads {source!r}, a stream of no table here.",
                mapping.urn,
            )
        elif not is_true(stream.props.get("streamEnabled")):
            yield (
                f"mapping {mapping.name!r} reads table {stream.name!r}, whose stream is off.",
                mapping.urn,
            )


POLICY = stack_policy(
    name="dynamodb-stream-where-indexed",
    description=(
        "The search index is fed by the messages table's stream and the uploads cleanup by "
        "the uploads table's; a mapping on a table without a stream (or on another stack's "
        "table) delivers nothing."
    ),
    checks="every stream mapping reads an enabled stream of this stack",
    remediation=(
        'set stream_enabled=True, stream_view_type="NEW_AND_OLD_IMAGES" on the table and use '
        "its stream_arn as the mapping's event_source_arn."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.Lambda.html",
)
