"""Nothing lost: search converges on the table after every kind of trouble, and a client that
drops its connection catches up to exactly the room's state.

Each scenario runs against an emulator of its own module (faults break its search for a
while), starts from a table and index that agree, and ends with the consistency check
(`searchops.check`) reporting 0 missing, 0 stale and 0 resurrected. Nothing waits on a
clock: every wait is a condition polled under a generous deadline.
"""

from __future__ import annotations

import asyncio
import io
import json
import random
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from emulator.launcher import RunningEmulator, start_emulator
from functions.indexer.batch import index_batch
from scripts.smoke import ON_ADDED, ON_UPDATED, REPLICA_FIELDS, RoomReplica
from searchops.check import CheckReport, check
from searchops.redrive import redrive
from searchops.reindex import reindex
from searchops.stream_range import lambda_shape
from searchops.target import Target, load_target
from tests.e2e.api_calls import Api
from tests.e2e.clients import Users, cognito_client, http_client, realtime_client

pytestmark = pytest.mark.e2e

DEADLINE_SECONDS = 120
SEND = f"""mutation($input: SendMessageInput!) {{
  sendMessage(input: $input) {{ {REPLICA_FIELDS} }} }}"""
EDIT = f"""mutation($roomId: ID!, $messageId: ID!, $content: String!) {{
  editMessage(roomId: $roomId, messageId: $messageId, content: $content) {{
    {REPLICA_FIELDS} }} }}"""
CHANGE = """mutation($roomId: ID!, $messageId: ID!) {{
  {field}(roomId: $roomId, messageId: $messageId) {{ {fields} }} }}"""
REACT = f"""mutation($roomId: ID!, $messageId: ID!, $emoji: String!) {{
  addReaction(roomId: $roomId, messageId: $messageId, emoji: $emoji) {{ {REPLICA_FIELDS} }} }}"""
SEARCH = """query($query: String!, $roomId: ID) {
  searchMessages(query: $query, roomId: $roomId) { total items { message { messageId } } } }"""
LIST = f"""query($roomId: ID!, $nextToken: String) {{
  listMessages(roomId: $roomId, limit: 100, nextToken: $nextToken) {{
    items {{ {REPLICA_FIELDS} }} nextToken }} }}"""


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory):
    emulator = start_emulator(tmp_path_factory.mktemp("nothing-lost"))
    yield emulator
    assert emulator.stop() == 0, emulator.log()


@pytest.fixture(scope="module")
def target(running: RunningEmulator) -> Target:
    return load_target(running.outputs_file)


@pytest.fixture(scope="module")
def api(running: RunningEmulator) -> Api:
    return Api(running.outputs, Users(running.outputs, cognito_client(running.outputs)))


@pytest.fixture
def agreed(running, target, api):
    """Each scenario starts from a table and index that agree, and with no fault."""
    set_fault(running, None)
    until(lambda: not check(target).drift, "table and index agree before the scenario")
    return target


# --- helpers ---------------------------------------------------------------------------


def until(holds: Callable[[], Any], what: str, deadline: float = DEADLINE_SECONDS) -> Any:
    end = time.monotonic() + deadline
    while True:
        value = holds()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"not within {deadline:.0f}s: {what}")
        time.sleep(0.2)


async def until_async(holds: Callable[[], Any], what: str) -> Any:
    end = time.monotonic() + DEADLINE_SECONDS
    while True:
        value = await holds()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"not within {DEADLINE_SECONDS}s: {what}")
        await asyncio.sleep(0.2)


def set_fault(running: RunningEmulator, fault: dict[str, Any] | None) -> None:
    url = f"{running.outputs['searchEndpoint']}/_emulator/faults"
    answer = (
        requests.put(url, json=fault, timeout=10) if fault else requests.delete(url, timeout=10)
    )
    answer.raise_for_status()


