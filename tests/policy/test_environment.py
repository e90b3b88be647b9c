"""Which stack a resource belongs to (policy/chat_policies/environment.py)."""

from __future__ import annotations

import pytest

from policy.chat_policies.environment import stack_from_urn, stack_of
from policy.chat_policies.registry import discover
from policy.evaluation import evaluate
from tests.policy.resources import TABLE, resource


@pytest.fixture(scope="module")
def pitr():
    """A production-only rule to exercise `is_prod` with (any would do)."""
    [entry] = [e for e in discover() if e.name == "dynamodb-point-in-time-recovery"]
    return entry.policy


def test_the_stack_comes_from_the_urn_first():
    assert stack_from_urn("urn:pulumi:prod-eu::realtime-chat::aws:kms/key:Key::k") == "prod-eu"
    assert stack_from_urn("not-a-urn") is None
    assert stack_of({"tags": {"Stack": "dev"}}, "urn:pulumi:prod::p::t::n") == "prod"


def test_without_a_urn_the_stack_or_environment_tag_says_any_case():
    assert stack_of({"tags": {"Stack": "prod"}}, "") == "prod"
    assert stack_of({"tags": {"ENVIRONMENT": "dev"}}, "") == "dev"
    assert stack_of({"tags": {}}, "") is None


def test_prod_stacks_come_from_policy_config(pitr):
    staging = resource(TABLE, "staging", {"pointInTimeRecovery.enabled": False})
    assert evaluate("staging", [staging], [pitr]) == []
    config = {pitr.name: {"prodStacks": ["prod", "staging"]}}
    assert len(evaluate("staging", [staging], [pitr], config)) == 1
