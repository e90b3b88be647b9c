"""Every resolver template renders to JSON with representative arguments, results, stash."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import chatspec
from chatspec.templates import load_template
from components.naming import table_name
from tests.contract import representative as rep
from tests.contract.scenarios import ALLOWED_STOPS, RENDERING_PREFIX, SCENARIOS, Scenario
from tests.contract.template_rendering import World, rendering_problems, run_resolver

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = (ROOT / "schema.graphql").read_text()
TABLE_NAMES = {t.name: table_name(RENDERING_PREFIX, t.name) for t in chatspec.TABLES}
MEMBERSHIP_REQUEST = "functions/getCallerMembership.request.vtl"


@pytest.fixture(scope="module")
def world() -> World:
    return World(SCHEMA, chatspec.TABLES, TABLE_NAMES)


def _problems(
    world: World,
    load=load_template,
    scenarios=None,
    allowed=None,
    resolvers=None,
    functions=None,
):
    """The check on the whole spec, or on some resolvers with just their own functions."""
    if resolvers is None:
        resolvers = chatspec.RESOLVERS
    elif functions is None:
        wired = {name for r in resolvers for name in r.functions}
        functions = [f for f in chatspec.PIPELINE_FUNCTIONS if f.name in wired]
    if scenarios is None:
        scenarios = {r.key: SCENARIOS[r.key] for r in resolvers if r.key in SCENARIOS}
    return rendering_problems(
        resolvers,
        chatspec.PIPELINE_FUNCTIONS if functions is None else functions,
        world,
        chatspec.DATA_SOURCES,
        scenarios,
        ALLOWED_STOPS if allowed is None else allowed,
        load,
    )


def _replacing(path: str, text: str):
    return lambda relative: text if relative == path else load_template(relative)


def test_every_template_renders_to_json(world):
    assert _problems(world) == []


def test_representative_arguments_follow_the_schema_types(world):
    graphql_schema = world.schema
    for resolver in chatspec.RESOLVERS:
        field = graphql_schema.get_type(resolver.type_name).fields[resolver.field_name]
        arguments = rep.arguments(graphql_schema, resolver.type_name, resolver.field_name)
        assert set(arguments) == set(field.args), resolver.key
    create = rep.arguments(graphql_schema, "Mutation", "createRoom")["input"]
    assert set(create) == set(graphql_schema.get_type("CreateRoomInput").fields)
    assert create["type"] == next(iter(graphql_schema.get_type("RoomType").values))
    assert len(rep.ulid_like("roomId")) == 26


def test_request_templates_see_the_deployed_table_names(world):
    join = next(r for r in chatspec.RESOLVERS if r.key == "Mutation.joinRoom")
    seen = []

    def load(relative: str) -> str:
        seen.append(relative)
        return load_template(relative)

    first_join = SCENARIOS["Mutation.joinRoom"][-1]
    run = run_resolver(
        join, world, chatspec.DATA_SOURCES, chatspec.PIPELINE_FUNCTIONS, first_join, load
    )
    assert run.stop is None
    assert "functions/membersJoinRoom.response.vtl" in run.rendered


# Broken copies: each must make the check fail, naming the template.


def test_broken_vtl_syntax_fails(world):
    text = load_template(MEMBERSHIP_REQUEST).replace("#end", "", 1)
    problems = _problems(world, load=_replacing(MEMBERSHIP_REQUEST, text))
    assert any(MEMBERSHIP_REQUEST in p and "syntax error" in p for p in problems), problems


def test_broken_json_fails(world):
    text = load_template(MEMBERSHIP_REQUEST).replace('"transactItems"', "transactItems")
    problems = _problems(world, load=_replacing(MEMBERSHIP_REQUEST, text))
    assert any(MEMBERSHIP_REQUEST in p and "Unable to parse the JSON" in p for p in problems)


def test_broken_response_template_fails(world):
    response = next(f for f in chatspec.PIPELINE_FUNCTIONS if f.name == "getCallerMembership")
    text = load_template(response.response) + "\n,"
    problems = _problems(world, load=_replacing(response.response, text))
    assert any(response.response in p and "Unable to parse the JSON" in p for p in problems)


def test_unexplained_util_error_fails_and_an_allowance_must_still_happen(world):
    text = '$util.error("always", "Unauthorized")\n' + load_template(MEMBERSHIP_REQUEST)
    load = _replacing(MEMBERSHIP_REQUEST, text)
    room = [r for r in chatspec.RESOLVERS if r.key == "Query.getRoom"]
    problems = _problems(world, load=load, resolvers=room)
    assert (
        f"Query.getRoom: {MEMBERSHIP_REQUEST} raised Unauthorized 'always' "
        "for the representative request" in problems
    )
    allowed = {("Query.getRoom", MEMBERSHIP_REQUEST): "test"}
    problems = _problems(world, load=load, resolvers=room, allowed=allowed)
    assert f"template {MEMBERSHIP_REQUEST} never rendered to JSON in any resolver" in problems
    stale = _problems(world, resolvers=room, allowed=allowed)
    assert stale == [f"allowed stop (Query.getRoom, {MEMBERSHIP_REQUEST}) no longer happens"]


def test_template_hidden_behind_return_fails(world):
    response = "functions/membersJoinRoom.response.vtl"
    only_plain = {**SCENARIOS, "Mutation.joinRoom": (Scenario(),)}
    problems = _problems(world, scenarios=only_plain)
    assert f"template {response} never rendered to JSON in any resolver" in problems


def test_scenario_for_a_missing_field_fails(world):
    problems = _problems(world, scenarios={**SCENARIOS, "Query.gone": (Scenario(),)})
    assert "scenarios name Query.gone, which has no resolver" in problems


def test_pipeline_function_in_no_resolver_fails(world):
    unit_only = [r for r in chatspec.RESOLVERS if r.kind == "UNIT"]
    problems = _problems(world, resolvers=unit_only, functions=chatspec.PIPELINE_FUNCTIONS)
    assert "pipeline function getCallerMembership is in no resolver, so never renders" in problems


def test_unit_resolver_template_is_rendered_too(world):
    unit = next(r for r in chatspec.RESOLVERS if r.kind == "UNIT" and r.request and r.response)
    broken = replace(unit, request="rooms/missing.request.vtl")
    with pytest.raises(FileNotFoundError):
        _problems(world, resolvers=[broken])
    text = load_template(unit.request) + "}"
    problems = _problems(world, load=_replacing(unit.request, text), resolvers=[unit])
    assert any(unit.request in p for p in problems)
