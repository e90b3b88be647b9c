"""`$util` helpers against the AppSync resolver mapping template utility reference."""

from __future__ import annotations

import re

import pytest

from emulator.vtl import UtilError


def test_to_json_and_parse_json(vtl):
    """$util.toJson renders compact JSON; $util.parseJson reads it back."""
    assert (
        vtl.text('$util.toJson({"a": [1, null, true], "b": "x"})') == '{"a":[1,null,true],"b":"x"}'
    )
    assert vtl.text("#set($o = $util.parseJson('{\"n\": 2}'))$o.n") == "2"
    with pytest.raises(UtilError, match="Unable to parse JSON"):
        vtl.text("$util.parseJson('{nope')")


def test_error_stops_with_type_data_and_info(vtl):
    """$util.error(String, String, Object, Object) throws: the rest of the template is skipped."""
    with pytest.raises(UtilError) as raised:
        vtl.text('$util.error("bad input", "ValidationError", {"f": 1}, {"hint": "x"})after')
    assert raised.value.as_dict() == {
        "message": "bad input",
        "errorType": "ValidationError",
        "data": {"f": 1},
        "errorInfo": {"hint": "x"},
    }


def test_error_without_type_is_custom_template_exception(vtl):
    """AppSync reports `$util.error(msg)` with errorType CustomTemplateException."""
    with pytest.raises(UtilError) as raised:
        vtl.text('$util.error("nope")')
    assert raised.value.error_type == "CustomTemplateException"


def test_append_error_continues(vtl):
    """$util.appendError adds an error and the template carries on."""
    assert vtl.text('$util.appendError("careful", "Warning")done') == "done"
    assert vtl.errors == [
        {"message": "careful", "errorType": "Warning", "data": None, "errorInfo": None}
    ]


def test_unauthorized_names_field_and_type(vtl):
    """$util.unauthorized(): "Not Authorized to access <field> on type <Type>"."""
    with pytest.raises(UtilError) as raised:
        vtl.text("$util.unauthorized()")
    assert raised.value.message == "Not Authorized to access getRoom on type Query"
    assert raised.value.error_type == "Unauthorized"


def test_validate(vtl):
    """$util.validate(Boolean, String, String): throws when the condition is false."""
    assert vtl.text('$util.validate(true, "unused")ok') == "ok"
    with pytest.raises(UtilError, match="too long") as raised:
        vtl.text('$util.validate(false, "too long", "ValidationError")')
    assert raised.value.error_type == "ValidationError"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("$util.isNull($nothing)", "true"),
        ('$util.isNullOrEmpty("")', "true"),
        ('$util.isNullOrEmpty("x")', "false"),
        ('$util.isNullOrBlank("  ")', "true"),
        ('$util.defaultIfNull($nothing, "d")', "d"),
        ('$util.defaultIfNullOrEmpty("", "d")', "d"),
        ('$util.defaultIfNullOrBlank(" ", "d")', "d"),
        ('$util.isString("x")', "true"),
        ("$util.isNumber(1.5)", "true"),
        ("$util.isBoolean(false)", "true"),
        ("$util.isList([])", "true"),
        ("$util.isMap({})", "true"),
        ("$util.typeOf([])", "List"),
        ("$util.typeOf($nothing)", "Null"),
        ('$util.escapeJavaScript("a\'b""c/")', "a\\'b\\\"c\\/"),
        ('$util.urlEncode("a b&c")', "a+b%26c"),
        ('$util.urlDecode("a+b%26c")', "a b&c"),
        ('$util.base64Encode("hi")', "aGk="),
        ('$util.base64Decode("aGk=")', "hi"),
        ('$util.str.toUpper("ab")', "AB"),
        ('$util.str.toReplace("aXa", "X", "-")', "a-a"),
        ('$util.str.normalize("e\u0301", "nfc")', "\u00e9"),
        ("$util.list.copyAndRetainAll([1,2,3], [2,3,4])", "[2, 3]"),
        ("$util.list.copyAndRemoveAll([1,2,3], [2])", "[1, 3]"),
        ("$util.list.sortList([3,1,2], true, '')", "[3, 2, 1]"),
        ('$util.map.copyAndRetainAllKeys({"a":1,"b":2}, ["a"])', "{a=1}"),
        ('$util.map.copyAndRemoveAllKeys({"a":1,"b":2}, ["a"])', "{b=2}"),
        ("$util.math.roundNum(2.5)", "3"),
        ("$util.math.minVal(2, 5)", "2"),
        ("$util.math.maxVal(2, 5)", "5"),
        ("$util.authType()", "User Pool Authorization"),
    ],
)
def test_helpers(vtl, call, expected):
    assert vtl.text(call) == expected


