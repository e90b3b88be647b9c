"""iam-no-star-resource-on-data-actions: data actions name the resources they touch."""

import pytest

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import ROLE_POLICY, policy_document

case = PolicyCase(__file__, ROLE_POLICY)


@pytest.mark.parametrize("action", [["dynamodb:GetItem"], ["kms:Decrypt"], ["sqs:SendMessage"]])
def test_a_data_action_on_every_resource_is_reported(action):
    case.reports({"policy": policy_document(Action=action, Resource="*")})


def test_named_resources_pass():
    case.accepts()


def test_list_streams_takes_no_resource_arn():
    case.accepts({"policy": policy_document(Action=["dynamodb:ListStreams"], Resource="*")})
