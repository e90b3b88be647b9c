"""`$util` as AppSync offers it to VTL templates.

One instance per template evaluation: `error`/`unauthorized` need the field being
resolved, and `appendError` collects into the evaluation's error list.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import time
import unicodedata
import uuid
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import regex
from ulid import ULID

from emulator.vtl.errors import UtilError
from emulator.vtl.java import MapEntry, escape_surrogates, java_regex, java_str, utf16
from emulator.vtl.util_dynamodb import DynamoDbUtil
from emulator.vtl.util_time import TimeUtil
from emulator.vtl.util_transform import to_dynamodb_filter_expression, to_subscription_filter

AUTH_TYPE_NAMES = {
    "AMAZON_COGNITO_USER_POOLS": "User Pool Authorization",
    "AWS_IAM": "IAM Authorization",
    "API_KEY": "API Key Authorization",
    "OPENID_CONNECT": "Open ID Connect Authorization",
    "AWS_LAMBDA": "Lambda Authorization",
}
_KSUID_EPOCH = 1_400_000_000
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_JS_ESCAPES = {
    "'": "\\'",
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\n": "\\n",
    "\t": "\\t",
    "\f": "\\f",
    "\r": "\\r",
}


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, MapEntry):
        return {value.key: value.value}
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_default)
    return escape_surrogates(text)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class StrUtil:
    def toUpper(self, text: str) -> str:
        return text.upper()

    def toLower(self, text: str) -> str:
        return text.lower()

    def toReplace(self, text: str, old: str, new: str) -> str:
        return text.replace(old, new)

    def normalize(self, text: str, form: str) -> str:
        if form.upper() not in ("NFC", "NFD", "NFKC", "NFKD"):
            raise UtilError(f"unknown normalization form {form!r}", "ValidationError")
        return unicodedata.normalize(form.upper(), text)


class ListUtil:
    def copyAndRetainAll(self, items: list, keep: list) -> list:
        return [i for i in items if i in keep]

    def copyAndRemoveAll(self, items: list, remove: list) -> list:
        return [i for i in items if i not in remove]

    def sortList(self, items: list, descending: bool = False, prop: str | None = None) -> list:
        """AppSync sorts scalars, or maps by `prop`; entries lacking it go last."""

        def key(item: Any) -> tuple[int, Any]:
            value = item.get(prop) if prop and isinstance(item, dict) else item
            return (0 if value is not None else 1, value)

        present = [i for i in items if key(i)[0] == 0]
        missing = [i for i in items if key(i)[0] == 1]
        return sorted(present, key=lambda i: key(i)[1], reverse=bool(descending)) + missing


class MapUtil:
    def copyAndRetainAllKeys(self, mapping: dict, keys: list) -> dict:
        return {k: v for k, v in mapping.items() if k in keys}

    def copyAndRemoveAllKeys(self, mapping: dict, keys: list) -> dict:
        return {k: v for k, v in mapping.items() if k not in keys}


class MathUtil:
    def roundNum(self, value: Any) -> int:
        return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def minVal(self, a: Any, b: Any) -> Any:
        return min(a, b)

    def maxVal(self, a: Any, b: Any) -> Any:
        return max(a, b)

    def randomDouble(self) -> float:
        return random.random()

    def randomWithinRange(self, low: int, high: int) -> int:
        return random.randint(int(low), int(high))


class TransformUtil:
    def toDynamoDBFilterExpression(self, filter_object: dict | None) -> str | None:
        return to_dynamodb_filter_expression(filter_object)

    def toSubscriptionFilter(
        self, filter_object: dict, ignored: list | None = None, rules: dict | None = None
    ) -> dict:
        return to_subscription_filter(filter_object, ignored, rules)

    def toElasticsearchQueryDSL(self, filter_object: dict) -> str:
        raise UtilError("toElasticsearchQueryDSL is not emulated", "Unsupported")


class LogUtil:
    """CloudWatch logging of templates; the emulator records lines for debugging."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, *args: Any) -> str:
        self.lines.append(" ".join(java_str(a) for a in args))
        return ""

    def error(self, *args: Any) -> str:
        self.lines.append(" ".join(java_str(a) for a in args))
        return ""