def parked(target: Target) -> list[dict[str, Any]]:
    """The pointers in the failure queue, without consuming them (visibility timeout 0)."""
    sqs, seen = target.client("sqs"), {}
    for _ in range(30):
        found = sqs.receive_message(
            QueueUrl=target.failure_queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0
        ).get("Messages", [])
        fresh = {m["MessageId"]: json.loads(m["Body"]) for m in found if m["MessageId"] not in seen}
        if not fresh and seen:
            break
        seen.update(fresh)
        if not found:
            break
    return list(seen.values())


def parked_records(target: Target) -> int:
    return sum(p["DDBStreamBatchInfo"]["batchSize"] for p in parked(target))


def converged(target: Target) -> CheckReport:
    report = until(lambda: (r := check(target)) and not r.drift and r, "the check reports no drift")
    assert (report.missing, report.stale, report.resurrected) == ([], [], [])
    return report


def word() -> str:
    return "w" + uuid.uuid4().hex[:10]


async def room(api: Api, owner: str = "alice", members: tuple[str, ...] = ()) -> str:
    return (await api.create_room(owner, "GROUP", members))["roomId"]


async def send(api: Api, room_id: str, content: str, user: str = "alice") -> dict[str, Any]:
    variables = {"input": {"roomId": room_id, "content": content}}
    return (await api.call(user, SEND, variables))["sendMessage"]


async def edit(api: Api, room_id: str, message_id: str, content: str) -> dict[str, Any]:
    variables = {"roomId": room_id, "messageId": message_id, "content": content}
    return (await api.call("alice", EDIT, variables))["editMessage"]


async def change(api: Api, field: str, room_id: str, message_id: str) -> dict[str, Any]:
    query = CHANGE.format(field=field, fields=REPLICA_FIELDS)
    return (await api.call("alice", query, {"roomId": room_id, "messageId": message_id}))[field]


async def _contains(found: Any, message_id: str) -> bool:
    return message_id in await found


async def searched(api: Api, text: str) -> list[str]:
    result = (await api.call("alice", SEARCH, {"query": text}))["searchMessages"]
    return [item["message"]["messageId"] for item in result["items"]]


def stream_records(target: Target) -> list[dict[str, Any]]:
    """Every record the messages stream holds, Lambda-shaped, read with the Streams API."""
    streams = target.client("dynamodbstreams")
    arn = target.client("dynamodb").describe_table(TableName=target.table)["Table"][
        "LatestStreamArn"
    ]
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=1000)
            if not page["Records"]:
                break
            records += [lambda_shape(r, arn) for r in page["Records"]]
            iterator = page.get("NextShardIterator")
    return records


# --- search converges on the table -----------------------------------------------------


async def test_search_down_during_traffic_then_recovery_and_redrive(running, agreed, api):
    target = agreed
    room_id = await room(api)
    term = word()
    kept = await send(api, room_id, f"{term} before the outage")
    until(lambda: not check(target).drift, "the first message is indexed")

    set_fault(running, {"mode": "down"})
    during = [await send(api, room_id, f"{term} during the outage {n}") for n in range(5)]
    await edit(api, room_id, kept["messageId"], f"{term} edited during the outage")
    await change(api, "deleteMessage", room_id, during[0]["messageId"])
    until(lambda: parked_records(target) >= 7, "all seven outage writes are parked")

    set_fault(running, None)
    after = await send(api, room_id, f"{term} after the outage")
    await until_async(
        lambda: _contains(searched(api, term), after["messageId"]), "live indexing is back"
    )
    lost = check(target)
    assert len(lost.missing) == 4 and len(lost.stale) == 1, lost  # what the outage cost

    out = io.StringIO()
    report = redrive(target, out=out)
    assert report.status == 0, out.getvalue()
    assert report.replayed_records >= 7 and report.unreadable == []
    assert parked(target) == []
    converged(target)
    found = await searched(api, term)
    assert sorted(found) == sorted(
        [kept["messageId"], after["messageId"], *(m["messageId"] for m in during[1:])]
    )


