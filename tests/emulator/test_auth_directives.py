"""AppSync field authorization: default mode Cognito user pools, IAM additional."""

from __future__ import annotations


def _seed(fixture_api):
    fixture_api.call('mutation { putItem(id: "a", name: "n") { id } }')


def test_signed_out_caller_is_rejected_before_execution(fixture_api):
    """AppSync answers 401 UnauthorizedException when no valid token is sent."""
    out = fixture_api.call('{ getItem(id: "a") { id } }', user=None)
    assert "data" not in out
    assert out["errors"][0]["errorType"] == "UnauthorizedException"


def test_type_with_both_directives_serves_both_modes(fixture_api):
    _seed(fixture_api)
    assert fixture_api.call('{ getItem(id: "a") { name } }')["data"] == {"getItem": {"name": "n"}}
    assert fixture_api.call_iam('{ getItem(id: "a") { name } }')["data"] == {
        "getItem": {"name": "n"}
    }


def test_field_directive_replaces_the_type_directives(fixture_api):
    """`secret: String @aws_iam` inside a type marked for both modes: IAM only."""
    _seed(fixture_api)
    assert fixture_api.call_iam('{ getItem(id: "a") { secret } }') == {
        "data": {"getItem": {"secret": "s3cr3t"}}
    }
    out = fixture_api.call('{ getItem(id: "a") { id secret } }')
    assert out["data"] == {"getItem": {"id": "a", "secret": None}}
    assert out["errors"][0]["errorType"] == "Unauthorized"
    assert out["errors"][0]["message"] == "Not Authorized to access secret on type Item"
    assert out["errors"][0]["path"] == ["getItem", "secret"]


def test_no_directive_means_default_mode_only(fixture_api):
    """A type or field without auth directives is open to the default mode only."""
    iam = fixture_api.call_iam("{ plain { id } }")
    assert iam["data"] == {"plain": None}
    assert iam["errors"][0]["message"] == "Not Authorized to access plain on type Query"
    assert fixture_api.call("{ plain { id } }") == {"data": {"plain": None}}


def test_iam_only_query_field(fixture_api):
    out = fixture_api.call("{ iamOnly }")
    assert out["errors"][0]["errorType"] == "Unauthorized"
    assert fixture_api.call_iam("{ iamOnly }") == {"data": {"iamOnly": None}}


def test_cognito_groups_restrict_user_pool_callers(fixture_api):
    _seed(fixture_api)
    denied = fixture_api.call('{ getItem(id: "a") { adminNote } }')
    assert denied["errors"][0]["message"] == "Not Authorized to access adminNote on type Item"
    allowed = fixture_api.call('{ getItem(id: "a") { adminNote } }', groups=("Admin",))
    assert allowed == {"data": {"getItem": {"adminNote": "note"}}}
    iam = fixture_api.call_iam('{ getItem(id: "a") { adminNote } }')
    assert iam["errors"][0]["errorType"] == "Unauthorized"
