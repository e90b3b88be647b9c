"""`--data-dir` journals per item: a flush writes the items that changed, not the tables,
and a restart replays state.json plus the journal (a line cut short by a crash ignored)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from emulator import snapshot
from emulator.aws_backend import AwsBackend
from tests.emulator.snapshot_backends import fresh_backend, restarted


@pytest.fixture
def backend() -> Iterator[AwsBackend]:
    yield from fresh_backend()


def _room(n: int, name: str = "room") -> dict[str, Any]:
    return {"roomId": {"S": f"r{n}"}, "name": {"S": f"{name} {n}"}}


def _rooms(backend: AwsBackend) -> dict[str, str]:
    items = backend.local_client("dynamodb").scan(TableName=backend.table_names["rooms"])["Items"]
    return {i["roomId"]["S"]: i["name"]["S"] for i in items}


def test_a_flush_journals_only_the_items_that_changed(backend, tmp_path):
    dynamodb = backend.local_client("dynamodb")
    rooms = backend.table_names["rooms"]
    for n in range(200):
        dynamodb.put_item(TableName=rooms, Item=_room(n))
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    try:
        assert (tmp_path / snapshot.SNAPSHOT_NAME).exists()
        dynamodb.put_item(TableName=rooms, Item=_room(500, "new"))
        dynamodb.update_item(
            TableName=rooms,
            Key={"roomId": {"S": "r1"}},
            UpdateExpression="SET #n = :n",
            ExpressionAttributeNames={"#n": "name"},
            ExpressionAttributeValues={":n": {"S": "renamed"}},
        )
        dynamodb.delete_item(TableName=rooms, Key={"roomId": {"S": "r2"}})
        saver.step()
        lines = (tmp_path / snapshot.JOURNAL_NAME).read_text().splitlines()
        assert len(lines) == 3  # not 200: the untouched items are not written again
        by_key = {json.loads(line)["key"]["roomId"]["S"]: json.loads(line) for line in lines}
        assert by_key["r2"]["item"] is None
        assert by_key["r1"]["item"]["name"] == {"S": "renamed"}
        saver.step()
        assert len((tmp_path / snapshot.JOURNAL_NAME).read_text().splitlines()) == 3
    finally:
        saver.stop()


def test_a_restart_replays_the_snapshot_and_the_journal(backend, tmp_path):
    dynamodb = backend.local_client("dynamodb")
    rooms = backend.table_names["rooms"]
    for n in range(5):
        dynamodb.put_item(TableName=rooms, Item=_room(n))
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    dynamodb.put_item(TableName=rooms, Item=_room(9, "late"))
    dynamodb.delete_item(TableName=rooms, Key={"roomId": {"S": "r0"}})
    saver.stop()
    with (tmp_path / snapshot.JOURNAL_NAME).open("a") as journal:
        journal.write('{"table": "rooms", "key": {"roomId": {"S": "r3"}}, "item": nu')
    expected = _rooms(backend)
    again = restarted(backend)
    try:
        assert snapshot.restore(again, tmp_path)
        assert _rooms(again) == expected
        assert "r0" not in expected and expected["r9"] == "late 9" and "r3" in expected
        assert (tmp_path / snapshot.JOURNAL_NAME).read_text() == ""  # folded into state.json
    finally:
        again.stop()


def test_a_long_journal_is_folded_into_the_snapshot(backend, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot, "COMPACT_MIN_LINES", 3)
    dynamodb = backend.local_client("dynamodb")
    rooms = backend.table_names["rooms"]
    saver = snapshot.PeriodicSnapshot(backend, tmp_path, interval_seconds=3600)
    saver.start()
    try:
        for round_ in range(3):
            for n in range(2):
                dynamodb.put_item(TableName=rooms, Item=_room(n, f"v{round_}"))
            saver.step()
        assert len((tmp_path / snapshot.JOURNAL_NAME).read_text().splitlines()) <= 4
        state = json.loads((tmp_path / snapshot.SNAPSHOT_NAME).read_text())
        assert {i["name"]["S"] for i in state["tables"]["rooms"]} >= {"v1 0", "v1 1"}
    finally:
        saver.stop()