async def test_per_item_bulk_failures_are_parked_and_redriven(running, agreed, api):
    target = agreed
    room_id = await room(api, members=("bob",))
    term = word()
    hit, spared = await send(api, room_id, f"{term} one"), await send(api, room_id, f"{term} two")
    until(lambda: not check(target).drift, "both messages are indexed")

    set_fault(running, {"mode": "items", "ids": [hit["messageId"]], "status": 429})
    await edit(api, room_id, hit["messageId"], f"{term} one, edited")
    await edit(api, room_id, spared["messageId"], f"{term} two, edited")
    until(lambda: parked_records(target) >= 1, "the failed item's record is parked")
    set_fault(running, None)
    stale = until(lambda: (r := check(target)).stale and r, "the failed edit shows as stale")
    assert [m for _, m, _, _ in stale.stale] == [hit["messageId"]] and stale.missing == []

    assert redrive(target, out=io.StringIO()).status == 0
    converged(target)


async def test_replayed_and_reordered_stream_records_converge(running, agreed, api):
    target = agreed
    room_id = await room(api, members=("bob",))
    term = word()
    first = await send(api, room_id, f"{term} first")
    second = await send(api, room_id, f"{term} second", user="bob")
    await edit(api, room_id, first["messageId"], f"{term} first, edited")
    await api.call(
        "bob", REACT, {"roomId": room_id, "messageId": first["messageId"], "emoji": "👍"}
    )
    await change(api, "pinMessage", room_id, first["messageId"])
    await change(api, "deleteMessage", room_id, second["messageId"])
    converged(target)

    records = [r for r in stream_records(target) if r["dynamodb"]["Keys"]["roomId"]["S"] == room_id]
    assert len(records) == 6
    client, shuffler = target.opensearch(), random.Random(1215)
    for _ in range(5):
        replay = records + shuffler.sample(records, k=4)
        shuffler.shuffle(replay)
        while replay:
            size = shuffler.randint(1, 4)
            batch, replay = replay[:size], replay[size:]
            unique = list({r["dynamodb"]["SequenceNumber"]: r for r in batch}.values())
            outcome = index_batch(client, target.index, unique)
            for record in unique:
                outcome.raise_for(DynamoDBRecord(record))  # conflicts are successes
        converged(target)
    assert await searched(api, "second") == []


async def test_an_edit_and_a_delete_racing_the_insert_never_resurrect(running, agreed, api):
    target = agreed
    room_id = await room(api)
    term = word()
    set_fault(running, {"mode": "error", "status": 503, "only": "bulk"})
    message = await send(api, room_id, f"{term} raced")
    until(lambda: parked_records(target) >= 1, "the insert is parked")
    set_fault(running, None)

    await edit(api, room_id, message["messageId"], f"{term} raced, edited")
    deleted = await change(api, "deleteMessage", room_id, message["messageId"])
    assert deleted["version"] == 3
    converged(target)  # the tombstone (version 3) arrived before the insert

    assert redrive(target, out=io.StringIO()).status == 0  # the insert, version 1, arrives last
    report = converged(target)
    assert report.resurrected == []
    assert await searched(api, term) == []


async def test_a_full_reindex_into_a_new_index_while_traffic_continues(
    running, agreed, api, tmp_path
):
    target = agreed
    room_id = await room(api)
    term = word()
    anchor = await send(api, room_id, f"{term} anchor")
    await until_async(lambda: _contains(searched(api, term), anchor["messageId"]), "anchor found")
    before = sorted(target.opensearch().indices.get_alias(name=target.index))

    stop = asyncio.Event()
    search_errors: list[Exception] = []

    async def traffic() -> int:
        count = 0
        while not stop.is_set():
            message = await send(api, room_id, f"{term} traffic {count}")
            if count % 3 == 1:
                await edit(api, room_id, message["messageId"], f"{term} traffic {count} edited")
            if count % 5 == 2:
                await change(api, "deleteMessage", room_id, message["messageId"])
            count += 1
        return count

    async def searching() -> None:
        while not stop.is_set():
            try:
                assert anchor["messageId"] in await searched(api, f"{term} anchor")
            except Exception as error:
                search_errors.append(error)
            await asyncio.sleep(0.05)

    workers = [asyncio.ensure_future(traffic()), asyncio.ensure_future(searching())]
    checkpoint = tmp_path / "reindex.json"
    result = await asyncio.to_thread(
        reindex,
        target,
        new_index=True,
        segments=3,
        rate=50,
        page_size=5,
        checkpoint_path=checkpoint,
        delete_old=True,
        out=io.StringIO(),
    )
    await send(api, room_id, f"{term} after the switch")
    stop.set()
    sent = await workers[0]
    await workers[1]

    assert result.failed == 0 and sent >= 1
    assert search_errors == []  # search answered throughout, the switch included
    after = sorted(target.opensearch().indices.get_alias(name=target.index))
    assert after == [result.index] and result.index not in before
    assert not checkpoint.exists()
    converged(target)


