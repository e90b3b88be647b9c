"""`$util.dynamodb`: plain values to DynamoDB's typed JSON, as AppSync writes it.

AppSync writes numbers as JSON numbers (`{"N": 5}`), not strings; the DynamoDB data
source normalises them before calling boto3.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from emulator.vtl.errors import UtilError
from emulator.vtl.java import escape_surrogates


def to_dynamodb(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": None}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | float | Decimal):
        return {"N": value}
    if isinstance(value, list | tuple):
        return {"L": [to_dynamodb(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {str(k): to_dynamodb(v) for k, v in value.items()}}
    raise UtilError(f"cannot convert {type(value).__name__} to a DynamoDB value")


def _json(value: Any) -> str:
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_default)
    return escape_surrogates(text)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class DynamoDbUtil:
    def toDynamoDB(self, value: Any) -> dict[str, Any]:
        return to_dynamodb(value)

    def toDynamoDBJson(self, value: Any) -> str:
        return _json(to_dynamodb(value))

    def toString(self, value: str) -> dict[str, Any]:
        return {"S": value}

    def toStringJson(self, value: str) -> str:
        return _json(self.toString(value))

    def toNumber(self, value: Any) -> dict[str, Any]:
        return {"N": value}

    def toNumberJson(self, value: Any) -> str:
        return _json(self.toNumber(value))

    def toBoolean(self, value: bool) -> dict[str, Any]:
        return {"BOOL": value}

    def toBooleanJson(self, value: bool) -> str:
        return _json(self.toBoolean(value))

    def toBinary(self, value: str) -> dict[str, Any]:
        return {"B": value}

    def toBinaryJson(self, value: str) -> str:
        return _json(self.toBinary(value))

    def toStringSet(self, values: list[str]) -> dict[str, Any]:
        return {"SS": list(values)}

    def toStringSetJson(self, values: list[str]) -> str:
        return _json(self.toStringSet(values))

    def toNumberSet(self, values: list[Any]) -> dict[str, Any]:
        return {"NS": list(values)}

    def toNumberSetJson(self, values: list[Any]) -> str:
        return _json(self.toNumberSet(values))

    def toBinarySet(self, values: list[str]) -> dict[str, Any]:
        return {"BS": list(values)}

    def toBinarySetJson(self, values: list[str]) -> str:
        return _json(self.toBinarySet(values))

    def toNull(self) -> dict[str, Any]:
        return {"NULL": None}

    def toNullJson(self) -> str:
        return _json(self.toNull())

    def toList(self, values: list[Any]) -> dict[str, Any]:
        return {"L": [to_dynamodb(v) for v in values]}

    def toListJson(self, values: list[Any]) -> str:
        return _json(self.toList(values))

    def toMap(self, value: dict[str, Any]) -> dict[str, Any]:
        return {"M": self.toMapValues(value)}

    def toMapJson(self, value: dict[str, Any]) -> str:
        return _json(self.toMap(value))

    def toMapValues(self, value: dict[str, Any]) -> dict[str, Any]:
        return {str(k): to_dynamodb(v) for k, v in (value or {}).items()}

    def toMapValuesJson(self, value: dict[str, Any]) -> str:
        return _json(self.toMapValues(value))

    def toS3Object(
        self, key: str, bucket: str, region: str, version: str | None = None
    ) -> dict[str, Any]:
        s3 = {"key": key, "bucket": bucket, "region": region}
        if version is not None:
            s3["version"] = version
        return {"S": _json({"s3": s3})}

    def toS3ObjectJson(self, key: str, bucket: str, region: str, version: str | None = None) -> str:
        return _json(self.toS3Object(key, bucket, region, version))

    def fromS3ObjectJson(self, text: str) -> dict[str, Any]:
        try:
            return json.loads(text)["s3"]
        except (ValueError, KeyError, TypeError) as exc:
            raise UtilError(f"not an S3 object string: {text!r}") from exc