def test_sort_list_by_property(vtl):
    """$util.list.sortList(list, descending, property) sorts maps by a property."""
    out = vtl.value('$util.toJson($util.list.sortList([{"n": 2}, {"n": 1}], false, "n"))')
    assert out == [{"n": 1}, {"n": 2}]


def test_matches_uses_java_regex_with_graphemes(vtl):
    """$util.matches(pattern, data): whole-input Java regex; `\\X` is one grapheme cluster."""
    assert vtl.text('$util.matches("^\\X$", "👍🏽")') == "true"
    assert vtl.text('$util.matches("^\\X{1,2}$", "abc")') == "false"
    assert vtl.text('$util.matches("[a-z]+", "abc1")') == "false"


def test_ids(vtl):
    """autoId is a UUID v4, autoUlid a 26-character ULID, autoKsuid 27 base62 characters."""
    assert re.fullmatch(r"[0-9a-f-]{36}", vtl.text("$util.autoId()"))
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", vtl.text("$util.autoUlid()"))
    assert re.fullmatch(r"[0-9A-Za-z]{27}", vtl.text("$util.autoKsuid()"))
    assert vtl.text("$util.autoId()") != vtl.text("$util.autoId()")


def test_time(vtl):
    """The injected clock is 1700000000.123 s; AppSync's ISO 8601 has milliseconds and Z."""
    assert vtl.text("$util.time.nowISO8601()") == "2023-11-14T22:13:20.123Z"
    assert vtl.text("$util.time.nowEpochSeconds()") == "1700000000"
    assert vtl.text("$util.time.nowEpochMilliSeconds()") == "1700000000123"
    assert vtl.text('$util.time.nowFormatted("yyyy-MM-dd HH:mm:ssZ", "UTC")') == (
        "2023-11-14 22:13:20+0000"
    )
    assert vtl.text('$util.time.parseISO8601ToEpochMilliSeconds("2023-11-14T22:13:20.123Z")') == (
        "1700000000123"
    )
    assert vtl.text("$util.time.epochMilliSecondsToISO8601(1700000000123)") == (
        "2023-11-14T22:13:20.123Z"
    )
    assert vtl.text("$util.time.epochMilliSecondsToSeconds(1700000000123)") == "1700000000"
    assert (
        vtl.text(
            '$util.time.epochMilliSecondsToFormatted(1700000000123, "dd/MM/yyyy HH:mm", '
            '"Europe/Paris")'
        )
        == "14/11/2023 23:13"
    )
    assert (
        vtl.text(
            '$util.time.parseFormattedToEpochMilliSeconds("2023-11-14 22:13:20", '
            '"yyyy-MM-dd HH:mm:ss", "UTC")'
        )
        == "1700000000000"
    )


