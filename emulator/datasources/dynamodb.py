"""The DynamoDB data source: AppSync request documents executed with a boto3 client.

Results and errors take AppSync's shapes (see the "Resolver mapping template reference
for DynamoDB"): plain JSON items, an opaque `nextToken`, `scannedCount`; errors typed
`DynamoDB:<Code>`, with the current item in `$ctx.result` after a failed condition and
`cancellationReasons` after a cancelled transaction.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from botocore.exceptions import ClientError

from chatspec.aws_limits import DYNAMODB_ITEM_SIZE
from emulator import moto_internals
from emulator.datasources import dynamodb_limits as limits
from emulator.datasources.base import DataSourceError
from emulator.datasources.dynamodb_values import plain_item, wire_map
from emulator.moto_internals import MOTO_LOCK

VERSIONS = ("2017-02-28", "2018-05-29")


def _service_message(message: str, status: int = 400) -> str:
    return f"{message} (Service: DynamoDb, Status Code: {status}, Request ID: local)"


def _client_error(exc: ClientError, result: Any = None) -> DataSourceError:
    error = exc.response.get("Error", {})
    code = error.get("Code", "InternalServerError")
    message = error.get("Message") or code
    if code == "ConditionalCheckFailedException":
        message = "The conditional request failed"
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)
    return DataSourceError(_service_message(message, status), f"DynamoDB:{code}", result)


def _validation(message: str) -> DataSourceError:
    return DataSourceError(message, "DynamoDB:ValidationException")


def encode_token(last_key: dict[str, Any] | None) -> str | None:
    if not last_key:
        return None
    raw = json.dumps(last_key, separators=(",", ":"), sort_keys=True, default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(key, dict) or not key:
            raise ValueError("not a key")
        return key
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise _validation("Invalid nextToken: it was not returned by a previous call") from exc


def _expression(
    params: dict[str, Any], document: Any, target: str, names: dict, values: dict
) -> None:
    """Merge one `{expression, expressionNames, expressionValues}` into boto3 params."""
    if document is None:
        return
    if not isinstance(document, dict) or not isinstance(document.get("expression"), str):
        raise _validation(f"{target} needs an 'expression' string")
    params[target] = document["expression"]
    names.update(document.get("expressionNames") or {})
    values.update(wire_map(document.get("expressionValues")))


def _finish(params: dict[str, Any], names: dict, values: dict) -> dict[str, Any]:
    if names:
        params["ExpressionAttributeNames"] = names
    if values:
        params["ExpressionAttributeValues"] = values
    return params


class DynamoDbDataSource:
    """Executes AppSync's DynamoDB request documents against a boto3 client (moto).

    Each request is isolated as DynamoDB isolates it (a `memberCount < maxMembers`
    condition holds under concurrent joins): every moto request, however it arrives,
    holds one first-come-first-served lock (`emulator.moto_internals.MOTO_LOCK`).
    """

    def __init__(self, client: Any, table_name: str) -> None:
        from emulator import moto_internals

        moto_internals.install()
        moto_internals.install_moto_item_size()
        self.client = client
        self.table_name = table_name
        self.key_schemas = limits.KeySchemas(client)

    def _check_key(self, table: str, attributes: dict[str, Any]) -> None:
        try:
            self.key_schemas.check_key(table, attributes)
        except limits.SizeLimitError as exc:
            raise _validation(_service_message(str(exc))) from exc

    def _check_item(self, table: str, item: dict[str, Any]) -> None:
        """A whole item to write: its keys (index keys too) and its size."""
        self._check_key(table, item)
        try:
            limits.check_item(item)
        except limits.SizeLimitError as exc:
            raise _validation(_service_message(str(exc))) from exc

    def _updated_too_large(self, table: str, body: dict[str, Any]) -> bool:
        """Whether the UpdateItem in `body` (boto3 params) would grow its item past the
        limit; raises nothing for other faults, which the request itself then reports.
        The exact check runs only when `limits.update_size_bound` cannot rule it out."""
        names = body.get("ExpressionAttributeNames") or {}
        values = body.get("ExpressionAttributeValues") or {}
        stored = moto_internals.stored_item_size(self.client, table, body["Key"])
        bound = limits.update_size_bound(stored, body["UpdateExpression"], names, values)
        if bound <= DYNAMODB_ITEM_SIZE.value:
            return False
        try:
            moto_internals.updated_item(
                self.client,
                table,
                body["Key"],
                body["UpdateExpression"],
                names,
                values,
            )
        except limits.SizeLimitError:
            return True
        return False

    def invoke(self, request: Any) -> Any:
        if not isinstance(request, dict):
            raise DataSourceError("a DynamoDB request must be a JSON object", "MappingTemplate")
        operation = request.get("operation")
        handler = getattr(self, f"_op_{operation}", None) if isinstance(operation, str) else None
        if handler is None:
            raise DataSourceError(
                f"Unsupported operation {operation!r} for a DynamoDB data source",
                "MappingTemplate",
            )
        if request.get("version", "2018-05-29") not in VERSIONS:
            raise DataSourceError(
                f"Unsupported version {request.get('version')!r}; use one of {VERSIONS}",
                "MappingTemplate",
            )
        return handler(request)

    def _call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            return getattr(self.client, method)(**params)
        except ClientError as exc:
            raise _client_error(exc) from exc
        except Exception as exc:
            if type(exc).__name__ == "ParamValidationError":
                raise _validation(str(exc)) from exc
            raise

    def _current(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        response = self._call("get_item", {"TableName": table, "Key": key, "ConsistentRead": True})
        return plain_item(response.get("Item"))

    def _key(self, request: dict[str, Any]) -> dict[str, Any]:
        if not request.get("key"):
            raise _validation("the request needs a 'key'")
        key = wire_map(request["key"])
        self._check_key(self.table_name, key)
        return key

    def _conditioned(
        self,
        method: str,
        params: dict,
        names: dict,
        values: dict,
        key: dict,
        table: str,
        expected: dict[str, Any] | None = None,
        equals_ignore: list[str] | None = None,
    ) -> dict[str, Any]:
        try:
            return getattr(self.client, method)(**_finish(params, names, values))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise _client_error(exc) from exc
            current = self._current(table, key)
            if expected is not None and current is not None:
                ignore = set(equals_ignore or [])
                if {k: v for k, v in current.items() if k not in ignore} == {
                    k: v for k, v in expected.items() if k not in ignore
                }:
                    return {"Attributes": params.get("Item"), "_equal": True}
            raise DataSourceError(
                _service_message("The conditional request failed"),
                "DynamoDB:ConditionalCheckFailedException",
                result=current,
                data=current,
            ) from exc
        except Exception as exc:
            if type(exc).__name__ == "ParamValidationError":
                raise _validation(str(exc)) from exc
            raise

    def _op_GetItem(self, request: dict[str, Any]) -> Any:
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": self._key(request),
            "ConsistentRead": bool(request.get("consistentRead", False)),
        }
        names: dict = {}
        _expression(params, request.get("projection"), "ProjectionExpression", names, {})
        return plain_item(self._call("get_item", _finish(params, names, {})).get("Item"))

    def _op_PutItem(self, request: dict[str, Any]) -> Any:
        key = self._key(request)
        item = {**wire_map(request.get("attributeValues")), **key}
        self._check_item(self.table_name, item)
        params: dict[str, Any] = {"TableName": self.table_name, "Item": item}
        names: dict = {}
        values: dict = {}
        condition = request.get("condition")
        _expression(params, condition, "ConditionExpression", names, values)
        self._conditioned(
            "put_item",
            params,
            names,
            values,
            key,
            self.table_name,
            expected=plain_item(item),
            equals_ignore=(condition or {}).get("equalsIgnore"),
        )
        return plain_item(item)

    def _op_UpdateItem(self, request: dict[str, Any]) -> Any:
        key = self._key(request)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": key,
            "ReturnValues": "ALL_NEW",
        }
        names: dict = {}
        values: dict = {}
        _expression(params, request.get("update"), "UpdateExpression", names, values)
        if "UpdateExpression" not in params:
            raise _validation("UpdateItem needs an 'update' expression")
        _expression(params, request.get("condition"), "ConditionExpression", names, values)
        with MOTO_LOCK:
            if self._updated_too_large(self.table_name, _finish(params, names, values)):
                raise _validation(_service_message(limits.UPDATE_TOO_LARGE))
            response = self._conditioned("update_item", params, names, values, key, self.table_name)
        return plain_item(response.get("Attributes"))

    def _op_DeleteItem(self, request: dict[str, Any]) -> Any:
        key = self._key(request)
        params: dict[str, Any] = {
            "TableName": self.table_name,
            "Key": key,
            "ReturnValues": "ALL_OLD",
        }
        names: dict = {}
        values: dict = {}
        _expression(params, request.get("condition"), "ConditionExpression", names, values)
        response = self._conditioned("delete_item", params, names, values, key, self.table_name)
        return plain_item(response.get("Attributes")) or plain_item(key)

    def _paged(self, request: dict[str, Any], params: dict, names: dict, values: dict) -> None:
        _expression(params, request.get("filter"), "FilterExpression", names, values)
        _expression(params, request.get("projection"), "ProjectionExpression", names, {})
        if request.get("index"):
            params["IndexName"] = request["index"]
        if request.get("limit") is not None:
            limit = request["limit"]
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise _validation(f"limit must be a positive integer, got {limit!r}")
            params["Limit"] = limit
        if request.get("nextToken"):
            params["ExclusiveStartKey"] = decode_token(request["nextToken"])
        if request.get("consistentRead") is not None:
            params["ConsistentRead"] = bool(request["consistentRead"])
        if request.get("select"):
            params["Select"] = request["select"]

    @staticmethod
    def _page(response: dict[str, Any]) -> dict[str, Any]:
        return {
            "items": [plain_item(i) for i in response.get("Items", [])],
            "nextToken": encode_token(response.get("LastEvaluatedKey")),
            "scannedCount": response.get("ScannedCount", 0),
        }

    def _op_Query(self, request: dict[str, Any]) -> Any:
        params: dict[str, Any] = {"TableName": self.table_name}
        names: dict = {}
        values: dict = {}
        if request.get("query") is None:
            raise _validation("Query needs a 'query' key condition")
        _expression(params, request.get("query"), "KeyConditionExpression", names, values)
        self._paged(request, params, names, values)
        if request.get("scanIndexForward") is not None:
            params["ScanIndexForward"] = bool(request["scanIndexForward"])
        return self._page(self._call("query", _finish(params, names, values)))

    def _op_Scan(self, request: dict[str, Any]) -> Any:
        params: dict[str, Any] = {"TableName": self.table_name}
        names: dict = {}
        values: dict = {}
        self._paged(request, params, names, values)
        if request.get("totalSegments") is not None:
            params["TotalSegments"] = request["totalSegments"]
            params["Segment"] = request.get("segment", 0)
        return self._page(self._call("scan", _finish(params, names, values)))

    @staticmethod
    def _tables(request: dict[str, Any]) -> dict[str, Any]:
        tables = request.get("tables")
        if not isinstance(tables, dict) or not tables:
            raise _validation("the request needs a non-empty 'tables' map")
        return tables

    def _op_BatchGetItem(self, request: dict[str, Any]) -> Any:
        tables = self._tables(request)
        params: dict[str, Any] = {"RequestItems": {}}
        wanted: dict[str, list[dict[str, Any]]] = {}
        for table, spec in tables.items():
            keys = [wire_map(k) for k in (spec or {}).get("keys") or []]
            for key in keys:
                self._check_key(table, key)
            wanted[table] = keys
            entry: dict[str, Any] = {"Keys": keys}
            if spec.get("consistentRead") is not None:
                entry["ConsistentRead"] = bool(spec["consistentRead"])
            projection = spec.get("projection")
            if projection:
                entry["ProjectionExpression"] = projection["expression"]
                if projection.get("expressionNames"):
                    entry["ExpressionAttributeNames"] = projection["expressionNames"]
            params["RequestItems"][table] = entry
        response = self._call("batch_get_item", params)
        found = response.get("Responses", {})
        data: dict[str, list[Any]] = {}
        for table, keys in wanted.items():
            items = [plain_item(i) for i in found.get(table, [])]
            ordered = []
            for key in keys:
                plain_key = plain_item(key) or {}
                match = next(
                    (i for i in items if all(i.get(k) == v for k, v in plain_key.items())), None
                )
                ordered.append(match)
            data[table] = ordered
        unprocessed = {
            table: [plain_item(k) for k in spec.get("Keys", [])]
            for table, spec in response.get("UnprocessedKeys", {}).items()
        }
        return {"data": data, "unprocessedKeys": {t: unprocessed.get(t, []) for t in tables}}

    def _batch_write(self, request: dict[str, Any], kind: str) -> Any:
        tables = self._tables(request)
        params: dict[str, Any] = {"RequestItems": {}}
        data: dict[str, list[Any]] = {}
        for table, entries in tables.items():
            wire = [wire_map(e) for e in entries or []]
            for entry in wire:
                if kind == "PutRequest":
                    self._check_item(table, entry)
                else:
                    self._check_key(table, entry)
            if kind == "PutRequest":
                params["RequestItems"][table] = [{"PutRequest": {"Item": e}} for e in wire]
            else:
                params["RequestItems"][table] = [{"DeleteRequest": {"Key": e}} for e in wire]
            data[table] = [plain_item(e) for e in wire]
        response = self._call("batch_write_item", params)
        unprocessed: dict[str, list[Any]] = {t: [] for t in tables}
        for table, requests in response.get("UnprocessedItems", {}).items():
            for entry in requests:
                body = entry.get("PutRequest", {}).get("Item") or entry.get(
                    "DeleteRequest", {}
                ).get("Key")
                unprocessed.setdefault(table, []).append(plain_item(body))
        field = "unprocessedItems" if kind == "PutRequest" else "unprocessedKeys"
        return {"data": data, field: unprocessed}

    def _op_BatchPutItem(self, request: dict[str, Any]) -> Any:
        return self._batch_write(request, "PutRequest")

    def _op_BatchDeleteItem(self, request: dict[str, Any]) -> Any:
        return self._batch_write(request, "DeleteRequest")

    def _op_TransactGetItems(self, request: dict[str, Any]) -> Any:
        items = request.get("transactItems")
        if not isinstance(items, list) or not items:
            raise _validation("TransactGetItems needs a non-empty 'transactItems' list")
        transact = []
        for entry in items:
            get: dict[str, Any] = {"TableName": entry["table"], "Key": wire_map(entry["key"])}
            self._check_key(entry["table"], get["Key"])
            projection = entry.get("projection")
            if projection:
                get["ProjectionExpression"] = projection["expression"]
                if projection.get("expressionNames"):
                    get["ExpressionAttributeNames"] = projection["expressionNames"]
            transact.append({"Get": get})
        response = self._call("transact_get_items", {"TransactItems": transact})
        return {
            "items": [plain_item(r.get("Item")) for r in response.get("Responses", [])],
            "cancellationReasons": None,
        }

    def _op_TransactWriteItems(self, request: dict[str, Any]) -> Any:
        items = request.get("transactItems")
        if not isinstance(items, list) or not items:
            raise _validation("TransactWriteItems needs a non-empty 'transactItems' list")
        transact = []
        keys = []
        for position, entry in enumerate(items):
            transact.append(self._transact_write(entry, position))
            keys.append(plain_item(wire_map(entry.get("key"))))
        for action in transact:
            ((wrapper, body),) = action.items()
            if wrapper == "Put":
                self._check_item(body["TableName"], body["Item"])
            else:
                self._check_key(body["TableName"], body["Key"])
        try:
            with MOTO_LOCK:
                self._cancel_oversized_updates(transact)
                self.client.transact_write_items(TransactItems=transact)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code != "TransactionCanceledException":
                raise _client_error(exc) from exc
            reasons = [
                {
                    "type": reason.get("Code", "None"),
                    "message": reason.get("Message") or reason.get("Code", "None"),
                    **({"item": plain_item(reason["Item"])} if reason.get("Item") else {}),
                }
                for reason in exc.response.get("CancellationReasons", [])
            ]
            raise DataSourceError(
                _service_message(exc.response["Error"].get("Message", "Transaction cancelled")),
                "DynamoDB:TransactionCanceledException",
                result={"keys": None, "cancellationReasons": reasons},
                data={"cancellationReasons": reasons},
            ) from exc
        except Exception as exc:
            if type(exc).__name__ == "ParamValidationError":
                raise _validation(str(exc)) from exc
            raise
        return {"keys": keys, "cancellationReasons": None}

    def _cancel_oversized_updates(self, transact: list[dict[str, Any]]) -> None:
        """DynamoDB cancels a transaction whose changes make an item too large, with the
        reason ValidationError at that action (TransactWriteItems, "Errors")."""
        reasons = []
        for action in transact:
            ((wrapper, body),) = action.items()
            too_large = wrapper == "Update" and self._updated_too_large(body["TableName"], body)
            reasons.append(
                {"Code": "ValidationError", "Message": limits.UPDATE_TOO_LARGE}
                if too_large
                else {"Code": "None"}
            )
        if any(reason["Code"] != "None" for reason in reasons):
            codes = ", ".join(reason["Code"] for reason in reasons)
            raise ClientError(
                {
                    "Error": {
                        "Code": "TransactionCanceledException",
                        "Message": "Transaction cancelled, please refer cancellation reasons "
                        f"for specific reasons [{codes}]",
                    },
                    "CancellationReasons": reasons,
                    "ResponseMetadata": {"HTTPStatusCode": 400},
                },
                "TransactWriteItems",
            )

    @staticmethod
    def _transact_write(entry: dict[str, Any], position: int) -> dict[str, Any]:
        operation = entry.get("operation")
        if not entry.get("table") or not entry.get("key"):
            raise _validation(f"transactItems[{position}] needs 'table' and 'key'")
        body: dict[str, Any] = {"TableName": entry["table"]}
        names: dict = {}
        values: dict = {}
        key = wire_map(entry["key"])
        if operation == "PutItem":
            body["Item"] = {**wire_map(entry.get("attributeValues")), **key}
            wrapper = "Put"
        elif operation == "UpdateItem":
            body["Key"] = key
            _expression(body, entry.get("update"), "UpdateExpression", names, values)
            wrapper = "Update"
        elif operation == "DeleteItem":
            body["Key"] = key
            wrapper = "Delete"
        elif operation == "ConditionCheck":
            body["Key"] = key
            wrapper = "ConditionCheck"
        else:
            raise _validation(f"transactItems[{position}] has unknown operation {operation!r}")
        condition = entry.get("condition")
        _expression(body, condition, "ConditionExpression", names, values)
        if wrapper == "ConditionCheck" and "ConditionExpression" not in body:
            raise _validation(f"transactItems[{position}] ConditionCheck needs a condition")
        if condition and condition.get("returnValuesOnConditionCheckFailure"):
            body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {wrapper: _finish(body, names, values)}
