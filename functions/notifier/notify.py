"""A MessageSent event to pushes: recipients, presence, devices, SNS."""

from __future__ import annotations

from typing import Any

from functions.notifier.push import Outcome, push_to_user
from functions.notifier.recipients import offline, room_members, wanting_push


def notify(
    *, members: Any, presence_table: str, devices: Any, sns: Any, detail: dict[str, Any]
) -> Outcome:
    """`members` and `devices` are boto3 Tables; presence is read through their client."""
    candidates = wanting_push(room_members(members, detail["roomId"]), detail)
    mentioned = set(detail.get("mentions") or [])
    outcome = Outcome()
    for user in offline(members.meta.client, presence_table, candidates):
        push_to_user(sns, devices, user, detail, user in mentioned, outcome)
    return outcome
