"""Reading recorded IAM documents and resources the way the assertions need them."""

from __future__ import annotations

import json
from typing import Any

from stackrun.stack import RecordedResource, StackRun


def statements(document: str) -> list[dict[str, Any]]:
    return json.loads(document)["Statement"]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_policies(run: StackRun, role: RecordedResource) -> list[dict[str, Any]]:
    """Every statement of the inline policies attached to `role`."""
    found = []
    for policy in run.of_type("aws:iam/rolePolicy:RolePolicy"):
        if policy.inputs["role"] == role.state["name"]:
            found.extend(statements(policy.inputs["policy"]))
    return found


def dynamodb_grants(found: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(action, resource) pairs of every DynamoDB statement."""
    return {
        (action, resource)
        for statement in found
        for action in as_list(statement["Action"])
        if action.startswith("dynamodb:")
        for resource in as_list(statement["Resource"])
    }
