"""Client errors from the Lambda resolvers reach clients exactly as before, and are not what
the Lambda Errors alarm counts; faults are.

`FunctionHandle.metrics.errors` counts function errors as CloudWatch's `AWS/Lambda Errors`
does (the metric `components/observability.py` alarms on): an invocation that raised,
timed out or failed to initialise.
"""

from __future__ import annotations

from tests.api.seed import create_room, error

MY_ROOMS = "query($limit: Int) { myRooms(limit: $limit) { items { role } } }"
DELETE = "mutation($roomId: ID!) { deleteRoom(roomId: $roomId) { deleted } }"


def test_client_errors_keep_their_graphql_shape_and_move_no_alarm(api):
    rooms = api.functions["rooms"]
    invocations, errors = rooms.metrics.invocations, rooms.metrics.errors

    assert error(api.call(MY_ROOMS, {"limit": 0})) == (
        "ValidationError",
        "limit must be 1 to 100, got 0",
    )
    assert error(api.call(DELETE, {"roomId": "nowhere"}, groups=["Admin"])) == (
        "NotFound",
        "room nowhere does not exist",
    )
    room = create_room(api, members=("bob",))
    assert error(api.call(DELETE, {"roomId": room}, user="bob"))[0] == "Unauthorized"

    assert rooms.metrics.invocations == invocations + 3
    assert rooms.metrics.errors == errors


def test_a_fault_is_a_function_error_with_lambdas_error_type(api):
    rooms = api.functions["rooms"]
    errors = rooms.metrics.errors
    api.dynamodb.delete_table(TableName=api.table_names["room_members"])

    answer = api.call(MY_ROOMS, {})

    assert answer["errors"][0]["errorType"] == "ResourceNotFoundException"
    assert rooms.metrics.errors == errors + 1
