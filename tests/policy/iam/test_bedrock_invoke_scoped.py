"""iam-bedrock-invoke-scoped: the assistant invokes the named model only."""

import pytest

from components.ai_permissions import bedrock_statements
from stacksettings.settings import AssistantSettings
from tests.policy.policy_case import PolicyCase
from tests.policy.resources import ROLE_POLICY, policy_document

case = PolicyCase(__file__, ROLE_POLICY)
PROFILE = (
    "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/"
    "eu.anthropic.claude-3-haiku-20240307-v1:0"
)
MODEL = "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        (["bedrock:InvokeModel"], "*"),
        (["bedrock:*"], MODEL),
        (["bedrock:InvokeModel*"], MODEL),
        (["bedrock:CreateGuardrail"], "arn:aws:bedrock:eu-west-1:123456789012:guardrail/abc"),
        (["bedrock:InvokeModel"], "arn:aws:bedrock:eu-west-1::foundation-model/*"),
        (["bedrock:InvokeModel"], "arn:aws:bedrock:*:*:inference-profile/*"),
        (["bedrock:InvokeModel"], "arn:aws:bedrock:*::foundation-model/anthropic.claude-v2"),
        (["bedrock:InvokeModel"], "arn:aws:bedrock:eu-west-1:123456789012:agent/abc"),
    ],
)
def test_wide_bedrock_statements_are_reported(action, resource):
    case.reports({"policy": policy_document(Action=action, Resource=resource)})


@pytest.mark.parametrize("resource", [MODEL, PROFILE, [MODEL, PROFILE]])
def test_named_models_and_profiles_pass(resource):
    case.accepts({"policy": policy_document(Action=["bedrock:InvokeModel"], Resource=resource)})


def test_the_profiles_model_in_every_region_passes_only_through_the_profile():
    through = {"StringEquals": {"bedrock:InferenceProfileArn": PROFILE}}
    resource = "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
    case.accepts(
        {
            "policy": policy_document(
                Action=["bedrock:InvokeModel"], Resource=resource, Condition=through
            )
        }
    )


@pytest.mark.parametrize(
    "assistant",
    [
        AssistantSettings("eu.anthropic.claude-3-haiku-20240307-v1:0", "abc123", "2"),
        AssistantSettings("anthropic.claude-3-haiku-20240307-v1:0"),
    ],
)
def test_what_the_program_generates_passes(assistant):
    import json

    statements = bedrock_statements(assistant, "eu-west-1", "123456789012")
    document = json.dumps({"Version": "2012-10-17", "Statement": statements})
    case.accepts({"policy": document})


def test_other_services_are_not_its_concern():
    case.accepts()
