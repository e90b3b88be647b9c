"""queryDepthLimit, resolverCountLimit and introspection, through the emulator, at the
boundary: the emulator enforces the stack's settings as AppSync documents them."""

from __future__ import annotations

from emulator.core.limits import ApiLimits
from emulator.testing import LocalApi
from stacksettings.settings import load_settings
from tests.api.seed import create_room, data, send

# myRooms(1) > items(2) > room(3) > roomId(4)
DEPTH_FOUR = "query { myRooms { items { room { roomId } } } }"
DEPTH_THREE = "query { myRooms { items { unreadCount } } }"
LIST = """query($roomId: ID!) { listMessages(roomId: $roomId, limit: 5) {
  items { messageId reactions { emoji } } } }"""


def test_the_emulator_takes_the_dev_stack_limits_by_default():
    dev = load_settings("dev")
    with LocalApi() as api:
        assert api.engine.limits == ApiLimits.from_settings(dev)
    assert dev.appsync_query_depth_limit > 0 and dev.appsync_resolver_count_limit > 0


def test_a_query_at_the_depth_limit_runs_and_one_level_deeper_does_not():
    with LocalApi(limits=ApiLimits(query_depth=4)) as api:
        room = create_room(api)
        at_limit = api.call(DEPTH_FOUR)
        assert at_limit.get("errors") is None
        assert at_limit["data"]["myRooms"]["items"][0]["room"]["roomId"] == room
    with LocalApi(limits=ApiLimits(query_depth=3)) as api:
        create_room(api)
        assert api.call(DEPTH_THREE).get("errors") is None
        deeper = api.call(DEPTH_FOUR)
    [error] = {e["message"]: e for e in deeper["errors"]}.values()
    assert error["errorType"] == "LimitExceeded"
    assert "query depth limit is 3" in error["message"]
    assert error["path"][-1] == "roomId"
    # roomId, room, items and myRooms are non-null: the null travels up to `data`, as
    # AppSync documents for a non-nullable field's error.
    assert deeper["data"] is None


def test_resolvers_up_to_the_count_limit_run_and_the_next_one_does_not():
    """listMessages (1 resolver) + Message.reactions per message: 1 + n resolvers."""
    with LocalApi(limits=ApiLimits(resolver_count=4)) as api:
        room = create_room(api)
        for i in range(3):
            send(api, room, f"m{i}")
        at_limit = api.call(LIST, {"roomId": room})
        assert at_limit.get("errors") is None
        assert len(at_limit["data"]["listMessages"]["items"]) == 3
        send(api, room, "one more")
        over = api.call(LIST, {"roomId": room})
    errors = over["errors"]
    assert [e["errorType"] for e in errors] == ["LimitExceeded"]
    assert "resolver count limit" in errors[0]["message"]
    assert errors[0]["path"][-1] == "reactions"
    assert over["data"] is None  # reactions is non-null all the way up


def test_introspection_is_refused_when_disabled_and_typename_stays():
    query = "query { __schema { queryType { name } } }"
    with LocalApi(limits=ApiLimits(introspection=True)) as api:
        assert data(api.call(query), "__schema")["queryType"]["name"] == "Query"
    with LocalApi(limits=ApiLimits(introspection=False)) as api:
        refused = api.call(query)
        typed = api.call('query { __type(name: "Room") { name } }')
        typename = api.call("query { listPublicRooms { __typename } }")
    assert "data" not in refused or refused.get("data") is None
    assert refused["errors"][0]["errorType"] == "ValidationError"
    assert "'__schema'" in refused["errors"][0]["message"]
    assert typed["errors"][0]["errorType"] == "ValidationError"
    assert typename.get("errors") is None


def test_prod_disables_introspection_and_both_stacks_set_limits():
    prod, dev = load_settings("prod"), load_settings("dev")
    assert prod.appsync_introspection is False
    for settings in (prod, dev):
        assert 1 <= settings.appsync_query_depth_limit <= 75
        assert 1 <= settings.appsync_resolver_count_limit <= 10_000
