"""EventBridge Pipes reading DynamoDB streams: failure handling and filtering.

The pack runs in its own virtualenv, so AWS's numbers are restated here;
`tests/policy/pipes/test_bounded_stream_failures.py` checks them against `chatspec.aws_limits`.
"""

from .._support import dig

PIPE = "aws:pipes/pipe:Pipe"
MAX_RETRY_ATTEMPTS = 10_000
"""The largest finite MaximumRetryAttempts of a Pipes stream source (as for Lambda's)."""


def reads_a_dynamodb_stream(props) -> bool:
    return dig(props, "sourceParameters.dynamodbStreamParameters") is not None