class Util:
    """`$util` / `$utils` for one evaluation."""

    def __init__(
        self,
        *,
        field_name: str,
        parent_type_name: str,
        auth_type: str | None,
        errors: list[dict[str, Any]],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._field_name = field_name
        self._parent_type_name = parent_type_name
        self._auth_type = auth_type
        self._errors = errors
        self.time = TimeUtil(clock)
        self.str = StrUtil()
        self.list = ListUtil()
        self.map = MapUtil()
        self.math = MathUtil()
        self.dynamodb = DynamoDbUtil()
        self.transform = TransformUtil()
        self.log = LogUtil()

    def qr(self, *_: Any) -> str:
        return ""

    def quiet(self, *_: Any) -> str:
        return ""

    def escapeJavaScript(self, text: str) -> str:
        out = []
        for char in java_str(text):
            if char in _JS_ESCAPES:
                out.append(_JS_ESCAPES[char])
            elif ord(char) < 32 or ord(char) > 126:
                out.extend(f"\\u{unit:04X}" for unit in _utf16_units(char))
            else:
                out.append(char)
        return "".join(out)

    def urlEncode(self, text: str) -> str:
        """A lone surrogate becomes `?` (%3F), as Java's UTF-8 encoder replaces it."""
        return quote_plus(text, safe="*", errors="replace")

    def urlDecode(self, text: str) -> str:
        return unquote_plus(text)

    def base64Encode(self, data: Any) -> str:
        raw = data if isinstance(data, bytes) else java_str(data).encode("utf-8", "replace")
        return base64.b64encode(raw).decode("ascii")

    def base64Decode(self, text: str) -> str:
        try:
            return base64.b64decode(text, validate=True).decode("utf-8")
        except ValueError as exc:
            raise UtilError(f"invalid base64 input: {exc}", "ValidationError") from exc

    def parseJson(self, text: str) -> Any:
        try:
            return json.loads(text)
        except (TypeError, ValueError) as exc:
            raise UtilError(f"Unable to parse JSON document: {exc}", "ValidationError") from exc

    def toJson(self, value: Any) -> str:
        return to_json(value)

    def autoId(self) -> str:
        return str(uuid.uuid4())

    def autoUlid(self) -> str:
        return str(ULID())

    def autoKsuid(self) -> str:
        number = int.from_bytes(
            (int(time.time()) - _KSUID_EPOCH).to_bytes(4, "big") + secrets.token_bytes(16), "big"
        )
        digits = []
        while number:
            number, rest = divmod(number, 62)
            digits.append(_BASE62[rest])
        return "".join(reversed(digits)).rjust(27, "0")

    def error(
        self,
        message: Any,
        error_type: str | None = None,
        data: Any = None,
        error_info: Any = None,
    ) -> None:
        raise UtilError(
            java_str(message), error_type or "CustomTemplateException", data, error_info
        )

    def appendError(
        self,
        message: Any,
        error_type: str | None = None,
        data: Any = None,
        error_info: Any = None,
    ) -> str:
        self._errors.append(
            UtilError(
                java_str(message), error_type or "CustomTemplateException", data, error_info
            ).as_dict()
        )
        return ""

    def unauthorized(self) -> None:
        raise UtilError(
            f"Not Authorized to access {self._field_name} on type {self._parent_type_name}",
            "Unauthorized",
        )

    def validate(
        self, condition: Any, message: Any, error_type: str | None = None, data: Any = None
    ) -> str:
        if condition is not True:
            raise UtilError(java_str(message), error_type or "CustomTemplateException", data)
        return ""

    def isNull(self, value: Any) -> bool:
        return value is None

    def isNullOrEmpty(self, value: Any) -> bool:
        return value is None or (isinstance(value, str | list | dict) and len(value) == 0)

    def isNullOrBlank(self, value: Any) -> bool:
        return value is None or (isinstance(value, str) and value.strip() == "")

    def defaultIfNull(self, value: Any, default: Any) -> Any:
        return default if value is None else value

    def defaultIfNullOrEmpty(self, value: Any, default: Any) -> Any:
        return default if self.isNullOrEmpty(value) else value

    def defaultIfNullOrBlank(self, value: Any, default: Any) -> Any:
        return default if self.isNullOrBlank(value) else value

    def isString(self, value: Any) -> bool:
        return isinstance(value, str)

    def isNumber(self, value: Any) -> bool:
        return _is_number(value)

    def isBoolean(self, value: Any) -> bool:
        return isinstance(value, bool)

    def isList(self, value: Any) -> bool:
        return isinstance(value, list)

    def isMap(self, value: Any) -> bool:
        return isinstance(value, dict)

    def typeOf(self, value: Any) -> str:
        if value is None:
            return "Null"
        if isinstance(value, bool):
            return "Boolean"
        if _is_number(value):
            return "Number"
        if isinstance(value, str):
            return "String"
        if isinstance(value, list):
            return "List"
        if isinstance(value, dict):
            return "Map"
        return "Object"

    def matches(self, pattern: str, text: Any) -> bool:
        """Java `String.matches`: the whole input must match; `\\X` is a grapheme cluster."""
        if text is None:
            return False
        try:
            return java_regex(pattern).fullmatch(java_str(text)) is not None
        except regex.error as exc:
            raise UtilError(f"invalid regular expression {pattern!r}: {exc}") from exc

    def authType(self) -> str:
        return AUTH_TYPE_NAMES.get(self._auth_type or "", "")


def _utf16_units(char: str) -> list[int]:
    data = utf16(char)
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
