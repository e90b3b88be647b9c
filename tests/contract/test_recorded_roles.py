"""The data-source roles the program declares allow exactly what spec and templates need."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

import chatspec
import components.data_sources
from chatspec.iam import data_source_grants
from chatspec.templates import VTL_DIR
from components.naming import function_name
from stackrun.stack import StackRun, run_stack
from stacksettings.settings import settings_from_config
from tests.contract import recorded_roles as roles
from tests.contract import spec_checks
from tests.support.stack_runs import stack_run

NEEDS = spec_checks.template_needs(
    chatspec.RESOLVERS, chatspec.PIPELINE_FUNCTIONS, chatspec.DATA_SOURCES, VTL_DIR
)


@pytest.fixture(scope="module", params=["dev", "prod"])
def run(request) -> StackRun:
    return stack_run(request.param)


def _problems(run: StackRun, grants_of=data_source_grants) -> list[str]:
    prefix = settings_from_config(run.config).prefix
    return roles.recorded_role_problems(
        run,
        chatspec.DATA_SOURCES,
        chatspec.TABLES,
        grants_of,
        NEEDS,
        lambda name: function_name(prefix, name),
    )


def _index_grant() -> tuple[str, chatspec.model.Grant]:
    for source in chatspec.DATA_SOURCES:
        for grant in data_source_grants(source.name):
            if grant.index:
                return source.name, grant
    raise AssertionError("chatspec has no index grant to break")


def test_recorded_roles_match_chatspec_and_templates(run):
    assert _problems(run) == []


def test_every_data_source_with_a_role_is_compared(run):
    recorded = roles.data_source_roles(run)
    assert set(recorded) == {d.name for d in chatspec.DATA_SOURCES}
    for source in chatspec.DATA_SOURCES:
        role = recorded[source.name]
        assert (role.role_arn is None) == (source.kind == "NONE"), source.name
        if source.kind == "AWS_LAMBDA":
            assert [action for action, _ in role.permissions] == [roles.INVOKE]
        if source.kind == "AMAZON_DYNAMODB" and data_source_grants(source.name):
            assert role.permissions, source.name


def test_index_grants_name_the_index_arn(run):
    source, grant = _index_grant()
    table = roles.table_arns(run, chatspec.TABLES)[grant.table]
    resources = {resource for _, resource in roles.data_source_roles(run)[source].permissions}
    assert f"{table}/index/{grant.index}" in resources


# Broken copies.


def test_grant_removed_from_chatspec_is_found(run):
    source, grant = _index_grant()

    def without(name: str):
        return tuple(g for g in data_source_grants(name) if g != grant or name != source)

    problems = _problems(run, grants_of=without)
    assert any(
        f"{source}'s role allows" in p and f"/index/{grant.index}" in p and "chatspec.iam" in p
        for p in problems
    ), problems


def test_grant_removed_from_the_deployed_role_is_found(monkeypatch):
    source, grant = _index_grant()
    real = components.data_sources.data_source_grants

    def without(name: str):
        return tuple(g for g in real(name) if g != grant or name != source)

    monkeypatch.setattr(components.data_sources, "data_source_grants", without)
    problems = _problems(run_stack("dev"))
    lacks = [p for p in problems if f"{source}'s role lacks" in p and f"/index/{grant.index}" in p]
    assert {"chatspec.iam" in p for p in lacks} == {True, False}, problems


def _policy_names(run: StackRun, source_name: str) -> set[str]:
    """The RolePolicy resources on the role of one data source."""
    arn = roles.data_source_roles(run)[source_name].role_arn
    role = next(r for r in run.of_type(roles.ROLE) if r.state.get("arn") == arn)
    return {
        p.name
        for p in run.of_type(roles.ROLE_POLICY)
        if p.inputs.get("role") in {role.id, role.name}
    }


def test_wider_recorded_policy_is_found(run):
    lambda_source = next(d.name for d in chatspec.DATA_SOURCES if d.kind == "AWS_LAMBDA")
    table_source = next(
        d.name
        for d in chatspec.DATA_SOURCES
        if d.kind == "AMAZON_DYNAMODB" and data_source_grants(d.name)
    )
    targets = _policy_names(run, lambda_source) | _policy_names(run, table_source)
    widened = []
    for resource in run.resources:
        if resource.name in targets:
            policy = json.loads(resource.inputs["policy"])
            statement = dict(policy["Statement"][0], Resource="*")
            policy["Statement"].append(statement)
            resource = replace(resource, inputs={**resource.inputs, "policy": json.dumps(policy)})
        widened.append(resource)
    problems = _problems(StackRun(run.stack, run.config, widened, run.outputs))
    assert any(
        p.startswith(f"data source {lambda_source}'s role allows lambda:InvokeFunction on *,")
        for p in problems
    )
    assert any(f"{table_source}'s role allows" in p and " on *, " in p for p in problems)


def test_role_with_managed_policy_or_condition_is_reported():
    permissions, problems = roles.policy_permissions(
        {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {}}]},
        "p",
    )
    assert permissions == set() and len(problems) == 1
    permissions, problems = roles.policy_permissions(
        {"Statement": {"Effect": "Allow", "Action": ["a:B"], "Resource": ["r1", "r2"]}}, "p"
    )
    assert permissions == {("a:B", "r1"), ("a:B", "r2")} and problems == []