async def test_an_interrupted_reindex_resumes_from_its_checkpoint(running, agreed, api, tmp_path):
    target = agreed
    room_id = await room(api)
    for n in range(12):
        await send(api, room_id, f"resumable {n}")
    converged(target)
    checkpoint = tmp_path / "reindex.json"
    pages: list[int] = []

    def interrupt_after_two_pages(segment: int) -> None:
        pages.append(segment)
        if len(pages) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reindex(
            target,
            segments=1,
            page_size=4,
            checkpoint_path=checkpoint,
            out=io.StringIO(),
            on_page=interrupt_after_two_pages,
        )
    saved = json.loads(checkpoint.read_text())["progress"]["0"]
    assert saved["scanned"] == 8 and saved["next"] is not None

    out = io.StringIO()
    result = reindex(target, segments=1, page_size=4, checkpoint_path=checkpoint, out=out)
    assert "resuming from" in out.getvalue()
    assert result.scanned == sum(
        1 for _ in target.client("dynamodb").scan(TableName=target.table)["Items"]
    )
    assert not checkpoint.exists()
    converged(target)


def test_the_check_reports_drift_with_exit_status_1_and_a_new_index_repairs_it(
    running, agreed, api, capsys, tmp_path
):
    from searchops.check import main

    target = agreed
    room_id = asyncio.run(room(api))
    message = asyncio.run(send(api, room_id, "its document will be wrong"))
    converged(target)
    # A document from the future (as after restoring the table from a backup): a tombstone
    # with a version the table never reached hides the message and refuses every write.
    meta = {"_id": message["messageId"], "version": 99, "version_type": "external"}
    tombstone = {"messageId": message["messageId"], "roomId": room_id, "isDeleted": True}
    target.opensearch().bulk(
        body=[{"index": meta}, {**tombstone, "version": 99}], index=target.index
    )

    assert main(["--outputs", str(running.outputs_file)]) == 1
    printed = capsys.readouterr().out
    assert "1 differ" in printed and "1 stale" in printed and "DRIFT" in printed

    result = reindex(target, new_index=True, checkpoint_path=tmp_path / "c.json", out=io.StringIO())
    assert result.failed == 0
    converged(target)
    assert main(["--outputs", str(running.outputs_file)]) == 0


# --- clients catch up ------------------------------------------------------------------


async def room_state(api: Api, room_id: str) -> dict[str, dict[str, Any]]:
    """The room as listMessages (the base table) has it: every message, tombstones too."""
    state, token = {}, None
    while True:
        page = (await api.call("alice", LIST, {"roomId": room_id, "nextToken": token}))[
            "listMessages"
        ]
        state.update({m["messageId"]: m for m in page["items"]})
        token = page["nextToken"]
        if token is None:
            return state


