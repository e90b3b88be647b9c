"""What AppSync hands a direct Lambda resolver: the event and a Lambda context.

Shared by the Lambda handler tests, so every handler is driven with the same shape.
"""

from __future__ import annotations

from typing import Any


def appsync_event(
    field: str,
    arguments: dict[str, Any],
    sub: str | None = "alice",
    groups: list[str] | None = None,
    *,
    selection: tuple[str, ...] = ("items", "nextToken"),
    selection_graphql: str = "{ items { id } nextToken }",
) -> dict[str, Any]:
    """The event for `field` ("Type.field"), for a Cognito user pools caller `sub`
    (None: no user identity) in `groups`."""
    type_name, field_name = field.split(".")
    identity = None
    if sub is not None:
        identity = {
            "sub": sub,
            "username": sub,
            "issuer": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_test",
            "claims": {"sub": sub, "cognito:username": sub, "token_use": "id"},
            "sourceIp": ["203.0.113.7"],
            "defaultAuthStrategy": "ALLOW",
            "groups": groups,
        }
    return {
        "arguments": arguments,
        "identity": identity,
        "source": None,
        "request": {"headers": {"host": "api.example.com"}, "domainName": None},
        "prev": None,
        "info": {
            "parentTypeName": type_name,
            "fieldName": field_name,
            "variables": {},
            "selectionSetList": list(selection),
            "selectionSetGraphQL": selection_graphql,
        },
        "stash": {},
    }


class FakeContext:
    """The attributes of a Lambda context that Powertools reads."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.memory_limit_in_mb = 256
        self.invoked_function_arn = (
            f"arn:aws:lambda:eu-west-1:123456789012:function:{function_name}"
        )
        self.aws_request_id = "00000000-0000-0000-0000-000000000000"


def resolved(response: dict[str, Any]) -> Any:
    """A direct Lambda resolver's `data`; its returned client error raised again as the
    `functions.common.errors` class whose name AppSync reports as errorType."""
    from functions.common.errors import ERROR_TYPES

    assert set(response) in ({"data"}, {"error"}), response
    if "error" in response:
        classes = {cls.__name__: cls for cls in ERROR_TYPES}
        error = response["error"]
        raise classes[error["type"]](error["message"])
    return response["data"]
