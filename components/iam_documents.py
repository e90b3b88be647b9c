"""IAM policy documents built from the specification's grants; plain data, no pulumi.

Written by hand because the documents are derived from `chatspec` grants (tables, indexes,
actions), which no policy library knows about; keeping them pure lets the unit tests and
the policy pack check exactly what will be deployed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from chatspec.model import Grant


def assume_role_policy(service: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )


def grant_resource(grant: Grant, table_arns: Mapping[str, str]) -> str:
    if grant.table not in table_arns:
        raise KeyError(f"grant names table {grant.table!r}, which is not deployed")
    arn = table_arns[grant.table]
    return f"{arn}/index/{grant.index}" if grant.index else arn


def dynamodb_statements(
    grants: Iterable[Grant], table_arns: Mapping[str, str]
) -> list[dict[str, Any]]:
    """One Allow statement per (table, index): exactly the actions the templates use."""
    statements = []
    for grant in grants:
        if not grant.actions:
            continue
        actions = sorted(set(grant.actions))
        if any(action == "dynamodb:*" or not action.startswith("dynamodb:") for action in actions):
            raise ValueError(f"grant on {grant.table!r} has a non-specific action: {actions}")
        statements.append(
            {
                "Effect": "Allow",
                "Action": actions,
                "Resource": grant_resource(grant, table_arns),
            }
        )
    return statements


def policy_document(statements: list[dict[str, Any]]) -> str:
    if not statements:
        raise ValueError("an IAM policy needs at least one statement")
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, sort_keys=True)
