"""The stack outputs a client or an operator reads, written once.

`__main__.py` exports exactly these names (a test fails on one more or one less), and the
emulator's outputs file has the same keys (`emulator.cli.outputs_for`, checked by
`tests/e2e/test_client_endpoints.py`) apart from those marked `deployed_only`, plus the keys only
a local stack has (`LOCAL_ONLY`).
"""

from __future__ import annotations

from dataclasses import dataclass

from chatspec.lambdas import LAMBDAS
from chatspec.tables import TABLES


@dataclass(frozen=True)
class StackOutput:
    name: str
    meaning: str
    deployed_only: bool = False


def failure_queue_output(function: str) -> str:
    """The output naming the on-failure queue of a stream-triggered Lambda."""
    return f"{function}FailureQueueUrl"


STACK_OUTPUTS: tuple[StackOutput, ...] = (
    StackOutput("graphqlUrl", "AppSync HTTPS endpoint"),
    StackOutput("realtimeUrl", "AppSync real-time WebSocket endpoint"),
    StackOutput("region", "the stack's region"),
    StackOutput("userPoolId", "the Cognito user pool"),
    StackOutput("userPoolClientId", "the public app client"),
    *(StackOutput(t.output_name, f"deployed name of the {t.name} table") for t in TABLES),
    StackOutput("searchEndpoint", "https:// endpoint of the search domain"),
    StackOutput("searchIndex", "the alias search reads"),
    StackOutput("searchOpsRoleArn", "the role `searchops` assumes", deployed_only=True),
    *(
        StackOutput(failure_queue_output(f.name), f"where {f.name} parks given-up batches")
        for f in LAMBDAS
        if f.stream_source
    ),
    StackOutput("alarmTopicArn", "SNS topic the alarms notify"),
    StackOutput("eventBusName", "the EventBridge bus of the chat events"),
    StackOutput("eventBusArn", "its ARN, for rules in other stacks and accounts"),
    StackOutput(
        "eventsDeadLetterQueueUrl", "where Pipes and rules park given-up events", deployed_only=True
    ),
    StackOutput("uploadsBucketName", "the S3 bucket of attachments and avatars"),
)

LOCAL_ONLY = (
    "awsEndpoint",
    "graphqlHttpsUrl",
    "realtimeWssUrl",
    "caCertificateFile",
    "amplifyConfigFile",
    "demoUrl",
    "eventsUrl",
    "pushSinkUrl",
    "ttlUrl",
)


def output_names(*, deployed: bool = True) -> tuple[str, ...]:
    """Every output of a deployed stack, or (`deployed=False`) those the emulator also gives."""
    return tuple(o.name for o in STACK_OUTPUTS if deployed or not o.deployed_only)
