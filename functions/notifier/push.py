"""One push per device through SNS mobile push; endpoints SNS reports disabled or gone are
removed with their device record (SNS disables an endpoint when APNs or FCM says its
token is invalid: https://docs.aws.amazon.com/sns/latest/dg/mobile-push-send.html)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from chatspec.push import PREVIEW_CHARACTERS
from functions.common.push_targets import delete_device


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def payload(detail: dict[str, Any], mentioned: bool) -> str:
    """SNS `MessageStructure=json`: one body per platform, the room and message ids as data."""
    content = detail.get("content") or ""
    preview = (
        content if len(content) <= PREVIEW_CHARACTERS else content[: PREVIEW_CHARACTERS - 1] + "…"
    )
    title = "You were mentioned" if mentioned else "New message"
    data = {"roomId": detail["roomId"], "messageId": detail["messageId"]}
    apns = json.dumps({"aps": {"alert": {"title": title, "body": preview}}, **data})
    fcm = json.dumps({"notification": {"title": title, "body": preview}, "data": data})
    return json.dumps(
        {"default": preview, "APNS": apns, "APNS_SANDBOX": apns, "GCM": fcm}, ensure_ascii=False
    )


def _gone(error: Any) -> bool:
    code = error.response.get("Error", {}).get("Code", "")
    return code in {
        "EndpointDisabled",
        "EndpointDisabledException",
        "NotFound",
        "NotFoundException",
    }


def push_to_user(
    sns: Any,
    devices: Any,
    user_id: str,
    endpoints: dict[str, str],
    detail: dict[str, Any],
    mentioned: bool,
    outcome: Outcome,
) -> None:
    """One publish per endpoint of the user (`functions.common.push_targets.targets`)."""
    from botocore.exceptions import ClientError

    body = payload(detail, mentioned)
    for device_id, endpoint in endpoints.items():
        try:
            sns.publish(TargetArn=endpoint, Message=body, MessageStructure="json")
        except ClientError as error:
            if not _gone(error):
                raise
            remove_device(sns, devices, user_id, device_id, endpoint)
            outcome.removed.append(endpoint)
            continue
        outcome.sent.append(endpoint)


def remove_device(sns: Any, devices: Any, user_id: str, device_id: str, endpoint: str) -> None:
    from botocore.exceptions import ClientError

    try:
        sns.delete_endpoint(EndpointArn=endpoint)
    except ClientError as error:
        if not _gone(error):
            raise
    delete_device(devices, user_id, device_id)
