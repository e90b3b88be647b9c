"""A policy that meets a value unknown at preview says what it could not check."""

from __future__ import annotations

import pytest
from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.proxy import (
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
    unknown_checking_proxy,
)

from policy.chat_policies import POLICIES
from policy.evaluation import evaluate
from tests.policy.resources import resource, urn


def _policy(name):
    return next(p for p in POLICIES if p.name == name)


def test_unknown_value_becomes_an_advisory_naming_the_check():
    table = resource(
        "aws:dynamodb/table:Table", "prod", {"pointInTimeRecovery.enabled": UNKNOWN_BOOLEAN_VALUE}
    )
    [finding] = evaluate("prod", [table], [_policy("dynamodb-point-in-time-recovery")])
    assert finding.unknown and finding.enforcement == "advisory"
    assert "could not check that a production table has point-in-time recovery" in finding.message
    assert ".pointInTimeRecovery.enabled" in finding.message


def test_engine_sees_the_explained_unknown_error():
    """The engine turns this exception into its advisory diagnostic, with our message."""
    props = unknown_checking_proxy({"xrayEnabled": UNKNOWN_BOOLEAN_VALUE})
    args = ResourceValidationArgs(
        "aws:appsync/graphQLApi:GraphQLApi",
        props,
        urn("prod", "aws:appsync/graphQLApi:GraphQLApi", "api"),
        "api",
        PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), []),
        None,
    )
    with pytest.raises(UnknownValueError) as raised:
        _policy("appsync-xray-enabled").validate(args, lambda message, urn=None: None)
    assert raised.value.message.startswith("could not check that the API has X-Ray tracing")


def test_unknown_in_a_stack_policy_is_reported_not_passed():
    table = resource("aws:dynamodb/table:Table", "prod", {"name": UNKNOWN_STRING_VALUE}, name="t")
    findings = evaluate("prod", [table], [_policy("dynamodb-throttle-alarm")])
    assert [f.unknown for f in findings] == [True]
    assert "every table has a throttling alarm" in findings[0].message
