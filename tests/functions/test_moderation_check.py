"""The toxicity checker against moto (DynamoDB) and botocore's Comprehend service model
(`Stubber`): the DetectToxicContent request, segmenting within Comprehend's limits, and
what each moderationLevel does."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

import chatspec
from chatspec.aws_limits import COMPREHEND_TOXIC_SEGMENT_BYTES, COMPREHEND_TOXIC_SEGMENTS
from emulator.tables import create_table
from emulator.testing import KEEP_BOTO3_SESSION
from functions.common.graphql_iam import GraphQLRefused
from functions.moderation.check import Checker
from functions.moderation.toxicity import segments

PREFIX = "test"
ROOM = "room-1"


class RecordingApi:
    def __init__(self, refuse: str | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.refuse = refuse

    def execute(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        assert "hideMessage" in query
        self.calls.append(variables)
        if self.refuse:
            raise GraphQLRefused(self.refuse, "already hidden")
        return {"hideMessage": {"messageId": variables["messageId"]}}


@pytest.fixture
def tables(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws(config=KEEP_BOTO3_SESSION):
        client = boto3.client("dynamodb")
        for table in chatspec.TABLES:
            create_table(client, table, prefix=PREFIX)
        resource = boto3.resource("dynamodb")
        yield {
            name: resource.Table(chatspec.table(name).deployed_name(PREFIX))
            for name in ("rooms", "moderation")
        }


def comprehend_stub():
    client = boto3.client("comprehend", region_name="eu-west-1")
    return client, Stubber(client)


def toxic(score: float, n: int = 1) -> dict[str, Any]:
    labels = [{"Name": "INSULT", "Score": score}, {"Name": "PROFANITY", "Score": score / 2}]
    return {"ResultList": [{"Toxicity": score, "Labels": labels}] * n}


def checker(tables, comprehend, api) -> Checker:
    return Checker(
        rooms=tables["rooms"],
        moderation=tables["moderation"],
        comprehend=comprehend,
        api=api,
        now=lambda: datetime(2026, 12, 1, tzinfo=UTC),
    )


def room(tables, level: str | None) -> None:
    settings = {} if level is None else {"moderationLevel": level}
    tables["rooms"].put_item(Item={"roomId": ROOM, "type": "GROUP", "settings": settings})


DETAIL = {"roomId": ROOM, "messageId": "m1", "authorId": "bob", "type": "TEXT"}


def test_none_calls_nothing(tables):
    room(tables, None)
    client, stub = comprehend_stub()
    with stub:
        outcome = checker(tables, client, RecordingApi()).handle({**DETAIL, "content": "you idiot"})
    assert outcome.status == "skipped"


def test_flag_reports_a_toxic_message_once(tables):
    room(tables, "FLAG")
    client, stub = comprehend_stub()
    request = {"TextSegments": [{"Text": "you idiot"}], "LanguageCode": "en"}
    stub.add_response("detect_toxic_content", toxic(0.93), request)
    stub.add_response("detect_toxic_content", toxic(0.93), request)
    api = RecordingApi()

    with stub:
        first = checker(tables, client, api).handle({**DETAIL, "content": "you idiot"})
        replay = checker(tables, client, api).handle({**DETAIL, "content": "you idiot"})

    assert (first.status, replay.status) == ("flagged", "flagged") and api.calls == []
    [report] = tables["moderation"].scan()["Items"]
    assert report["entryKey"] == "report#OPEN#m1.auto" and report["source"] == "AUTOMATIC"
    assert report["reason"].startswith("toxicity 0.93 (INSULT 0.93")
    assert report["messageContent"] == "you idiot" and report["messageAuthorId"] == "bob"


def test_a_clean_message_leaves_nothing(tables):
    room(tables, "HIDE")
    client, stub = comprehend_stub()
    stub.add_response("detect_toxic_content", toxic(0.1))
    api = RecordingApi()
    with stub:
        outcome = checker(tables, client, api).handle({**DETAIL, "content": "lovely day"})
    assert (
        outcome.status == "clean" and api.calls == [] and not tables["moderation"].scan()["Items"]
    )


@pytest.mark.parametrize("refusal", [None, "Conflict"])
def test_hide_reports_and_hides_through_the_api(tables, refusal):
    room(tables, "HIDE")
    client, stub = comprehend_stub()
    stub.add_response("detect_toxic_content", toxic(0.99))
    api = RecordingApi(refuse=refusal)
    with stub:
        outcome = checker(tables, client, api).handle({**DETAIL, "content": "you idiot"})
    assert outcome.status == "hidden"
    assert api.calls == [{"roomId": ROOM, "messageId": "m1", "reason": api.calls[0]["reason"]}]
    assert api.calls[0]["reason"].startswith("toxicity 0.99")


def test_a_long_message_is_cut_into_segments_comprehend_accepts(tables):
    room(tables, "FLAG")
    text = ("漢字漢字漢字漢字 " * 500)[:4000]  # 3-byte characters: 11,120 bytes
    parts = segments(text)
    assert "".join(parts) == text
    assert all(len(p.encode()) <= COMPREHEND_TOXIC_SEGMENT_BYTES.value for p in parts)
    assert len(parts) > COMPREHEND_TOXIC_SEGMENTS.value
    client, stub = comprehend_stub()
    first = parts[: COMPREHEND_TOXIC_SEGMENTS.value]
    rest = parts[COMPREHEND_TOXIC_SEGMENTS.value :]
    stub.add_response(
        "detect_toxic_content",
        toxic(0.2, len(first)),
        {"TextSegments": [{"Text": p} for p in first], "LanguageCode": "en"},
    )
    stub.add_response(
        "detect_toxic_content",
        toxic(0.8, len(rest)),
        {"TextSegments": [{"Text": p} for p in rest], "LanguageCode": "en"},
    )
    with stub:
        outcome = checker(tables, client, RecordingApi()).handle({**DETAIL, "content": text})
    stub.assert_no_pending_responses()
    assert outcome.status == "flagged" and outcome.toxicity == 0.8


def test_an_unsplittable_word_still_fits():
    parts = segments("x" * 2500)
    assert [len(p) for p in parts] == [1000, 1000, 500]
