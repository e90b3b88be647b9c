"""Data-source roles as the Pulumi program declares them, compared with spec and templates.

Reads a mocks run of the real program (`stackrun/stack.py`): each AppSync data
source, the role behind its `serviceRoleArn`, and every policy attached to that role.
The comparison is on (action, resource ARN) pairs, so index grants must name the index
ARN (`<table arn>/index/<name>`) and a Lambda data source may invoke its own function
only. Anything this flat view cannot express (Deny, conditions, NotAction, managed or
inline policies on the role) is reported rather than ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chatspec.model import DataSource, Grant, Table
from stackrun.stack import RecordedResource, StackRun

DATA_SOURCE = "aws:appsync/dataSource:DataSource"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
TABLE = "aws:dynamodb/table:Table"
FUNCTION = "aws:lambda/function:Function"
INVOKE = "lambda:InvokeFunction"
FLAT_KEYS = {"Sid", "Effect", "Action", "Resource"}

Permission = tuple[str, str]


@dataclass
class RecordedRole:
    data_source: str
    role_arn: str | None
    permissions: set[Permission] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_permissions(
    document: str | dict[str, Any], where: str
) -> tuple[set[Permission], list[str]]:
    """Allowed (action, resource) pairs of a policy document, and what could not be read."""
    policy = json.loads(document) if isinstance(document, str) else document
    permissions: set[Permission] = set()
    problems: list[str] = []
    for statement in _as_list(policy.get("Statement", [])):
        unexpected = set(statement) - FLAT_KEYS
        if statement.get("Effect") != "Allow" or unexpected:
            problems.append(f"{where} has a statement this check cannot compare: {statement}")
            continue
        for action in _as_list(statement.get("Action", [])):
            for resource in _as_list(statement.get("Resource", [])):
                permissions.add((action, resource))
    return permissions, problems


def _role_names(role: RecordedResource) -> set[str]:
    return {role.id, role.name, role.state.get("name"), role.state.get("arn")} - {None, ""}


def data_source_roles(run: StackRun) -> dict[str, RecordedRole]:
    roles = {r.state.get("arn"): r for r in run.of_type(ROLE)}
    found: dict[str, RecordedRole] = {}
    for source in run.of_type(DATA_SOURCE):
        name = source.inputs.get("name", source.name)
        recorded = RecordedRole(name, source.inputs.get("serviceRoleArn"))
        found[name] = recorded
        if recorded.role_arn is None:
            continue
        role = roles.get(recorded.role_arn)
        if role is None:
            recorded.problems.append(f"data source {name}: no recorded role {recorded.role_arn}")
            continue
        names = _role_names(role)
        for key in ("inlinePolicies", "managedPolicyArns"):
            if role.inputs.get(key):
                recorded.problems.append(f"data source {name}: role {role.name} sets {key}")
        for attachment in run.of_type(ATTACHMENT):
            if attachment.inputs.get("role") in names:
                recorded.problems.append(
                    f"data source {name}: role {role.name} has managed policy "
                    f"{attachment.inputs.get('policyArn')}"
                )
        for policy in run.of_type(ROLE_POLICY):
            if policy.inputs.get("role") in names:
                permissions, problems = policy_permissions(policy.inputs["policy"], policy.name)
                recorded.permissions |= permissions
                recorded.problems += problems
    return found


def table_arns(run: StackRun, tables: Sequence[Table]) -> dict[str, str]:
    """Logical table name -> ARN, through the stack output holding its deployed name."""
    by_name = {r.inputs.get("name"): r.state.get("arn") for r in run.of_type(TABLE)}
    arns = {}
    for table in tables:
        deployed = run.outputs.get(table.output_name)
        if deployed not in by_name:
            raise KeyError(f"stack has no table for output {table.output_name}={deployed!r}")
        arns[table.name] = by_name[deployed]
    return arns


def function_arn(run: StackRun, deployed_name: str) -> str:
    for function in run.of_type(FUNCTION):
        if function.inputs.get("name") == deployed_name:
            return function.state["arn"]
    raise KeyError(f"stack has no Lambda function named {deployed_name!r}")


def dynamodb_permissions(
    accesses: Iterable[tuple[str, str | None, str]], arns: dict[str, str]
) -> set[Permission]:
    """(table, index, action) triples as the (action, ARN) pairs a role must allow."""
    return {
        (action, f"{arns[table]}/index/{index}" if index else arns[table])
        for table, index, action in accesses
    }


def grant_accesses(grants: Iterable[Grant]) -> set[tuple[str, str | None, str]]:
    return {(g.table, g.index, action) for g in grants for action in g.actions}


def _compare(source: str, recorded: set[Permission], expected: set[Permission], basis: str):
    problems = [
        f"data source {source}'s role lacks {action} on {resource} ({basis} needs it)"
        for action, resource in sorted(expected - recorded)
    ]
    problems += [
        f"data source {source}'s role allows {action} on {resource}, which {basis} does not use"
        for action, resource in sorted(recorded - expected)
    ]
    return problems


def recorded_role_problems(
    run: StackRun,
    data_sources: Sequence[DataSource],
    tables: Sequence[Table],
    grants_of: Callable[[str], tuple[Grant, ...]],
    template_needs: dict[str, set[tuple[str, str | None, str]]],
    function_name: Callable[[str], str],
) -> list[str]:
    """Each recorded data-source role equals chatspec's grants and its templates' needs."""
    recorded = data_source_roles(run)
    arns = table_arns(run, tables)
    problems = [
        f"stack declares data source {name}, which chatspec does not define"
        for name in sorted(recorded.keys() - {d.name for d in data_sources})
    ]
    for source in data_sources:
        role = recorded.get(source.name)
        if role is None:
            problems.append(f"data source {source.name} is not declared by the stack")
            continue
        problems += role.problems
        if source.kind == "NONE":
            if role.role_arn is not None:
                problems.append(f"NONE data source {source.name} has a role {role.role_arn}")
            continue
        if role.role_arn is None:
            problems.append(f"data source {source.name} has no service role")
            continue
        if source.kind == "AWS_LAMBDA":
            own = {(INVOKE, function_arn(run, function_name(source.function or "")))}
            problems += _compare(source.name, role.permissions, own, f"Lambda {source.function}")
            continue
        granted = dynamodb_permissions(grant_accesses(grants_of(source.name)), arns)
        problems += _compare(source.name, role.permissions, granted, "chatspec.iam")
        used = dynamodb_permissions(template_needs.get(source.name, set()), arns)
        problems += _compare(source.name, role.permissions, used, "its templates")
    return problems
