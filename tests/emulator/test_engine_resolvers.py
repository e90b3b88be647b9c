"""Unit, pipeline, Lambda and NONE resolvers through GraphQL, with AppSync's error shapes."""

from __future__ import annotations


def test_put_then_get_round_trip(fixture_api):
    put = fixture_api.call(
        'mutation { putItem(id: "a", name: "first", count: 2) { id name count owner } }'
    )
    assert put == {"data": {"putItem": {"id": "a", "name": "first", "count": 2, "owner": "alice"}}}
    got = fixture_api.call('{ getItem(id: "a") { id name count } }')
    assert got == {"data": {"getItem": {"id": "a", "name": "first", "count": 2}}}


def test_missing_item_is_null_without_error(fixture_api):
    assert fixture_api.call('{ getItem(id: "nope") { id } }') == {"data": {"getItem": None}}


def test_unhandled_data_source_error_is_reported(fixture_api):
    """AppSync: a data-source error the response template ignores is reported with the
    data source's errorType, and the field gets what the template rendered (null here)."""
    out = fixture_api.call('{ failing(id: "missing") { id } }')
    assert out["data"] == {"failing": None}
    (error,) = out["errors"]
    assert error["errorType"] == "DynamoDB:ConditionalCheckFailedException"
    assert error["message"].startswith("The conditional request failed")
    assert error["path"] == ["failing"]
    assert error["locations"] == [{"line": 1, "column": 3, "sourceName": None}]


def test_response_template_that_reads_the_error_decides(fixture_api):
    """AppSync 2018-05-29: the response template runs with $ctx.error set and errors are
    raised only by the template; this one falls back to a value without raising."""
    assert fixture_api.call('{ tolerant(id: "missing") { id } }') == {
        "data": {"tolerant": {"id": "fallback"}}
    }


def test_2017_request_skips_the_response_template_on_error(fixture_api):
    """AppSync 2017-02-28: a failed data source makes the field null with the error; the
    response template is not evaluated."""
    out = fixture_api.call('{ legacy(id: "missing") { id } }')
    assert out["data"] == {"legacy": None}
    assert out["errors"][0]["errorType"] == "DynamoDB:ConditionalCheckFailedException"


def test_util_error_in_response_template(fixture_api):
    """$util.error(message, type, data) turns into the GraphQL error; the field is null."""
    out = fixture_api.call('{ handled(id: "missing") { id } }')
    assert out["data"] == {"handled": None}
    assert out["errors"] == [
        {
            "path": ["handled"],
            "data": {"why": "DynamoDB:ConditionalCheckFailedException"},
            "errorType": "NotFound",
            "errorInfo": None,
            "locations": [{"line": 1, "column": 3, "sourceName": None}],
            "message": "no such item",
        }
    ]


def test_append_error_keeps_the_data(fixture_api):
    out = fixture_api.call("{ appended { id name } }")
    assert out["data"] == {"appended": {"id": "a", "name": "n"}}
    assert [(e["errorType"], e["message"], e["path"]) for e in out["errors"]] == [
        ("Warning", "careful", ["appended"])
    ]


def test_pipeline_shares_stash_and_prev_result(fixture_api):
    fixture_api.call('mutation { putItem(id: "p", name: "piped") { id } }')
    out = fixture_api.call('{ pipe(id: "p") { id name } }')
    assert out == {"data": {"pipe": {"id": "p", "name": "piped/3"}}}


def test_return_in_function_request_skips_the_data_source(fixture_api):
    """AppSync: #return in a function's request template skips its data source and its
    response template; the value becomes that function's result."""
    out = fixture_api.call('{ pipe(id: "never-written", skip: true) { id name } }')
    assert out == {"data": {"pipe": {"id": "never-written", "name": "skipped/2"}}}


def test_return_in_before_template_ends_the_pipeline(fixture_api):
    out = fixture_api.call('{ early(id: "e") { id name } }')
    assert out == {"data": {"early": {"id": "e", "name": "early"}}}


def test_direct_lambda_gets_appsync_event(fixture_api):
    out = fixture_api.call("query Q($id: ID!) { direct(id: $id) { id name } }", {"id": "d"})
    assert out == {"data": {"direct": {"id": "d", "name": "from lambda"}}}
    (call,) = fixture_api.lambda_events
    event = call["event"]
    assert call["function_name"] == "fn"
    assert event["arguments"] == {"id": "d"}
    assert event["identity"]["username"] == "alice"
    assert event["source"] is None
    assert event["info"]["fieldName"] == "direct"
    assert event["info"]["parentTypeName"] == "Query"
    assert event["info"]["variables"] == {"id": "d"}
    assert event["info"]["selectionSetList"] == ["id", "name"]
    assert "name" in event["info"]["selectionSetGraphQL"]
    assert set(event) >= {"request", "prev", "stash"}


def test_direct_lambda_exception_becomes_error_with_class_name(fixture_api):
    out = fixture_api.call('{ direct(id: "boom") { id } }')
    assert out["data"] == {"direct": None}
    assert out["errors"][0]["errorType"] == "PermissionError"
    assert out["errors"][0]["message"] == "no entry"


def test_template_lambda_invoke(fixture_api):
    out = fixture_api.call('{ invoked(id: "t") { id name } }')
    assert out == {"data": {"invoked": {"id": "t", "name": "template"}}}


def test_none_data_source_returns_payload(fixture_api):
    assert fixture_api.call('{ echo(text: "hi") }') == {"data": {"echo": "hi"}}


def test_fields_without_resolver_read_the_parent(fixture_api):
    """AppSync: a field without a resolver takes the parent's attribute of the same name."""
    fixture_api.call('mutation { putItem(id: "f", name: "n") { id } }')
    assert fixture_api.call('{ getItem(id: "f") { name } }') == {"data": {"getItem": {"name": "n"}}}


def test_graphql_validation_error_shape(fixture_api):
    out = fixture_api.call("{ getItem { nope } }")
    assert "data" not in out
    assert {e["errorType"] for e in out["errors"]} == {"ValidationError"}
    assert any("nope" in e["message"] for e in out["errors"])


def test_syntax_error_shape(fixture_api):
    out = fixture_api.call("{ getItem(id: ")
    assert out["errors"][0]["errorType"] == "MalformedHttpRequestException"


def test_aws_datetime_is_validated(fixture_api):
    """AppSync rejects an AWSDateTime that is not an ISO 8601 date-time with an offset."""
    ok = fixture_api.call('{ when(at: "2024-02-29T10:00:00.123Z") }')
    assert ok == {"data": {"when": "2024-02-29T10:00:00.123Z"}}
    bad = fixture_api.call('{ when(at: "2024-02-30T10:00:00Z") }')
    assert "data" not in bad or bad["data"] is None
    assert bad["errors"][0]["errorType"] == "ValidationError"
    assert "AWSDateTime" in bad["errors"][0]["message"]
    bad_variable = fixture_api.call("query($a: AWSDateTime!) { when(at: $a) }", {"a": "yesterday"})
    assert bad_variable["errors"][0]["errorType"] == "ValidationError"
