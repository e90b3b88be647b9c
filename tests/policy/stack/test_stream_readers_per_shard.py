"""stream-readers-per-shard: at most two mappings and pipes read one DynamoDB stream."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import resource
from tests.policy.whole_stack import STREAM_ARN, whole_stack

case = PolicyCase(__file__)


def test_a_third_reader_of_a_stream_is_reported():
    third = resource(
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "prod",
        {"eventSourceArn": STREAM_ARN},
        name="notifier-on-the-stream",
    )
    [finding] = case.reports([*whole_stack(), third])
    assert "3 readers" in finding.message and "notifier-on-the-stream" in finding.message


def test_a_second_pipe_makes_a_third_reader_too():
    pipe = resource("aws:pipes/pipe:Pipe", "prod", {"source": STREAM_ARN}, name="more-events")
    case.reports([*whole_stack(), pipe])


def test_the_indexer_and_one_pipe_pass():
    case.accepts(whole_stack())


def test_the_limit_is_awss():
    from chatspec.aws_limits import DYNAMODB_STREAM_READERS_PER_SHARD
    from policy.chat_policies.stack import stream_readers_per_shard

    assert DYNAMODB_STREAM_READERS_PER_SHARD.value == stream_readers_per_shard.MAX_READERS
