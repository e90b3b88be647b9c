"""The GraphQL API: auth, schema, logging, WAF, data sources with least-privilege roles and
resolvers wired from the specification.

The real spec is being filled in by the API work, so besides asserting over whatever it
holds, one test runs the program with a small synthetic wiring (unit, pipeline and direct
Lambda resolvers) to prove the generic wiring on every kind.
"""

from __future__ import annotations

import pytest

import chatspec
import chatspec.resolvers
from chatspec.iam import data_source_grants
from chatspec.model import Grant, PipelineFunction, Resolver
from components.api import SCHEMA_PATH
from components.naming import table_name
from stackrun.stack import run_stack
from tests.unit.helpers import as_list, dynamodb_grants, statements

RESOLVER = "aws:appsync/resolver:Resolver"
DATA_SOURCE = "aws:appsync/dataSource:DataSource"


def test_api_uses_cognito_with_iam_and_deploys_the_schema_file(stack, settings_of):
    settings = settings_of[stack.stack]
    api = stack.one("aws:appsync/graphQLApi:GraphQLApi").inputs
    assert api["authenticationType"] == "AMAZON_COGNITO_USER_POOLS"
    assert api["userPoolConfig"]["userPoolId"] == stack.one("aws:cognito/userPool:UserPool").id
    assert [p["authenticationType"] for p in api["additionalAuthenticationProviders"]] == [
        "AWS_IAM"
    ]
    assert api["schema"] == SCHEMA_PATH.read_text(encoding="utf-8")
    assert api["logConfig"]["fieldLogLevel"] == settings.appsync_field_log_level
    assert api.get("xrayEnabled", False) == settings.appsync_xray


def test_waf_rate_limits_the_api_in_prod_only(prod, dev):
    assert dev.of_type("aws:wafv2/webAcl:WebAcl") == []
    acl = prod.one("aws:wafv2/webAcl:WebAcl")
    (rule,) = acl.inputs["rules"]
    assert rule["statement"]["rateBasedStatement"] == {"limit": 2000, "aggregateKeyType": "IP"}
    assert "block" in rule["action"]
    association = prod.one("aws:wafv2/webAclAssociation:WebAclAssociation").inputs
    assert association["resourceArn"] == prod.one("aws:appsync/graphQLApi:GraphQLApi").state["arn"]
    assert association["webAclArn"] == acl.state["arn"]


def data_source_roles(run):
    roles = {r.state["arn"]: r for r in run.of_type("aws:iam/role:Role")}
    return {
        ds.inputs["name"]: roles.get(ds.inputs.get("serviceRoleArn"))
        for ds in run.of_type(DATA_SOURCE)
    }


def role_statements(run, role):
    return [
        s
        for p in run.of_type("aws:iam/rolePolicy:RolePolicy")
        if p.inputs["role"] == role.state["name"]
        for s in statements(p.inputs["policy"])
    ]


