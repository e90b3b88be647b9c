"""A user's push endpoints in one item, so the notifier finds a room's recipients' devices
with one BatchGetItem per 100 users instead of one Query per offline member (a room of
1,000 mostly offline members cost 1,000 Queries a message, most of them for users with no
device at all).

The devices table keeps an item per device (`userId`, `deviceId` = a SHA-256 in hex) and,
beside them, one per user who ever had a device: (`userId`, `TARGETS_ID`), with an attribute
`ep_<deviceId>` holding each device's endpoint ARN. Every write that adds or removes a
device changes both items in one TransactWriteItems, so they never disagree. `TARGETS_ID`
sorts after every device id (`~` after the hex digits), so a Query bounded below it
(`DEVICE_RANGE`) reads devices only; the targets item has no `endpointArn`, so the
`byEndpoint` index never holds it. Devices registered before these items existed are
written into them by `backfill` (`python -m pushops.backfill`), or when their app registers
again.

`devices` is a boto3 Table; its client is the resource's, which takes plain Python values.
"""

from __future__ import annotations

import time
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from chatspec.aws_limits import DYNAMODB_TRANSACTION_CONFLICT
from functions.common.batch_get import MAX_KEYS, batch_get

TARGETS_ID = "~targets"
ATTRIBUTE_PREFIX = "ep_"
DEVICE_RANGE = Key("deviceId").lt(TARGETS_ID)
"""The sort-key condition that reads a user's device items and not their targets item."""
TRANSACTION_ITEMS = 2
"""Actions in every device write: the device item (or a check of it) and the user's targets."""
CONFLICT_RETRIES = 4
CONFLICT = DYNAMODB_TRANSACTION_CONFLICT.value


def _attribute(device_id: str) -> str:
    return f"{ATTRIBUTE_PREFIX}{device_id}"


def _targets_update(table: str, user_id: str, device_id: str, endpoint: str | None) -> dict:
    update: dict[str, Any] = {
        "TableName": table,
        "Key": {"userId": user_id, "deviceId": TARGETS_ID},
        "ExpressionAttributeNames": {"#target": _attribute(device_id)},
    }
    if endpoint is None:
        update["UpdateExpression"] = "REMOVE #target"
    else:
        update["UpdateExpression"] = "SET #target = :endpoint"
        update["ExpressionAttributeValues"] = {":endpoint": endpoint}
    return {"Update": update}


def _reasons(error: ClientError) -> list[str]:
    return [str(r.get("Code")) for r in error.response.get("CancellationReasons") or []]


def _transact(devices: Any, items: list[dict[str, Any]]) -> bool:
    """One TransactWriteItems; False when a condition failed. Two writes for one user meet
    on the targets item, and DynamoDB cancels one with TransactionConflict, which botocore
    does not retry: it is sent again, with backoff, `CONFLICT_RETRIES` times."""
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            devices.meta.client.transact_write_items(TransactItems=items)
            return True
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != CONFLICT["exception"]:
                raise
            reasons = _reasons(error)
            if "ConditionalCheckFailed" in reasons:
                return False
            if CONFLICT["reason"] not in reasons or attempt == CONFLICT_RETRIES:
                raise
            time.sleep(0.02 * 2**attempt)
    raise AssertionError("unreachable")


def put_device(devices: Any, item: dict[str, Any]) -> None:
    """The device item and its endpoint in the user's targets, together."""
    _transact(
        devices,
        [
            {"Put": {"TableName": devices.name, "Item": item}},
            _targets_update(devices.name, item["userId"], item["deviceId"], item["endpointArn"]),
        ],
    )


def delete_device(devices: Any, user_id: str, device_id: str) -> None:
    """The device item and its endpoint in the user's targets, together."""
    _transact(
        devices,
        [
            {
                "Delete": {
                    "TableName": devices.name,
                    "Key": {"userId": user_id, "deviceId": device_id},
                }
            },
            _targets_update(devices.name, user_id, device_id, None),
        ],
    )


def targets(devices: Any, user_ids: list[str]) -> dict[str, dict[str, str]]:
    """user id -> {device id: endpoint ARN}, for those of `user_ids` with devices; one
    BatchGetItem per `MAX_KEYS` users."""
    found: dict[str, dict[str, str]] = {}
    for start in range(0, len(user_ids), MAX_KEYS):
        keys = [{"userId": u, "deviceId": TARGETS_ID} for u in user_ids[start : start + MAX_KEYS]]
        for item in batch_get(devices.meta.client, devices.name, keys):
            endpoints = {
                name[len(ATTRIBUTE_PREFIX) :]: str(value)
                for name, value in item.items()
                if name.startswith(ATTRIBUTE_PREFIX)
            }
            if endpoints:
                found[str(item["userId"])] = endpoints
    return found


def backfill(devices: Any) -> int:
    """Every device item's endpoint written into its user's targets item; returns how many.
    Idempotent, and safe while users register: each write is on condition that the device
    item still names that endpoint (a phone that changed hands meanwhile is not written back
    to its former owner), so a device removed since the Scan is skipped."""
    request: dict[str, Any] = {
        "FilterExpression": Attr("endpointArn").exists(),
        "ProjectionExpression": "userId, deviceId, endpointArn",
    }
    written = 0
    while True:
        page = devices.scan(**request)
        for item in page.get("Items", []):
            user, device, endpoint = (str(item[k]) for k in ("userId", "deviceId", "endpointArn"))
            still = {
                "ConditionCheck": {
                    "TableName": devices.name,
                    "Key": {"userId": user, "deviceId": device},
                    "ConditionExpression": "endpointArn = :endpoint",
                    "ExpressionAttributeValues": {":endpoint": endpoint},
                }
            }
            if _transact(devices, [still, _targets_update(devices.name, user, device, endpoint)]):
                written += 1
        if "LastEvaluatedKey" not in page:
            return written
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
