"""One stream, several readers: no stream has more readers per shard than DynamoDB Streams
allows (the indexer and one Pipe on messages, one Pipe on each other streamed table);
every other consumer is a rule on the bus. Each check also runs on a broken copy."""

from __future__ import annotations

from dataclasses import replace

import chatspec
from chatspec import aws_limits
from chatspec.events import PIPES, RULES, fan_out_problems, pipe_for, stream_readers
from chatspec.model import LambdaFunction


def test_no_stream_has_more_readers_than_dynamodb_streams_allows():
    assert fan_out_problems(chatspec.TABLES) == []
    assert stream_readers("messages") == ["lambda:indexer", "pipe:messages-events"]
    for table in ("room_members", "rooms"):
        assert stream_readers(table) == [f"pipe:{pipe_for(table).name}"]
    assert stream_readers("uploads") == ["lambda:filecheck"]
    assert aws_limits.DYNAMODB_STREAM_READERS_PER_SHARD.value == 2


def test_a_third_reader_of_the_messages_stream_is_refused():
    another = LambdaFunction(name="notifier2", description="x", stream_source="messages")
    problems = fan_out_problems(chatspec.TABLES, lambdas=(*chatspec.LAMBDAS, another))
    assert problems == [
        "stream of messages has 3 readers (lambda:indexer, lambda:notifier2, "
        "pipe:messages-events); DynamoDB Streams allows 2 per shard: make the others bus rules"
    ]


def test_a_second_pipe_on_a_stream_with_the_indexer_is_refused():
    extra = replace(pipe_for("messages"), name="messages-more")
    assert fan_out_problems(chatspec.TABLES, pipes=(*PIPES, extra))


def test_a_pipe_on_a_table_without_a_stream_is_refused():
    extra = replace(pipe_for("rooms"), name="presence-events", table="presence")
    assert fan_out_problems(chatspec.TABLES, pipes=(*PIPES, extra)) == [
        "presence is read as a stream but has no stream"
    ]


def test_pipes_keep_to_the_filter_and_template_limits():
    too_many = replace(pipe_for("rooms"), filters=({"eventName": ["INSERT"]},) * 6)
    others = [p for p in PIPES if p.table != "rooms"]
    assert fan_out_problems(chatspec.TABLES, pipes=(*others, too_many)) == [
        "pipe rooms-events has 6 filters; Pipes takes 5"
    ]
    long = replace(pipe_for("rooms"), input_template="x" * 8193)
    assert fan_out_problems(chatspec.TABLES, pipes=(*others, long))


def test_mapping_filters_keep_to_lambdas_limit_and_need_a_stream():
    filecheck = chatspec.lambda_function("filecheck")
    others = [f for f in chatspec.LAMBDAS if f.name != "filecheck"]
    too_many = replace(filecheck, stream_filters=filecheck.stream_filters * 6)
    assert fan_out_problems(chatspec.TABLES, lambdas=(*others, too_many)) == [
        "lambda filecheck's mapping has 6 filters; Lambda takes 5"
    ]
    streamless = replace(filecheck, stream_source=None)
    assert fan_out_problems(chatspec.TABLES, lambdas=(*others, streamless)) == [
        "lambda filecheck has stream filters but reads no stream"
    ]


def test_consumers_are_rules_on_the_bus_never_stream_readers():
    """The indexer reads messages; the file check reads the uploads stream, which carries no
    chat event (TTL removals of unclaimed uploads only); everything else is a bus rule."""
    streamed = {f.name: f.stream_source for f in chatspec.LAMBDAS if f.stream_source}
    assert streamed == {"indexer": "messages", "filecheck": "uploads"}
    assert all(rule.target not in streamed for rule in RULES)
    assert pipe_for("uploads") is None