async def test_a_client_that_drops_catches_up_to_exactly_the_rooms_state(running, api):
    room_id = await room(api, members=("bob",))
    outputs, users = running.outputs, api.users
    for n in range(3):
        await send(api, room_id, f"before the drop {n}")
    replica = RoomReplica(room_id)
    bob_http = http_client(outputs, users.token("bob"))
    async with bob_http as session:
        await replica.catch_up(session)
        assert len(replica.messages) == 3

        # Disconnected: alice sends, edits, deletes, reacts, pins.
        old = sorted(replica.messages)
        await send(api, room_id, "while bob was away")
        await edit(api, room_id, old[0], "edited while bob was away")
        await change(api, "deleteMessage", room_id, old[1])
        await api.call("alice", REACT, {"roomId": room_id, "messageId": old[2], "emoji": "🎉"})
        await change(api, "pinMessage", room_id, old[2])

        # Reconnect with the recipe: subscribe, catch up, catch up again once listening.
        async with realtime_client(outputs, users.token("bob")) as subscriber:
            added = subscriber.subscribe(ON_ADDED, variable_values={"roomId": room_id})
            updated = subscriber.subscribe(ON_UPDATED, variable_values={"roomId": room_id})
            next_added = asyncio.ensure_future(added.__anext__())
            next_updated = asyncio.ensure_future(updated.__anext__())
            await replica.catch_up(session)
            # gql does not surface start_ack: change the room until each subscription
            # delivers, which proves it listens, then catch up once more.
            while not next_updated.done():
                await edit(api, room_id, old[0], f"edited again {uuid.uuid4().hex[:6]}")
                await asyncio.wait({next_updated}, timeout=1.0)
            replica.apply(next_updated.result()["onMessageUpdated"])
            while not next_added.done():
                await send(api, room_id, "are you listening?")
                await asyncio.wait({next_added}, timeout=1.0)
            replica.apply(next_added.result()["onMessageAdded"])
            await replica.catch_up(session)
            live = await send(api, room_id, "sent while bob listens")
            event = await asyncio.wait_for(added.__anext__(), DEADLINE_SECONDS)
            replica.apply(event["onMessageAdded"])
            assert event["onMessageAdded"]["messageId"] == live["messageId"]
            await added.aclose()
            await updated.aclose()

    truth = await room_state(api, room_id)
    assert replica.messages == truth
    assert truth[old[1]]["isDeleted"] is True and truth[old[2]]["pinned"] is True


def test_pointers_the_stream_no_longer_holds_are_reported_and_handed_to_reindex(
    running, agreed, api
):
    target = agreed
    room_id = asyncio.run(room(api))
    asyncio.run(send(api, room_id, "indexed long ago"))
    converged(target)
    sqs = target.client("sqs")
    arn = target.client("dynamodb").describe_table(TableName=target.table)["Table"][
        "LatestStreamArn"
    ]
    # The stream of a table since deleted and recreated under another name: gone for good.
    gone = arn.replace(f"table/{target.table}/", f"table/{target.table}-before/")
    pointer = {
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": "arn:aws:lambda:eu-west-1:123456789012:function:chat-local-indexer",
            "condition": "RecordAgeExceeded",
            "approximateInvokeCount": 1,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
        "version": "1.0",
        "timestamp": "2026-11-30T10:00:00.000Z",
        "DDBStreamBatchInfo": {
            "shardId": "shardId-00000001541626099285-f35f62ef",
            "startSequenceNumber": "1100000000017454423009",
            "endSequenceNumber": "1100000000017454423010",
            "approximateArrivalOfFirstRecord": "2026-11-30T09:00:00Z",
            "approximateArrivalOfLastRecord": "2026-11-30T09:00:01Z",
            "batchSize": 2,
            "streamArn": gone,
        },
    }
    sqs.send_message(QueueUrl=target.failure_queue_url, MessageBody=json.dumps(pointer))
    sqs.send_message(QueueUrl=target.failure_queue_url, MessageBody='{"not": "a pointer"}')

    kept = redrive(target, reindex_unreadable=False, out=io.StringIO())
    assert kept.status == 1  # the malformed message is left and counted
    assert len(kept.unreadable) == 1 and kept.reindexed is None
    assert len(parked(target)) == 2  # both are visible again for the next run

    out = io.StringIO()
    handed = redrive(target, out=out)
    assert len(handed.unreadable) == 1 and handed.reindexed is not None
    assert "no longer in the stream" in out.getvalue() and "reindexing" in out.getvalue()
    assert [p.get("not") for p in parked(target)] == ["a pointer"]  # only the malformed one
    converged(target)