def test_dynamodb_conversions(vtl):
    """$util.dynamodb.* write AppSync's typed JSON; numbers stay JSON numbers."""
    assert vtl.value('$util.dynamodb.toDynamoDBJson({"a": [1, "x", true, $nothing]})') == {
        "M": {"a": {"L": [{"N": 1}, {"S": "x"}, {"BOOL": True}, {"NULL": None}]}}
    }
    assert vtl.value('$util.dynamodb.toMapValuesJson({"n": 2})') == {"n": {"N": 2}}
    assert vtl.value('$util.dynamodb.toStringJson("s")') == {"S": "s"}
    assert vtl.value("$util.dynamodb.toNumberJson(3)") == {"N": 3}
    assert vtl.value("$util.dynamodb.toBooleanJson(true)") == {"BOOL": True}
    assert vtl.value('$util.dynamodb.toStringSetJson(["a"])') == {"SS": ["a"]}
    assert vtl.value("$util.dynamodb.toNumberSetJson([1])") == {"NS": [1]}
    assert vtl.value("$util.dynamodb.toNullJson()") == {"NULL": None}
    assert vtl.value('$util.dynamodb.toListJson(["a"])') == {"L": [{"S": "a"}]}
    assert vtl.value('$util.dynamodb.toMapJson({"a": 1})') == {"M": {"a": {"N": 1}}}
    s3 = vtl.value('$util.dynamodb.toS3ObjectJson("k", "b", "us-east-1")')
    assert s3 == {"S": '{"s3":{"key":"k","bucket":"b","region":"us-east-1"}}'}


def test_to_dynamodb_filter_expression(vtl):
    """$util.transform.toDynamoDBFilterExpression: AppSync's filter input to an expression."""
    out = vtl.value(
        '$util.transform.toDynamoDBFilterExpression({"title": {"contains": "Hello"}, '
        '"n": {"between": [1, 3]}})'
    )
    assert out["expression"] == (
        "((contains(#title,:title_contains)) and (#n between :n_between_0 and :n_between_1))"
    )
    assert out["expressionNames"] == {"#title": "title", "#n": "n"}
    assert out["expressionValues"] == {
        ":title_contains": {"S": "Hello"},
        ":n_between_0": {"N": 1},
        ":n_between_1": {"N": 3},
    }


def test_to_subscription_filter(vtl):
    """$util.transform.toSubscriptionFilter: fields AND'd in a group, `or` makes groups."""
    out = vtl.value(
        '$util.toJson($util.transform.toSubscriptionFilter({"roomId": {"eq": "r"}, '
        '"or": [{"kind": {"eq": "a"}}, {"score": {"gt": 5}}]}))'
    )
    assert out == {
        "filterGroup": [
            {
                "filters": [
                    {"fieldName": "roomId", "operator": "eq", "value": "r"},
                    {"fieldName": "kind", "operator": "eq", "value": "a"},
                ]
            },
            {
                "filters": [
                    {"fieldName": "roomId", "operator": "eq", "value": "r"},
                    {"fieldName": "score", "operator": "gt", "value": 5},
                ]
            },
        ]
    }


def test_extensions_record_filters_and_invalidations(vtl):
    """$extensions.setSubscriptionFilter / setSubscriptionInvalidationFilter /
    invalidateSubscriptions are recorded for the engine; bad filters are refused."""
    vtl.text(
        '$extensions.setSubscriptionFilter({"filterGroup": [{"filters": '
        '[{"fieldName": "a", "operator": "eq", "value": 1}]}]})'
        '$extensions.invalidateSubscriptions({"subscriptionField": "onX", "payload": {"a": 1}})'
    )
    assert vtl.extensions.subscription_filter["filterGroup"][0]["filters"][0]["value"] == 1
    assert vtl.extensions.invalidations == [{"subscriptionField": "onX", "payload": {"a": 1}}]
    with pytest.raises(UtilError, match="unknown subscription filter operator"):
        vtl.text(
            '$extensions.setSubscriptionFilter({"filterGroup": [{"filters": '
            '[{"fieldName": "a", "operator": "like", "value": 1}]}]})'
        )


def test_context_aliases(vtl):
    """$context and $ctx are the same object; $ctx.args is $ctx.arguments."""
    out = vtl.text(
        '$util.qr($context.stash.put("k", $ctx.args.x))$ctx.stash.k', arguments={"x": "v"}
    )
    assert out == "v"
