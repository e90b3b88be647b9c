"""Request cost and memory at volume: sendMessage p50 and RSS, empty vs 100,000 messages.

    .venv/bin/python bench/volume.py [--messages 100000] [--rooms 100] [--sends 200]

Starts its own `python -m emulator --port 0`, creates `--rooms` rooms through the API and
measures `--sends` sequential sendMessage calls over HTTP (one keep-alive connection,
round-robin over the rooms) on the nearly empty emulator. Then it stores `--messages`
messages spread evenly over the rooms through the fastest honest path: BatchWriteItem
against the emulator's `awsEndpoint` (25 items a call, 4 writers), items shaped exactly
like the ones sendMessage writes, with each room's messageCount set to match. The
messages stream feeds every one of them to the indexer and, through the messages Pipe and
the bus, to the moderation and notifier Lambdas, as it would in AWS. The bench waits until
that background work is done (the search stand-in holds every message and the bus has no
delivery pending, as the empty emulator had none), then measures the same sends again and
prints both p50s, their ratio, and the emulator's RSS (VmRSS) before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from ulid import ULID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bus_pending, id_token, percentile, rss_mb
from bench.request_latency import Caller

SEND = "mutation($i: SendMessageInput!) { sendMessage(input: $i) { messageId createdAt } }"
CREATE = "mutation($n: String!) { createRoom(input: {name: $n, type: PUBLIC}) { roomId } }"


def sends(caller: Caller, rooms: list[str], count: int, label: str) -> float:
    samples = []
    for n in range(count + 10):
        body = json.dumps(
            {
                "query": SEND,
                "variables": {"i": {"roomId": rooms[n % len(rooms)], "content": f"{label} {n}"}},
            }
        ).encode()
        started = time.perf_counter()
        caller.post(body, fresh=False)
        if n >= 10:
            samples.append((time.perf_counter() - started) * 1000)
    p50 = percentile(samples, 0.5)
    print(
        f"  sendMessage ({label}): n={count} p50 {p50:.1f} ms"
        f" p99 {percentile(samples, 0.99):.1f} ms",
        flush=True,
    )
    return p50


def message_item(room: str, author: str, seq: int) -> dict[str, Any]:
    return {
        "roomId": {"S": room},
        "messageId": {"S": str(ULID())},
        "authorId": {"S": author},
        "content": {"S": f"stored message {seq} of the bench, a sentence of ordinary length"},
        "type": {"S": "TEXT"},
        "createdAt": {"S": "2026-12-01T12:00:00.000Z"},
        "seq": {"N": str(seq)},
        "isEdited": {"BOOL": False},
        "isDeleted": {"BOOL": False},
        "pinned": {"BOOL": False},
        "reactions": {"M": {}},
    }


def load(outputs: dict[str, Any], rooms: list[str], author: str, total: int) -> float:
    client = boto3.client(
        "dynamodb",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
        config=Config(retries={"max_attempts": 10}, max_pool_connections=8),
    )
    table = outputs["messagesTableName"]
    per_room = total // len(rooms)
    started = time.perf_counter()

    def one_room(room: str) -> None:
        items = [message_item(room, author, seq) for seq in range(1, per_room + 1)]
        for start in range(0, len(items), 25):
            pending = {table: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
            while pending:
                pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems")
        client.update_item(
            TableName=outputs["roomsTableName"],
            Key={"roomId": {"S": room}},
            UpdateExpression="SET messageCount = :n",
            ExpressionAttributeValues={":n": {"N": str(per_room)}},
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(one_room, rooms))
    return time.perf_counter() - started


def indexed(outputs: dict[str, Any]) -> int:
    request = urllib.request.Request(
        f"{outputs['searchEndpoint']}/messages/_search",
        data=json.dumps({"query": {"match_all": {}}, "size": 0, "track_total_hits": True}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        total = json.loads(reply.read())["hits"]["total"]
    return total["value"] if isinstance(total, dict) else int(total)


def run(outputs: dict[str, Any], pid: int, messages: int, room_count: int, count: int) -> None:
    token, sub = id_token(outputs, "alice")
    caller = Caller(outputs["graphqlUrl"], token)
    rooms = [
        caller.post(
            json.dumps({"query": CREATE, "variables": {"n": f"volume {n}"}}).encode(), fresh=False
        )["createRoom"]["roomId"]
        for n in range(room_count)
    ]
    print(f"emulator pid {pid}, {room_count} rooms", flush=True)
    empty = sends(caller, rooms, count, "empty")
    rss_empty = rss_mb(pid)
    seconds = load(outputs, rooms, sub, messages)
    print(
        f"  stored {messages} messages in {seconds:.0f} s (BatchWriteItem);"
        f" {bus_pending(outputs)} bus deliveries pending",
        flush=True,
    )
    expected = messages + count + 10
    started = time.monotonic()
    deadline = started + 3600
    while (done := indexed(outputs)) < expected and time.monotonic() < deadline:
        time.sleep(2)
    print(f"  search stand-in holds {done} documents after {time.monotonic() - started:.0f} s")
    while (pending := bus_pending(outputs)) and time.monotonic() < deadline:
        time.sleep(2)
    print(
        f"  bus: {pending} deliveries pending after {time.monotonic() - started:.0f} s", flush=True
    )
    full = sends(caller, rooms, count, f"after {messages}")
    rss_full = rss_mb(pid)
    print(f"sendMessage p50 ratio (after {messages} / empty): {full / empty:.2f} (target <= 1.2)")
    print(f"emulator RSS: {rss_empty:.0f} MB empty, {rss_full:.0f} MB after {messages} messages")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--rooms", type=int, default=100)
    parser.add_argument("--sends", type=int, default=200)
    args = parser.parse_args()
    from emulator.launcher import start_emulator

    with tempfile.TemporaryDirectory() as workdir:
        running = start_emulator(Path(workdir))
        try:
            run(running.outputs, running.process.pid, args.messages, args.rooms, args.sends)
        finally:
            running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
