"""The specification agrees with the schema, the templates, the handlers and itself."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import chatspec
from chatspec.iam import data_source_grants
from chatspec.templates import VTL_DIR
from tests.contract import spec_checks as checks

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = (ROOT / "schema.graphql").read_text()
FUNCTIONS_DIR = ROOT / "functions"
SPEC = {
    "resolvers": chatspec.RESOLVERS,
    "functions": chatspec.PIPELINE_FUNCTIONS,
    "data_sources": chatspec.DATA_SOURCES,
}


def test_every_root_field_has_exactly_one_resolver_on_a_real_field():
    assert checks.resolver_coverage(chatspec.RESOLVERS, SCHEMA) == []


def test_every_named_template_exists():
    assert checks.missing_templates(chatspec.RESOLVERS, chatspec.PIPELINE_FUNCTIONS, VTL_DIR) == []


def test_no_template_is_orphaned():
    assert checks.orphaned_templates(chatspec.RESOLVERS, chatspec.PIPELINE_FUNCTIONS, VTL_DIR) == []


def test_templates_and_lambdas_use_existing_tables_indexes_and_keys():
    problems = checks.table_usage(
        chatspec.RESOLVERS,
        chatspec.PIPELINE_FUNCTIONS,
        chatspec.DATA_SOURCES,
        chatspec.TABLES,
        chatspec.LAMBDAS,
        VTL_DIR,
    )
    assert problems == []


def test_lambda_handlers_dispatch_exactly_the_specified_actions():
    problems = checks.lambda_actions(
        chatspec.LAMBDAS,
        chatspec.RESOLVERS,
        chatspec.DATA_SOURCES,
        FUNCTIONS_DIR,
        functions=chatspec.PIPELINE_FUNCTIONS,
    )
    assert problems == []


def test_an_action_wired_nowhere_or_a_step_on_an_unlisted_field_is_found():
    search = next(f for f in chatspec.LAMBDAS if f.name == "search")
    wiring = (chatspec.RESOLVERS, chatspec.DATA_SOURCES, FUNCTIONS_DIR)
    extra = replace(search, actions=(*search.actions, "Query.searchRooms"))
    problems = checks.lambda_actions((extra,), *wiring, functions=chatspec.PIPELINE_FUNCTIONS)
    assert "action Query.searchRooms of Lambda search has no resolver" in problems
    fewer = replace(search, actions=())
    problems = checks.lambda_actions((fewer,), *wiring, functions=chatspec.PIPELINE_FUNCTIONS)
    assert "Query.searchMessages invokes Lambda search but is not its action" in problems


def test_data_source_grants_match_their_templates():
    assert checks.data_source_permissions(**SPEC, vtl_dir=VTL_DIR) == []


def test_chatspec_iam_is_the_union_the_checks_expect():
    for source in chatspec.DATA_SOURCES:
        expected = checks.grants_of(source.name, chatspec.RESOLVERS, chatspec.PIPELINE_FUNCTIONS)
        assert data_source_grants(source.name) == expected


# Broken copies: each check must notice the one thing planted.

MEMBERSHIP = next(f for f in chatspec.PIPELINE_FUNCTIONS if f.name == "getCallerMembership")


def _write(tmp_path: Path, relative: str, text: str) -> Path:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return tmp_path


QUERY_BY_USER = """{
  "version": "2018-05-29",
  "operation": "Query",
  "index": "%s",
  "query": {
    "expression": "#u = :u",
    "expressionNames": {"#u": "userId"},
    "expressionValues": {":u": $util.dynamodb.toDynamoDBJson($ctx.identity.sub)}
  }
}"""


def _query_function(index: str, grants=None):
    return replace(
        MEMBERSHIP,
        name="listMine",
        request="functions/listMine.request.vtl",
        response="functions/listMine.response.vtl",
        grants=grants
        if grants is not None
        else (chatspec.model.Grant("room_members", ("dynamodb:Query",), index="byUser"),),
    )


def _tmp_vtl(tmp_path: Path, index: str) -> Path:
    _write(tmp_path, "functions/listMine.request.vtl", QUERY_BY_USER % index)
    _write(tmp_path, "functions/listMine.response.vtl", "$util.toJson($ctx.result)")
    return tmp_path


def test_broken_resolver_on_missing_field_and_missing_subscription_are_found():
    ghost = chatspec.model.Resolver("Query", "noSuchField", "UNIT", data_source="NoneDataSource")
    problems = checks.resolver_coverage((*chatspec.RESOLVERS, ghost), SCHEMA)
    assert "resolver Query.noSuchField names a field the schema does not have" in problems
    without = [r for r in chatspec.RESOLVERS if r.key != "Subscription.onTyping"]
    assert "schema field Subscription.onTyping has no resolver" in checks.resolver_coverage(
        without, SCHEMA
    )


def test_broken_duplicate_resolver_is_found():
    first = chatspec.model.Resolver("Query", "getRoom", "UNIT", data_source="RoomsTable")
    problems = checks.resolver_coverage((first, replace(first)), SCHEMA)
    assert "field Query.getRoom has 2 resolvers" in problems


def test_broken_template_path_and_orphan_are_found(tmp_path):
    moved = replace(MEMBERSHIP, request="functions/nowhere.request.vtl")
    missing = checks.missing_templates((), (moved,), VTL_DIR)
    assert missing == [
        "function getCallerMembership names template functions/nowhere.request.vtl, "
        "which does not exist"
    ]
    vtl = _tmp_vtl(tmp_path, "byUser")
    _write(tmp_path, "stale/Query.old.request.vtl", "{}")
    orphans = checks.orphaned_templates((), (_query_function("byUser"),), vtl)
    assert orphans == [
        "template stale/Query.old.request.vtl is used by no resolver or pipeline function"
    ]


def test_broken_index_name_is_found(tmp_path):
    args = (chatspec.DATA_SOURCES, chatspec.TABLES, (), _tmp_vtl(tmp_path, "byUsr"))
    problems = checks.table_usage((), (_query_function("byUsr"),), *args)
    assert any("unknown index room_members.byUsr" in p for p in problems)
    good = checks.table_usage(
        (), (_query_function("byUser"),), *args[:3], _tmp_vtl(tmp_path, "byUser")
    )
    assert good == []


def test_broken_key_is_found(tmp_path):
    text = (VTL_DIR / MEMBERSHIP.request).read_text().replace('"userId":', '"memberId":')
    vtl = _write(tmp_path, MEMBERSHIP.request, text)
    problems = checks.table_usage(
        (), (MEMBERSHIP,), chatspec.DATA_SOURCES, chatspec.TABLES, (), vtl
    )
    assert any("GetItem key ['memberId', 'roomId'] does not match" in p for p in problems)


def test_broken_lambda_grant_on_unknown_index_is_found():
    rooms = next(f for f in chatspec.LAMBDAS if f.name == "rooms")
    bad = replace(
        rooms, grants=(chatspec.model.Grant("room_members", ("dynamodb:Query",), "byRoom"),)
    )
    problems = checks.table_usage((), (), chatspec.DATA_SOURCES, chatspec.TABLES, (bad,), VTL_DIR)
    assert problems == ["Lambda rooms uses unknown index byRoom"]


def test_broken_permissions_are_found_both_ways(tmp_path):
    removed = replace(MEMBERSHIP, grants=())
    problems = checks.data_source_permissions((), (removed,), chatspec.DATA_SOURCES, VTL_DIR)
    assert problems == [
        "data source RoomMembersTable lacks dynamodb:GetItem on messages",
        "data source RoomMembersTable lacks dynamodb:GetItem on room_members",
        "data source RoomMembersTable lacks dynamodb:GetItem on rooms",
    ]
    extra = replace(
        MEMBERSHIP,
        grants=(*MEMBERSHIP.grants, chatspec.model.Grant("room_members", ("dynamodb:DeleteItem",))),
    )
    problems = checks.data_source_permissions((), (extra,), chatspec.DATA_SOURCES, VTL_DIR)
    assert problems == [
        "data source RoomMembersTable grants unused dynamodb:DeleteItem on room_members"
    ]
    table_grant = (chatspec.model.Grant("room_members", ("dynamodb:Query",)),)
    vtl = _tmp_vtl(tmp_path, "byUser")
    problems = checks.data_source_permissions(
        (), (_query_function("byUser", table_grant),), chatspec.DATA_SOURCES, vtl
    )
    assert (
        "data source RoomMembersTable lacks dynamodb:Query on room_members/index/byUser" in problems
    )


def test_broken_lambda_actions_are_found(tmp_path):
    search = next(f for f in chatspec.LAMBDAS if f.name == "search")
    handler = tmp_path / "search" / "handler.py"
    handler.parent.mkdir()
    handler.write_text('ACTIONS = {"Query.searchMessages": print}\n')
    assert checks.lambda_actions((search,), (), chatspec.DATA_SOURCES, tmp_path) == []
    added = replace(search, actions=(*search.actions, "Query.searchRooms"))
    problems = checks.lambda_actions((added,), (), chatspec.DATA_SOURCES, tmp_path)
    assert problems == [f"{handler} ACTIONS lacks Query.searchRooms"]
    direct = chatspec.model.Resolver("Query", "myRooms", "UNIT", data_source="SearchLambda")
    problems = checks.lambda_actions((search,), (direct,), chatspec.DATA_SOURCES, tmp_path)
    assert problems == ["direct Lambda resolver Query.myRooms is not an action of search"]
