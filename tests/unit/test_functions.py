"""Every Lambda of the specification: runtime, tracing, logs, code, environment and role."""

from __future__ import annotations

import zipfile

import chatspec
from artifact import deployed as deployed_artifact
from artifact.pins import canonical, constraint_pins, layer_pins
from artifact.targets import LAMBDA_RUNTIME, host
from components.naming import function_name, log_group_name, table_name
from tests.unit.helpers import as_list, dynamodb_grants, role_policies

FUNCTION = "aws:lambda/function:Function"


def functions_by_name(run):
    return {f.inputs["name"]: f for f in run.of_type(FUNCTION)}


def test_every_spec_lambda_is_deployed_as_python_on_arm_with_tracing(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    deployed = functions_by_name(stack)
    assert set(deployed) == {function_name(prefix, f.name) for f in chatspec.LAMBDAS}
    layer = stack.one("aws:lambda/layerVersion:LayerVersion")
    built = deployed_artifact()
    for spec in chatspec.LAMBDAS:
        inputs = deployed[function_name(prefix, spec.name)].inputs
        assert inputs["runtime"] == LAMBDA_RUNTIME == f"python{host().python_version}"
        assert inputs["architectures"] == ["arm64"]
        assert inputs["tracingConfig"] == {"mode": "Active"}
        assert inputs["handler"] == f"functions.{spec.name}.handler.handler"
        assert inputs["timeout"] == spec.timeout_seconds
        assert inputs["layers"] == [layer.state["arn"]]
        assert inputs["code"].path == str(built.function_zip(spec.name))
    assert layer.inputs["code"].path == str(built.layer_zip)
    assert layer.inputs["compatibleRuntimes"] == [LAMBDA_RUNTIME]
    assert layer.inputs["compatibleArchitectures"] == ["arm64"]


def test_each_code_archive_holds_its_function_the_shared_package_and_chatspec_only():
    built = deployed_artifact()
    for spec in chatspec.LAMBDAS:
        with zipfile.ZipFile(built.function_zip(spec.name)) as archive:
            names = archive.namelist()
        tops = {"/".join(n.split("/")[:2]) for n in names if n.startswith("functions/")}
        assert tops - {"functions/__pycache__"} == {
            "functions/__init__.py",
            "functions/common",
            f"functions/{spec.name}",
        }
        assert {n.split("/")[0] for n in names} == {"functions", "chatspec"}
        assert f"functions/{spec.name}/handler.py" in names
        assert "chatspec/room_settings.py" in names


def test_the_layer_holds_python_and_the_pinned_distributions_only():
    built = deployed_artifact()
    with zipfile.ZipFile(built.layer_zip) as archive:
        names = archive.namelist()
    assert names and all(n.startswith("python/") for n in names)
    pinned = {**constraint_pins(), **layer_pins()}
    dist_infos = {
        canonical(n.split("/")[1].removesuffix(".dist-info").rsplit("-", 1)[0]): n.split("/")[1]
        for n in names
        if n.split("/")[1].endswith(".dist-info")
    }
    assert set(dist_infos) == {canonical(n) for n in built.distributions}
    for name, version in built.distributions.items():
        assert pinned[canonical(name)] == version
        assert dist_infos[canonical(name)].endswith(f"-{version}.dist-info")


def test_every_lambda_has_a_log_group_with_the_stack_retention(stack, settings_of):
    settings = settings_of[stack.stack]
    groups = {g.inputs["name"]: g for g in stack.of_type("aws:cloudwatch/logGroup:LogGroup")}
    for function in stack.of_type(FUNCTION):
        group = groups[log_group_name(function.inputs["name"])]
        assert group.inputs["retentionInDays"] == settings.log_retention_days
        assert group.urn in function.dependencies


def test_environment_names_tables_search_and_log_level(stack, settings_of):
    settings = settings_of[stack.stack]
    deployed = functions_by_name(stack)
    endpoint = stack.one("aws:opensearch/domain:Domain").state["endpoint"]
    for spec in chatspec.LAMBDAS:
        variables = deployed[function_name(settings.prefix, spec.name)].inputs["environment"][
            "variables"
        ]
        for table in {g.table for g in spec.grants}:
            assert variables[chatspec.table(table).env_var] == table_name(settings.prefix, table)
        assert variables["LOG_LEVEL"] == settings.lambda_log_level
        assert variables["POWERTOOLS_SERVICE_NAME"]
        if spec.uses_search:
            assert variables["OPENSEARCH_ENDPOINT"] == f"https://{endpoint}"
            assert variables["OPENSEARCH_INDEX"] == "messages"
        else:
            assert "OPENSEARCH_ENDPOINT" not in variables


def test_vpc_lambdas_run_in_the_private_subnets(stack):
    subnets = {s.id for s in stack.of_type("aws:ec2/subnet:Subnet")}
    deployed = {f.inputs["name"].rsplit("-", 1)[-1]: f for f in stack.of_type(FUNCTION)}
    for spec in chatspec.LAMBDAS:
        inputs = deployed[spec.name].inputs
        if spec.in_vpc:
            assert set(inputs["vpcConfig"]["subnetIds"]) == subnets
            assert len(inputs["vpcConfig"]["securityGroupIds"]) == 1
        else:
            assert "vpcConfig" not in inputs


def test_execution_roles_grant_exactly_the_spec_tables(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    tables = {t.inputs["name"]: t.state["arn"] for t in stack.of_type("aws:dynamodb/table:Table")}
    for spec in chatspec.LAMBDAS:
        function = functions_by_name(stack)[function_name(prefix, spec.name)]
        role = next(
            r
            for r in stack.of_type("aws:iam/role:Role")
            if r.state["arn"] == function.inputs["role"]
        )
        found = role_policies(stack, role)
        table_statements = [
            s for s in found if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))
        ]
        stream_actions = {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        }
        expected = set()
        for grant in spec.grants:
            arn = tables[table_name(prefix, grant.table)]
            resource = f"{arn}/index/{grant.index}" if grant.index else arn
            expected |= {(action, resource) for action in grant.actions}
        data = {(a, r) for a, r in dynamodb_grants(table_statements) if a not in stream_actions}
        assert data == expected
        for statement in found:
            assert "dynamodb:*" not in as_list(statement["Action"])
            if as_list(statement["Action"]) == ["dynamodb:ListStreams"]:
                assert statement["Resource"] == "*"  # it supports no resource ARN
            elif any(a.startswith("dynamodb:") for a in as_list(statement["Action"])):
                assert "*" not in as_list(statement["Resource"])
                assert "dynamodb:ListStreams" not in as_list(statement["Action"])
        log_resources = [
            s["Resource"] for s in found if "logs:PutLogEvents" in as_list(s["Action"])
        ]
        assert log_resources and all(
            log_group_name(function.inputs["name"]) in r for r in log_resources
        )
        vpc_attached = any(
            a.inputs["role"] == role.state["name"] and "VPCAccess" in a.inputs["policyArn"]
            for a in stack.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        )
        assert vpc_attached == spec.in_vpc
