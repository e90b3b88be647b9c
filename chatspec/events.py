"""Chat events out: what the tables' streams become on the stack's EventBridge bus.

Fan-out (issue 15, "One stream, several readers"): DynamoDB Streams allows at most two
simultaneous readers per shard (`chatspec.aws_limits.DYNAMODB_STREAM_READERS_PER_SHARD`).
So each stream has at most ONE Pipe, besides the messages stream's indexer:

    messages stream     ──▶ indexer Lambda                 (reader 1)
                        ──▶ Pipe `messages-events` ──▶ bus (reader 2)
    room_members stream ──▶ Pipe `members-events`  ──▶ bus (reader 1)
    rooms stream        ──▶ Pipe `rooms-events`    ──▶ bus (reader 1)
    uploads stream      ──▶ filecheck Lambda, TTL removals only (reader 1; no events)
    bus ──rule──▶ notifier, and every later consumer (assistant, moderation, ...)

Every other consumer of chat events is an EventBridge rule on the bus, never a reader of a
stream (`stream_readers` counts them; `tests/contract/test_stream_readers.py` and the
CrossGuard policy `stream-readers-per-shard` hold every stream to the limit). The uploads
stream carries no chat event: its one reader deletes the files of uploads TTL removed.

What each Pipe does, and why one small Lambda (`functions/events`) is in the middle:
- its filter (Pipes FilterCriteria, EventBridge pattern syntax) drops, at no cost, every
  record that can never be an event (read markers, counters, reactions on unedited
  messages, mutes);
- its enrichment names the event. One Pipe has one target DetailType, and a dynamic
  path can only copy a value the record already holds; no record holds "MessageEdited"
  (an edit and a reaction on an edited message are both MODIFY with `isEdited`), and a
  REMOVE has no new image. Deciding that needs the old and new images compared, which
  no filter or input transformer can do; the enrichment also turns DynamoDB JSON
  (`{"L": [{"S": ...}]}`, absent attributes) into plain JSON, which an input template
  cannot. It returns `[{"detailType", "detail"}]` and drops what is not an event
  (an enrichment may return fewer items than it received);
- its target parameters do the rest without code: DetailType is the dynamic path
  `$.detailType` of the enrichment's answer, Source is `event_source(prefix)`, and the
  target input template `<$.detail>` makes the answer's `detail` the event's detail.

Event shape (agreed with the assistant branch): source `chat.<prefix>` (`chat.chat-dev`,
`chat.chat-prod`, `chat.chat-local` in the emulator), detail-type one of `DETAIL_TYPES`,
detail as in `schemas/events/<DetailType>.json`. Plain data: no pulumi, no boto3.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chatspec import aws_limits
from chatspec.lambdas import LAMBDAS
from chatspec.model import LambdaFunction, Table

SOURCE_PREFIX = "chat."

MESSAGE_SENT = "MessageSent"
MESSAGE_EDITED = "MessageEdited"
MESSAGE_DELETED = "MessageDeleted"
MEMBER_JOINED = "MemberJoined"
MEMBER_LEFT = "MemberLeft"
MEMBER_BANNED = "MemberBanned"
ROOM_CREATED = "RoomCreated"
ROOM_DELETED = "RoomDeleted"

# detail-type -> the logical table whose stream it comes from
DETAIL_TYPES: dict[str, str] = {
    MESSAGE_SENT: "messages",
    MESSAGE_EDITED: "messages",
    MESSAGE_DELETED: "messages",
    MEMBER_JOINED: "room_members",
    MEMBER_LEFT: "room_members",
    MEMBER_BANNED: "room_members",
    ROOM_CREATED: "rooms",
    ROOM_DELETED: "rooms",
}

ENRICHMENT_FUNCTION = "events"
DETAIL_TYPE_PATH = "$.detailType"
TARGET_INPUT_TEMPLATE = "<$.detail>"


def event_source(prefix: str) -> str:
    """The `source` of every event of the stack whose resources start with `prefix`."""
    return f"{SOURCE_PREFIX}{prefix}"


def bus_name(prefix: str) -> str:
    return f"{prefix}-events"


@dataclass(frozen=True)
class Pipe:
    """One EventBridge Pipe: a table's stream -> filter -> enrichment -> the bus.

    `filters` are the FilterCriteria patterns (a record passes if any matches), written
    against the record as Pipes hands it over (the Lambda event record shape:
    `eventName`, `dynamodb.NewImage.<attr>.<type>`). Records reach the enrichment in
    batches of up to `batch_size`, after at most `batching_window_seconds`.
    """

    name: str
    table: str
    filters: tuple[dict[str, Any], ...]
    description: str
    enrichment: str = ENRICHMENT_FUNCTION
    detail_type_path: str = DETAIL_TYPE_PATH
    input_template: str = TARGET_INPUT_TEMPLATE
    batch_size: int = 10
    batching_window_seconds: int = 1
    starting_position: str = "LATEST"  # a new pipe announces what happens from now on
    maximum_retry_attempts: int = 10
    maximum_record_age_seconds: int = 18 * 3600

    @property
    def enrichment_input_template(self) -> str:
        """Pipes input template of the enrichment: the logical table and the whole record
        (`<aws.pipes.event.json>`, the record as JSON), so the enrichment needs no ARN parsing."""
        return '{"table": ' + json.dumps(self.table) + ', "record": <aws.pipes.event.json>}'

    @property
    def detail_types(self) -> tuple[str, ...]:
        return tuple(t for t, source in DETAIL_TYPES.items() if source == self.table)


@dataclass(frozen=True)
class Rule:
    """An EventBridge rule on the bus delivering `detail_types` to the Lambda `target`.

    `detail` narrows the pattern further (EventBridge pattern syntax under `detail`).
    """

    name: str
    detail_types: tuple[str, ...]
    target: str
    description: str
    detail: dict[str, Any] = field(default_factory=dict)
    maximum_retry_attempts: int = 8
    maximum_event_age_seconds: int = 3600

    def pattern(self, prefix: str) -> dict[str, Any]:
        pattern: dict[str, Any] = {
            "source": [event_source(prefix)],
            "detail-type": list(self.detail_types),
        }
        if self.detail:
            pattern["detail"] = self.detail
        return pattern


PIPES: tuple[Pipe, ...] = (
    Pipe(
        name="messages-events",
        table="messages",
        description="MessageSent, MessageEdited, MessageDeleted from the messages stream.",
        filters=(
            {"eventName": ["INSERT"]},
            {
                "eventName": ["MODIFY"],
                "dynamodb": {
                    "NewImage": {"isDeleted": {"BOOL": [True]}},
                    "OldImage": {"isDeleted": {"BOOL": [False]}},
                },
            },
            {
                "eventName": ["MODIFY"],
                "dynamodb": {
                    "NewImage": {"isEdited": {"BOOL": [True]}, "isDeleted": {"BOOL": [False]}}
                },
            },
        ),
    ),
    Pipe(
        name="members-events",
        table="room_members",
        description="MemberJoined, MemberLeft (left or removed), MemberBanned.",
        filters=(
            {"eventName": ["INSERT", "REMOVE"]},
            {
                "eventName": ["MODIFY"],
                "dynamodb": {
                    "NewImage": {"isBanned": {"BOOL": [True]}},
                    "OldImage": {"isBanned": {"BOOL": [False]}},
                },
            },
        ),
    ),
    Pipe(
        name="rooms-events",
        table="rooms",
        description="RoomCreated, RoomDeleted (the room item itself removed).",
        filters=({"eventName": ["INSERT", "REMOVE"]},),
    ),
)

ASSISTANT_PREFIX = "@assistant"
"""What a message starts with to address the assistant (as typed; clients complete it)."""

RULES: tuple[Rule, ...] = (
    Rule(
        name="notify-message-sent",
        detail_types=(MESSAGE_SENT,),
        target="notifier",
        description="Push notifications to offline members for every new message.",
    ),
    # The assistant and the moderation checker are rules on the bus, not event source
    # mappings on the messages stream: the stream's two readers per shard are the indexer
    # and the messages Pipe. The patterns are the filter criteria a mapping would have had:
    # other messages never invoke the Lambdas, and an AI_RESPONSE or SYSTEM answer (type is
    # not TEXT) can never trigger the assistant again.
    Rule(
        name="assistant-addressed",
        detail_types=(MESSAGE_SENT,),
        target="assistant",
        description="A TEXT message that starts with @assistant, to the assistant.",
        detail={"type": ["TEXT"], "content": [{"prefix": ASSISTANT_PREFIX}]},
        maximum_retry_attempts=2,
        maximum_event_age_seconds=600,
    ),
    Rule(
        name="moderate-message-sent",
        detail_types=(MESSAGE_SENT,),
        target="moderation",
        description="Every new TEXT message, to the toxicity checker.",
        detail={"type": ["TEXT"]},
    ),
    Rule(
        name="moderate-message-edited",
        detail_types=(MESSAGE_EDITED,),
        target="moderation",
        description="Every edit (new content), to the toxicity checker.",
        detail={"content": [{"exists": True}]},
    ),
)


def pipe_for(table_name: str) -> Pipe | None:
    for pipe in PIPES:
        if pipe.table == table_name:
            return pipe
    return None


def stream_readers(
    table_name: str,
    lambdas: Iterable[LambdaFunction] = LAMBDAS,
    pipes: Iterable[Pipe] = PIPES,
) -> list[str]:
    """Everything that reads `table_name`'s stream: stream Lambdas and Pipes, by name."""
    readers = [f"lambda:{f.name}" for f in lambdas if f.stream_source == table_name]
    return readers + [f"pipe:{p.name}" for p in pipes if p.table == table_name]


