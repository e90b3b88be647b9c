"""The AppSync prelude: scalars with AppSync's validation, directives, introspection."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from graphql import GraphQLError

from emulator.core.scalars import INPUT_COERCERS
from emulator.core.schema import load_schema, prelude


@pytest.mark.parametrize(
    ("scalar", "good", "bad"),
    [
        ("AWSDate", "1970-01-01", "1970-13-01"),
        ("AWSDate", "2024-02-29Z", "2023-02-29"),
        ("AWSTime", "12:30:00.123Z", "12h30"),
        ("AWSDateTime", "2024-01-01T00:00:00+05:30", "2024-01-01T00:00:00"),
        ("AWSTimestamp", 1700000000, "1700000000"),
        ("AWSEmail", "a@example.com", "not-an-email"),
        ("AWSURL", "https://example.com/x", "example"),
        ("AWSPhone", "+1 (555) 010-0000", "phone"),
        ("AWSIPAddress", "10.0.0.0/8", "300.1.1.1"),
        ("AWSJSON", '{"a": [1]}', "{nope"),
    ],
)
def test_scalar_validation(scalar, good, bad):
    coerce = INPUT_COERCERS[scalar]
    coerce(good)
    with pytest.raises(GraphQLError, match=scalar):
        coerce(bad)


def test_awsjson_arguments_reach_resolvers_parsed():
    """AppSync parses AWSJSON input, so templates see a map, and renders output as a string."""
    schema = load_schema("type Query { echo(doc: AWSJSON): AWSJSON }")
    scalar = schema.type_map["AWSJSON"]
    assert scalar.coerce_input_value('{"a": 1}') == {"a": 1}
    assert scalar.coerce_output_value({"a": 1}) == '{"a":1}'


def test_prelude_is_never_part_of_the_deployed_schema():
    with open("schema.graphql", encoding="utf-8") as deployed:
        text = deployed.read()
    assert "directive @aws_subscribe" not in text
    assert "directive @aws_subscribe" in prelude()
    load_schema(text)


def test_introspection_works(fixture_api):
    out = fixture_api.call("{ __schema { queryType { name } } }")
    assert out == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_concurrent_requests_do_not_share_state(fixture_api):
    """E's server calls execute from a thread pool: each request keeps its own identity."""

    def put(n: int) -> dict:
        return fixture_api.call(
            f'mutation {{ putItem(id: "c{n}", name: "n{n}") {{ id owner }} }}', user=f"user{n}"
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(put, range(24)))
    assert [r["data"]["putItem"] for r in results] == [
        {"id": f"c{n}", "owner": f"user{n}"} for n in range(24)
    ]
