"""IAM policy documents: actions and resources of Allow statements.

Documents arrive as JSON strings in `aws:iam/policy:Policy`, `aws:iam/rolePolicy:RolePolicy`
and a role's `inlinePolicies`; the helpers below read all three the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .._support import as_list, json_document

POLICY_TYPES = (
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/role:Role",
)


def allow_statements(props: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    documents = [props.get("policy")]
    documents += [inline.get("policy") for inline in as_list(props.get("inlinePolicies"))]
    for raw in documents:
        document = json_document(raw)
        if not isinstance(document, Mapping):
            continue
        for statement in as_list(document.get("Statement")):
            if isinstance(statement, Mapping) and statement.get("Effect") == "Allow":
                yield statement


def actions(statement: Mapping[str, Any]) -> list[str]:
    return [str(action) for action in as_list(statement.get("Action"))]
