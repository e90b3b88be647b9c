"""Subscriptions: @aws_subscribe, argument matching, selection sets, filters, invalidation."""

from __future__ import annotations

import pytest

from emulator.core.filters import check, matches

POST = """mutation($pk: ID!, $sk: ID!, $kind: String, $score: Int) {
  postEvent(pk: $pk, sk: $sk, kind: $kind, score: $score, body: "b") { pk sk kind score }
}"""


def post(api, pk="r1", sk="1", kind="note", score=10, query=POST):
    return api.call(query, {"pk": pk, "sk": sk, "kind": kind, "score": score})


def test_argument_matching(fixture_api):
    """AppSync: a subscription argument that names a field of the returned type must equal
    that field of the mutation's result; arguments left out match anything."""
    room1 = fixture_api.subscribe('subscription { onEvent(pk: "r1") { pk sk } }')
    room2 = fixture_api.subscribe('subscription { onEvent(pk: "r2") { pk sk } }')
    every = fixture_api.subscribe("subscription { onEvent { sk } }")
    both = fixture_api.subscribe('subscription { onEvent(pk: "r1", kind: "alert") { sk } }')
    post(fixture_api, pk="r1", sk="1", kind="note")
    assert room1.events == [{"data": {"onEvent": {"pk": "r1", "sk": "1"}}}]
    assert room2.events == []
    assert every.events == [{"data": {"onEvent": {"sk": "1"}}}]
    assert both.events == []
    post(fixture_api, pk="r1", sk="2", kind="alert")
    assert both.events == [{"data": {"onEvent": {"sk": "2"}}}]


def test_subscriber_gets_only_what_the_mutation_selected(fixture_api):
    """AppSync: fields the mutation did not select arrive as null to subscribers."""
    sub = fixture_api.subscribe('subscription { onEvent(pk: "r1") { pk kind body ev: sk } }')
    fixture_api.call('mutation { postEvent(pk: "r1", sk: "9", body: "hello") { pk sk } }')
    assert sub.events == [
        {"data": {"onEvent": {"pk": "r1", "kind": None, "body": None, "ev": "9"}}}
    ]


def test_argument_not_selected_by_mutation_does_not_match(fixture_api):
    sub = fixture_api.subscribe('subscription { onEvent(pk: "r1") { sk } }')
    fixture_api.call('mutation { postEvent(pk: "r1", sk: "9") { sk } }')
    assert sub.events == []


def test_mutation_aliases_do_not_hide_fields(fixture_api):
    sub = fixture_api.subscribe('subscription { onEvent(pk: "r1") { pk sk } }')
    fixture_api.call('mutation { p: postEvent(pk: "r1", sk: "3") { room: pk sk } }')
    assert sub.events == [{"data": {"onEvent": {"pk": "r1", "sk": "3"}}}]


def test_failed_mutation_publishes_nothing(fixture_api):
    sub = fixture_api.subscribe("subscription { onEvent { sk } }")
    out = fixture_api.call('mutation { postEvent(pk: "r1", sk: "1", score: 99999999999) { sk } }')
    assert out["errors"]
    assert sub.events == []


def test_subscribe_time_resolver_sets_enhanced_filter(fixture_api):
    sub = fixture_api.subscribe('subscription { onGuarded(pk: "r1") { sk score } }')
    post(fixture_api, pk="r1", sk="low", score=3)
    post(fixture_api, pk="r1", sk="high", score=7)
    post(fixture_api, pk="r2", sk="other-room", score=50)
    assert [e["data"]["onGuarded"]["sk"] for e in sub.events] == ["high"]


def test_subscribe_time_resolver_can_refuse(fixture_api):
    refused = fixture_api.subscribe('subscription { onGuarded(pk: "forbidden") { sk } }')
    assert isinstance(refused, dict)
    assert refused["errors"][0]["errorType"] == "Unauthorized"
    assert (
        refused["errors"][0]["message"] == "Not Authorized to access onGuarded on type Subscription"
    )
    assert fixture_api.engine.registry.active() == []