def fan_out_problems(
    tables: Iterable[Table],
    lambdas: Iterable[LambdaFunction] = LAMBDAS,
    pipes: Iterable[Pipe] = PIPES,
) -> list[str]:
    """What breaks the fan-out rules: more readers per shard than DynamoDB Streams allows, a
    reader of a table without a stream, more filters than an event source mapping takes (or
    filters on a Lambda that reads no stream), more filters or a longer template than Pipes
    takes."""
    tables, lambdas, pipes = list(tables), list(lambdas), list(pipes)
    limit = aws_limits.DYNAMODB_STREAM_READERS_PER_SHARD.value
    streamed = {t.name for t in tables if t.stream}
    problems = []
    for table in tables:
        readers = stream_readers(table.name, lambdas, pipes)
        if len(readers) > limit:
            problems.append(
                f"stream of {table.name} has {len(readers)} readers ({', '.join(readers)}); "
                f"DynamoDB Streams allows {limit} per shard: make the others bus rules"
            )
    for name in {f.stream_source for f in lambdas if f.stream_source} | {p.table for p in pipes}:
        if name not in streamed:
            problems.append(f"{name} is read as a stream but has no stream")
    for function in lambdas:
        if function.stream_filters and not function.stream_source:
            problems.append(f"lambda {function.name} has stream filters but reads no stream")
        if len(function.stream_filters) > aws_limits.LAMBDA_FILTERS_PER_MAPPING.value:
            problems.append(
                f"lambda {function.name}'s mapping has {len(function.stream_filters)} filters; "
                f"Lambda takes {aws_limits.LAMBDA_FILTERS_PER_MAPPING.value}"
            )
    for pipe in pipes:
        if len(pipe.filters) > aws_limits.PIPES_FILTERS.value:
            problems.append(
                f"pipe {pipe.name} has {len(pipe.filters)} filters; "
                f"Pipes takes {aws_limits.PIPES_FILTERS.value}"
            )
        for template in (pipe.enrichment_input_template, pipe.input_template):
            if len(template) > aws_limits.PIPES_INPUT_TEMPLATE_LENGTH.value:
                problems.append(f"pipe {pipe.name}: an input template over the Pipes maximum")
    return problems
