"""Lambdas behind AppSync against AppSync's documented limits and the client-error contract.

- AppSync waits 30 s for a data source (`chatspec.aws_limits.APPSYNC_RESOLVER_TIMEOUT`): a
  Lambda behind a data source must time out sooner, or it keeps working (and writing)
  after the client was told the request failed. Stream Lambdas are not behind AppSync.
- Every direct Lambda resolver has the shared response template, which is what turns a
  handler's returned `{"error": ...}` into the GraphQL error (without it a client's mistake
  would come back as data).
Each check also runs on a broken copy of the specification.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import chatspec
from chatspec.aws_limits import APPSYNC_RESOLVER_TIMEOUT
from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import DataSource, LambdaFunction, Resolver


def timeouts_beyond_appsync(
    lambdas: Sequence[LambdaFunction], data_sources: Sequence[DataSource]
) -> list[str]:
    behind = {d.function for d in data_sources if d.kind == "AWS_LAMBDA"}
    limit = APPSYNC_RESOLVER_TIMEOUT
    return [
        f"Lambda {f.name} is behind an AppSync data source with a {f.timeout_seconds} s "
        f"timeout; AppSync gives up after {limit.value} s ({limit.source})"
        for f in lambdas
        if f.name in behind and f.timeout_seconds >= limit.value
    ]


def direct_resolvers_without_the_response(
    resolvers: Sequence[Resolver], data_sources: Sequence[DataSource]
) -> list[str]:
    lambda_sources = {d.name for d in data_sources if d.kind == "AWS_LAMBDA"}
    return [
        f"direct Lambda resolver {r.key} has response {r.response!r}, not {DIRECT_LAMBDA_RESPONSE}"
        for r in resolvers
        if r.kind == "UNIT"
        and r.data_source in lambda_sources
        and r.request is None
        and r.response != DIRECT_LAMBDA_RESPONSE
    ]


def test_every_lambda_behind_appsync_ends_before_appsync_gives_up():
    assert timeouts_beyond_appsync(chatspec.LAMBDAS, chatspec.DATA_SOURCES) == []
    behind = {d.function for d in chatspec.DATA_SOURCES if d.kind == "AWS_LAMBDA"}
    assert behind == {"rooms", "search", "devices", "uploads", "users"}


def test_broken_timeout_is_found_and_stream_lambdas_are_exempt():
    broken = [replace(f, timeout_seconds=30) if f.name == "search" else f for f in chatspec.LAMBDAS]
    [problem] = timeouts_beyond_appsync(broken, chatspec.DATA_SOURCES)
    assert "Lambda search" in problem and "30 s" in problem
    indexer = chatspec.lambda_function("indexer")
    assert indexer.timeout_seconds > APPSYNC_RESOLVER_TIMEOUT.value  # allowed: no AppSync


def test_every_direct_lambda_resolver_has_the_shared_response():
    assert direct_resolvers_without_the_response(chatspec.RESOLVERS, chatspec.DATA_SOURCES) == []


def test_broken_direct_resolver_without_the_response_is_found():
    broken = [
        replace(r, response=None) if r.key == "Query.myRooms" else r for r in chatspec.RESOLVERS
    ]
    [problem] = direct_resolvers_without_the_response(broken, chatspec.DATA_SOURCES)
    assert "Query.myRooms" in problem
