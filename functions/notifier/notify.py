"""A MessageSent event to pushes: recipients, presence, their push targets, SNS. DynamoDB
requests per event: the room's membership pages, then one BatchGetItem of presence and one
of push targets per 100 candidates, whatever the room's size."""

from __future__ import annotations

from typing import Any

from functions.common.push_targets import targets
from functions.notifier.push import Outcome, push_to_user
from functions.notifier.recipients import offline, room_members, wanting_push


def notify(
    *, members: Any, presence_table: str, devices: Any, sns: Any, detail: dict[str, Any]
) -> Outcome:
    """`members` and `devices` are boto3 Tables; presence is read through their client."""
    candidates = wanting_push(room_members(members, detail["roomId"]), detail)
    mentioned = set(detail.get("mentions") or [])
    outcome = Outcome()
    away = offline(members.meta.client, presence_table, candidates)
    for user, endpoints in targets(devices, away).items():
        push_to_user(sns, devices, user, endpoints, detail, user in mentioned, outcome)
    return outcome