def assert_data_sources_are_least_privilege(run):
    prefix = run.config["realtime-chat:prefix"]
    tables = {t.inputs["name"]: t.state["arn"] for t in run.of_type("aws:dynamodb/table:Table")}
    functions = {
        f.inputs["name"]: f.state["arn"] for f in run.of_type("aws:lambda/function:Function")
    }
    recorded = {ds.inputs["name"]: ds for ds in run.of_type(DATA_SOURCE)}
    assert set(recorded) == {d.name for d in chatspec.DATA_SOURCES}
    roles = data_source_roles(run)
    distinct = [r.urn for r in roles.values() if r is not None]
    assert len(distinct) == len(set(distinct)), "data sources share a role"
    for spec in chatspec.DATA_SOURCES:
        inputs, role = recorded[spec.name].inputs, roles[spec.name]
        assert inputs["type"] == spec.kind
        if spec.kind == "NONE":
            assert role is None
            continue
        found = role_statements(run, role)
        if spec.kind == "AWS_LAMBDA":
            arn = functions[f"{prefix}-{spec.function}"]
            assert inputs["lambdaConfig"]["functionArn"] == arn
            assert found == [
                {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": arn}
            ]
            continue
        assert inputs["dynamodbConfig"]["tableName"] == table_name(prefix, spec.table)
        expected = set()
        for grant in data_source_grants(spec.name):
            arn = tables[table_name(prefix, grant.table)]
            resource = f"{arn}/index/{grant.index}" if grant.index else arn
            expected |= {(action, resource) for action in grant.actions}
        assert dynamodb_grants(found) == expected
        for statement in found:
            assert "dynamodb:*" not in as_list(statement["Action"])
            assert "*" not in as_list(statement["Resource"])


def assert_resolvers_follow_the_spec(run):
    api = run.one("aws:appsync/graphQLApi:GraphQLApi")
    sources = {ds.inputs["name"]: ds for ds in run.of_type(DATA_SOURCE)}
    functions = {f.inputs["name"]: f for f in run.of_type("aws:appsync/function:Function")}
    assert set(functions) == {f.name for f in chatspec.PIPELINE_FUNCTIONS}
    for spec in chatspec.PIPELINE_FUNCTIONS:
        function = functions[spec.name]
        assert function.inputs["dataSource"] == spec.data_source
        assert {api.urn, sources[spec.data_source].urn} <= set(function.dependencies)
    resolvers = {(r.inputs["type"], r.inputs["field"]): r for r in run.of_type(RESOLVER)}
    assert set(resolvers) == {(r.type_name, r.field_name) for r in chatspec.RESOLVERS}
    for spec in chatspec.RESOLVERS:
        resolver = resolvers[(spec.type_name, spec.field_name)]
        assert resolver.inputs["kind"] == spec.kind
        assert resolver.delete_before_replace
        assert api.urn in resolver.dependencies
        if spec.kind == "UNIT":
            assert resolver.inputs["dataSource"] == spec.data_source
            assert sources[spec.data_source].urn in resolver.dependencies
        else:
            chain = [functions[name] for name in spec.functions]
            assert resolver.inputs["pipelineConfig"]["functions"] == [f.id for f in chain]
            assert {f.urn for f in chain} <= set(resolver.dependencies)
        if spec.request is None:
            assert "requestTemplate" not in resolver.inputs
        else:
            text = resolver.inputs["requestTemplate"]
            prelude = [line for line in text.splitlines() if line.startswith("#set($tables = ")]
            assert "$tables." not in text or prelude


def test_data_sources_have_one_least_privilege_role_each(stack):
    assert_data_sources_are_least_privilege(stack)


def test_every_spec_resolver_and_function_is_wired(stack):
    assert_resolvers_follow_the_spec(stack)


SYNTHETIC_FUNCTIONS = (
    PipelineFunction(
        name="readRoom",
        data_source="RoomsTable",
        request="functions/getCallerMembership.request.vtl",
        response="functions/getCallerMembership.response.vtl",
        grants=(Grant("rooms", ("dynamodb:GetItem",)),),
    ),
)
SYNTHETIC_RESOLVERS = (
    Resolver(
        "Query",
        "getMessage",
        "UNIT",
        request="functions/getCallerMembership.request.vtl",
        response="functions/getCallerMembership.response.vtl",
        data_source="MessagesTable",
        grants=(
            Grant("messages", ("dynamodb:GetItem", "dynamodb:Query")),
            Grant("messages", ("dynamodb:Query",), index="byReplyTo"),
        ),
    ),
    Resolver(
        "Query",
        "getRoom",
        "PIPELINE",
        request="pipeline/before.vtl",
        response="shared/result.vtl",
        functions=("getCallerMembership", "readRoom"),
    ),
    Resolver("Query", "myRooms", "UNIT", data_source="RoomsLambda"),
)


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch):
    functions = chatspec.PIPELINE_FUNCTIONS + SYNTHETIC_FUNCTIONS
    resolvers = chatspec.RESOLVERS + tuple(
        r for r in SYNTHETIC_RESOLVERS if r.key not in {x.key for x in chatspec.RESOLVERS}
    )
    for module in (chatspec, chatspec.resolvers):
        monkeypatch.setattr(module, "PIPELINE_FUNCTIONS", functions)
        monkeypatch.setattr(module, "RESOLVERS", resolvers)
    return run_stack("prod")


def test_synthetic_wiring_of_every_resolver_kind(wired):
    assert_resolvers_follow_the_spec(wired)
    assert_data_sources_are_least_privilege(wired)
    resolvers = {r.inputs["field"]: r for r in wired.of_type(RESOLVER)}
    assert "requestTemplate" not in resolvers["myRooms"].inputs
    assert "$ctx.result.error" in resolvers["myRooms"].inputs["responseTemplate"]
    roles = data_source_roles(wired)
    granted = dynamodb_grants(role_statements(wired, roles["MessagesTable"]))
    assert any(resource.endswith("/index/byReplyTo") for _, resource in granted)
    expected = {a for g in data_source_grants("MessagesTable") for a in g.actions}
    assert {"dynamodb:GetItem", "dynamodb:Query"} <= expected
    assert {a for a, _ in granted} == expected


def test_template_table_references_get_the_stack_names(monkeypatch, tmp_path):
    template = tmp_path / "probe.request.vtl"
    template.write_text('{"tables": ["$tables.room_members"]}', encoding="utf-8")
    probe = Resolver(
        "Query",
        "listMembers",
        "UNIT",
        request=str(template),
        response="functions/getCallerMembership.response.vtl",
        data_source="RoomMembersTable",
        grants=(Grant("room_members", ("dynamodb:Query",)),),
    )
    for module in (chatspec, chatspec.resolvers):
        monkeypatch.setattr(module, "RESOLVERS", (probe,))
    run = run_stack("dev")
    (resolver,) = run.of_type(RESOLVER)
    assert resolver.inputs["requestTemplate"].startswith(
        '#set($tables = {"room_members": "chat-dev-room-members"})\n'
    )


def test_a_resolver_naming_a_missing_template_stops_the_program(monkeypatch):
    broken = Resolver(
        "Query",
        "getRoom",
        "UNIT",
        request="nowhere/missing.vtl",
        response="nowhere/missing.vtl",
        data_source="RoomsTable",
    )
    for module in (chatspec, chatspec.resolvers):
        monkeypatch.setattr(module, "RESOLVERS", (broken,))
    with pytest.raises(FileNotFoundError, match=r"nowhere/missing\.vtl"):
        run_stack("dev")
