"""A MessageSent event to pushes: recipients, presence, devices, SNS."""

from __future__ import annotations

from typing import Any

from functions.notifier.push import Outcome, push_to_user
from functions.notifier.recipients import offline, room_members, wanting_push


def notify(*, dynamodb: Any, sns: Any, tables: dict[str, str], detail: dict[str, Any]) -> Outcome:
    members = dynamodb.Table(tables["room_members"])
    devices = dynamodb.Table(tables["devices"])
    candidates = wanting_push(room_members(members, detail["roomId"]), detail)
    mentioned = set(detail.get("mentions") or [])
    outcome = Outcome()
    for user in offline(dynamodb.meta.client, tables["presence"], candidates):
        push_to_user(sns, devices, user, detail, user in mentioned, outcome)
    return outcome
