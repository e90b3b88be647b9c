"""`python -m chatspec.describe Type.field` prints a field's whole path from the wiring."""

from __future__ import annotations

import subprocess
import sys

import pytest

import chatspec
from chatspec import describe
from chatspec.describe import ROOT


def test_a_pipeline_field_shows_schema_templates_sources_grants_and_tests():
    text = describe.render(describe.describe("Mutation.banMember"))
    assert "banMember(\n      roomId: ID!\n      userId: ID!" in text
    assert "PIPELINE, wired in chatspec/resolvers/members.py" in text
    order = [
        "vtl/pipeline/before.vtl",
        "vtl/functions/getCallerMembership.request.vtl",
        "vtl/functions/membersLoadTarget.response.vtl",
        "vtl/functions/membersBanMember.request.vtl",
        "vtl/shared/lostAccess.response.vtl",
    ]
    positions = [text.index(path) for path in order]
    assert positions == sorted(positions), "templates are listed in the order they run"
    assert "RoomMembersTable (AMAZON_DYNAMODB, room_members)" in text
    assert "dynamodb:UpdateItem on room_members" in text
    assert "tests/api/test_members.py" in text


def test_a_direct_lambda_field_names_the_handler_action_and_the_lambda_role():
    text = describe.render(describe.describe("Query.myRooms"))
    assert "(none: direct Lambda)" in text and "vtl/lambda/response.vtl" in text
    assert "Lambda rooms: action Query.myRooms in functions/rooms/handler.py" in text
    assert "dynamodb:BatchGetItem" in text


def test_every_wired_field_is_described_with_templates_that_exist():
    for resolver in chatspec.RESOLVERS:
        found = describe.describe(resolver.key)
        assert found.resolver == resolver
        for step in found.steps:
            for path in (step.request, step.response):
                assert path is None or (ROOT / "vtl" / path).is_file(), (resolver.key, path)


def test_a_field_without_resolver_and_an_unknown_field():
    assert describe.describe("Room.name").resolver is None
    with pytest.raises(KeyError, match="not a field"):
        describe.describe("Room.nope")
    with pytest.raises(KeyError, match=r"not Type\.field"):
        describe.describe("banMember")


def test_the_command_line_prints_it_and_fails_on_an_unknown_field():
    done = subprocess.run(
        [sys.executable, "-m", "chatspec.describe", "Subscription.onTyping"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "vtl/shared/roomSubscription.response.vtl" in done.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "chatspec.describe", "Query.nothing"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 2 and "not a field" in failed.stderr
