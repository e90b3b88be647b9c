"""s3-notification-scoped: Lambda targets of bucket notifications filter by prefix and
listen to object-created events only."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import NOTIFICATION

case = PolicyCase(__file__, NOTIFICATION)
TARGET = "arn:aws:lambda:eu-west-1:1:function:chat-prod-filecheck"


@pytest.mark.parametrize(
    "target",
    [
        {"lambdaFunctionArn": TARGET, "events": ["s3:ObjectCreated:*"]},
        {"lambdaFunctionArn": TARGET, "events": ["s3:ObjectCreated:*"], "filterPrefix": ""},
        {"lambdaFunctionArn": TARGET, "events": ["s3:ObjectRemoved:*"], "filterPrefix": "u/"},
        {"lambdaFunctionArn": TARGET, "events": [], "filterPrefix": "uploads/"},
    ],
)
def test_an_unfiltered_or_other_event_target_is_reported(target):
    case.reports({"lambdaFunctions": [target]})


def test_object_created_under_a_prefix_passes_in_both_stacks():
    case.accepts()
    case.accepts(stack="dev")