def test_unauthorized_selected_field_refuses_the_subscription(fixture_api):
    """Subscriptions are checked field by field when registered: `audit` is IAM-only."""
    refused = fixture_api.subscribe('subscription { onEvent(pk: "r1") { sk audit } }')
    assert refused["errors"][0]["errorType"] == "Unauthorized"
    assert refused["errors"][0]["message"] == "Not Authorized to access audit on type Event"


def test_invalidation_closes_matching_subscriptions(fixture_api):
    closing = fixture_api.subscribe('subscription { onGuarded(pk: "r1") { sk } }')
    staying = fixture_api.subscribe('subscription { onGuarded(pk: "r2") { sk } }')
    closed = []
    closing.on_invalidated = lambda: closed.append(closing.id)
    fixture_api.call('mutation { closeRoom(pk: "r1") { pk } }')
    assert closed == [closing.id]
    assert closing.closed and not staying.closed
    assert fixture_api.engine.registry.active() == [staying]
    post(fixture_api, pk="r1", sk="late", score=9)
    post(fixture_api, pk="r2", sk="kept", score=9)
    assert closing.events == []
    assert [e["data"]["onGuarded"]["sk"] for e in staying.events] == ["kept"]


def test_subscription_over_http_is_refused(fixture_api):
    out = fixture_api.call("subscription { onEvent { sk } }")
    assert out["errors"][0]["errorType"] == "UnsupportedOperation"


def test_subscribe_needs_a_subscription_operation(fixture_api):
    out = fixture_api.subscribe('{ getItem(id: "a") { id } }')
    assert out["errors"][0]["errorType"] == "ValidationError"


@pytest.mark.parametrize(
    ("operator", "actual", "expected", "result"),
    [
        ("eq", "a", "a", True),
        ("eq", "a", "b", False),
        ("ne", "a", "b", True),
        ("ne", "a", "a", False),
        ("le", 3, 3, True),
        ("le", 4, 3, False),
        ("lt", 2, 3, True),
        ("lt", 3, 3, False),
        ("ge", 3, 3, True),
        ("ge", 2, 3, False),
        ("gt", 4, 3, True),
        ("gt", 3, 3, False),
        ("gt", "4", 3, False),
        ("contains", "hello world", "lo w", True),
        ("contains", ["a", "b"], "b", True),
        ("contains", ["a", "b"], "c", False),
        ("notContains", "hello", "xyz", True),
        ("notContains", ["a"], "a", False),
        ("beginsWith", "room#1", "room#", True),
        ("beginsWith", "xroom", "room", False),
        ("in", "b", ["a", "b"], True),
        ("in", "c", ["a", "b"], False),
        ("notIn", "c", ["a", "b"], True),
        ("notIn", "a", ["a", "b"], False),
        ("between", 5, [1, 10], True),
        ("between", 11, [1, 10], False),
        ("attributeExists", "x", True, True),
        ("attributeExists", None, True, False),
        ("attributeExists", None, False, True),
        ("containsAny", ["a", "b"], ["x", "b"], True),
        ("containsAny", ["a", "b"], ["x", "y"], False),
    ],
)
def test_each_filter_operator(operator, actual, expected, result):
    assert check(operator, actual, expected) is result


def test_missing_field_only_satisfies_negative_operators():
    payload = {"a": 1}
    assert not matches(_one("b", "eq", 1), payload)
    assert matches(_one("b", "ne", 1), payload)
    assert matches(_one("b", "attributeExists", False), payload)
    assert not matches(_one("b", "gt", 0), payload)


def test_groups_or_and_filters_and():
    document = {
        "filterGroup": [
            {"filters": [_f("kind", "eq", "a"), _f("score", "gt", 5)]},
            {"filters": [_f("author.id", "eq", "u1")]},
        ]
    }
    assert matches(document, {"kind": "a", "score": 6})
    assert not matches(document, {"kind": "a", "score": 5})
    assert matches(document, {"kind": "b", "author": {"id": "u1"}})
    assert not matches(document, {"kind": "b", "author": {"id": "u2"}})


def _f(field, operator, value):
    return {"fieldName": field, "operator": operator, "value": value}


def _one(field, operator, value):
    return {"filterGroup": [{"filters": [_f(field, operator, value)]}]}
