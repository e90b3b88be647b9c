"""AppSync's scalars with AppSync's validation, for graphql-core.

graphql-core 3.3 ignores `parse_value`/`serialize` assigned after `build_schema`, so the
coercers are installed as `coerce_input_value`, `coerce_output_value` and
`parse_literal` (see ARCHITECTURE.md).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from graphql import GraphQLError, GraphQLScalarType, GraphQLSchema, value_from_ast_untyped

_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$")
_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{3,}$")


def _date_ok(text: str) -> bool:
    try:
        date.fromisoformat(text[:10])
        return True
    except ValueError:
        return False


def _datetime_ok(text: str) -> bool:
    head = re.sub(r"\.(\d{1,9})", lambda m: "." + m.group(1)[:6].ljust(6, "0"), text)
    try:
        datetime.fromisoformat(head.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def _string_check(name: str, ok: Callable[[str], bool]) -> Callable[[Any], str]:
    def coerce(value: Any) -> str:
        if not isinstance(value, str) or not ok(value):
            raise GraphQLError(f"Invalid {name} value: {value!r}")
        return value

    return coerce


def _timestamp(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise GraphQLError(f"Invalid AWSTimestamp value: {value!r}")
    return value


def _ip(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False) if "/" in text else ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def _url(text: str) -> bool:
    parsed = urlparse(text)
    return bool(parsed.scheme and (parsed.netloc or parsed.path))


def _json_input(value: Any) -> Any:
    """AWSJSON arguments arrive as JSON strings; resolvers see the parsed value."""
    if not isinstance(value, str):
        raise GraphQLError(f"Invalid AWSJSON value: expected a JSON string, got {value!r}")
    try:
        return json.loads(value)
    except ValueError as exc:
        raise GraphQLError(f"Invalid AWSJSON value: {exc}") from exc


def _json_output(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


INPUT_COERCERS: dict[str, Callable[[Any], Any]] = {
    "AWSDate": _string_check("AWSDate", lambda t: bool(_DATE.match(t)) and _date_ok(t)),
    "AWSTime": _string_check("AWSTime", lambda t: bool(_TIME.match(t))),
    "AWSDateTime": _string_check(
        "AWSDateTime", lambda t: bool(_DATETIME.match(t)) and _datetime_ok(t)
    ),
    "AWSTimestamp": _timestamp,
    "AWSEmail": _string_check("AWSEmail", lambda t: bool(_EMAIL.match(t))),
    "AWSJSON": _json_input,
    "AWSURL": _string_check("AWSURL", _url),
    "AWSPhone": _string_check("AWSPhone", lambda t: bool(_PHONE.match(t))),
    "AWSIPAddress": _string_check("AWSIPAddress", _ip),
}


def _output(name: str) -> Callable[[Any], Any]:
    if name == "AWSJSON":
        return _json_output
    if name == "AWSTimestamp":
        return _timestamp
    return lambda value: value if isinstance(value, str) else str(value)


def _literal(coerce: Callable[[Any], Any]) -> Callable[..., Any]:
    def parse_literal(node: Any, variables: dict[str, Any] | None = None) -> Any:
        return coerce(value_from_ast_untyped(node, variables))

    return parse_literal


def install_scalars(schema: GraphQLSchema) -> None:
    for name, coerce in INPUT_COERCERS.items():
        scalar = schema.type_map.get(name)
        if isinstance(scalar, GraphQLScalarType):
            # graphql-core 3.3 configures a built schema's scalars by assignment (ARCHITECTURE.md).
            scalar.coerce_input_value = coerce
            scalar.parse_value = coerce  # type: ignore[method-assign,assignment]
            scalar.parse_literal = _literal(coerce)  # type: ignore[method-assign]
            scalar.coerce_output_value = _output(name)
            scalar.serialize = _output(name)  # type: ignore[method-assign,assignment]
