"""registerDevice / unregisterDevice: the caller's push devices.

A device is (user, sha256 of platform and token); its SNS endpoint is created in the
stack's platform application for the platform. CreatePlatformEndpoint is idempotent for a
token, so a phone that changes hands gets the same endpoint: registering removes the
token's records of other users first, or they would keep receiving the new owner's
pushes. Each device write changes the user's push targets with it
(`functions.common.push_targets`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import UTC, datetime
from typing import Any

from boto3.dynamodb.conditions import Key

from chatspec.push import APPLICATIONS_ENV, MAX_DEVICES_PER_USER, MAX_TOKEN_LENGTH
from functions.common.errors import LimitExceeded, ValidationError
from functions.common.identity import Caller
from functions.common.push_targets import DEVICE_RANGE, delete_device, put_device

TOKEN = re.compile(r"[A-Za-z0-9_:.\-]+")


def applications() -> dict[str, str]:
    return json.loads(os.environ.get(APPLICATIONS_ENV) or "{}")


def device_id(platform: str, token: str) -> str:
    return hashlib.sha256(f"{platform}\n{token}".encode()).hexdigest()


def _checked(platform: str, token: str) -> str:
    arns = applications()
    if platform not in arns:
        configured = ", ".join(sorted(arns)) or "none"
        raise ValidationError(
            f"push to {platform} is not configured on this stack (configured: {configured})"
        )
    if not isinstance(token, str) or not 1 <= len(token) <= MAX_TOKEN_LENGTH:
        raise ValidationError(f"token must be 1 to {MAX_TOKEN_LENGTH} characters")
    if not TOKEN.fullmatch(token):
        raise ValidationError("token may hold only letters, digits and _ : . -")
    return arns[platform]


def register_device(devices: Any, sns: Any, caller: Caller, platform: str, token: str) -> dict:
    application = _checked(platform, token)
    identifier = device_id(platform, token)
    existing = devices.get_item(Key={"userId": caller.sub, "deviceId": identifier}).get("Item")
    if existing is None:
        count = devices.query(
            KeyConditionExpression=Key("userId").eq(caller.sub) & DEVICE_RANGE, Select="COUNT"
        )["Count"]
        if count >= MAX_DEVICES_PER_USER:
            raise LimitExceeded(
                f"at most {MAX_DEVICES_PER_USER} devices per user; unregister one first"
            )
    endpoint = _endpoint(sns, application, token)
    # The endpoint may have been disabled (an invalid token reported earlier); a token
    # registered again is live again.
    sns.set_endpoint_attributes(EndpointArn=endpoint, Attributes={"Enabled": "true"})
    holders = devices.query(
        IndexName="byEndpoint", KeyConditionExpression=Key("endpointArn").eq(endpoint)
    )["Items"]
    for holder in holders:
        if holder["userId"] != caller.sub:
            delete_device(devices, holder["userId"], holder["deviceId"])
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    item = {
        "userId": caller.sub,
        "deviceId": identifier,
        "platform": platform,
        "endpointArn": endpoint,
        "createdAt": existing["createdAt"] if existing else now,
        "updatedAt": now,
    }
    put_device(devices, item)
    return _public(item)


ALREADY_EXISTS = re.compile(r"Endpoint (arn:\S+) already exists with the same Token")


def _endpoint(sns: Any, application: str, token: str) -> str:
    """The token's endpoint: new, or the existing one SNS names when its attributes differ
    (e.g. disabled), as SNS's mobile push guide recommends handling it."""
    from botocore.exceptions import ClientError

    try:
        answer = sns.create_platform_endpoint(PlatformApplicationArn=application, Token=token)
    except ClientError as error:
        found = ALREADY_EXISTS.search(error.response.get("Error", {}).get("Message", ""))
        if found is None:
            raise
        return found.group(1)
    return answer["EndpointArn"]


def unregister_device(devices: Any, sns: Any, caller: Caller, platform: str, token: str) -> bool:
    _checked(platform, token)
    key = {"userId": caller.sub, "deviceId": device_id(platform, token)}
    item = devices.get_item(Key=key).get("Item")
    if item is None:
        return False
    from botocore.exceptions import ClientError

    try:
        sns.delete_endpoint(EndpointArn=item["endpointArn"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("NotFound", "NotFoundException"):
            raise
    delete_device(devices, caller.sub, key["deviceId"])
    return True


def _public(item: dict[str, Any]) -> dict[str, Any]:
    """What the API returns: never the token or the endpoint."""
    return {
        "deviceId": item["deviceId"],
        "platform": item["platform"],
        "createdAt": item["createdAt"],
        "updatedAt": item["updatedAt"],
    }
