"""Emulator latency on loopback: sendMessage over HTTP, and delivery to 100 subscribers.

    .venv/bin/python bench/emulator_latency.py [--outputs .local/outputs.json]

Without `--outputs` it starts its own `python -m emulator --port 0` and stops it after.
Prints p50/p99 of (1) `sendMessage` round trips over HTTP, one client, sequential, and
(2) the time from sending a message to its `data` frame arriving, over every one of 100
WebSocket subscribers (separate connections). Loops are bounded; figures vary by machine.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import boto3
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.demo import DEMO_PASSWORD, login_name

SEND = """mutation($input: SendMessageInput!) {
  sendMessage(input: $input) { roomId messageId content authorId createdAt } }"""
SUBSCRIBE = """subscription($roomId: ID!) {
  onMessageAdded(roomId: $roomId) { roomId messageId content authorId createdAt } }"""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(
        f"{label}: n={len(ms)} p50={percentile(ms, 0.5):.1f} ms p99={percentile(ms, 0.99):.1f} ms"
        f" mean={statistics.fmean(ms):.1f} ms"
    )


def token(outputs: dict[str, Any], user: str) -> str:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    result = cognito.initiate_auth(
        ClientId=outputs["userPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": login_name(user), "PASSWORD": DEMO_PASSWORD},
    )
    return result["AuthenticationResult"]["IdToken"]


async def graphql(http: aiohttp.ClientSession, url: str, jwt: str, query: str, variables: dict):
    async with http.post(
        url, json={"query": query, "variables": variables}, headers={"Authorization": jwt}
    ) as reply:
        body = await reply.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


async def subscriber(outputs, jwt, room_id, ready: asyncio.Event, arrivals: dict, count: int):
    host = urlsplit(outputs["graphqlUrl"]).netloc
    header = base64.b64encode(json.dumps({"host": host, "Authorization": jwt}).encode()).decode()
    url = f"{outputs['realtimeUrl']}?header={header}&payload=e30="
    async with websockets.connect(url, subprotocols=["graphql-ws"], max_queue=None) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        data = json.dumps({"query": SUBSCRIBE, "variables": {"roomId": room_id}})
        auth = {"host": host, "Authorization": jwt}
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "start",
                    "payload": {"data": data, "extensions": {"authorization": auth}},
                }
            )
        )
        received = 0
        while received < count:
            frame = json.loads(await ws.recv())
            if frame["type"] == "start_ack":
                ready.set()
            elif frame["type"] == "data":
                message_id = frame["payload"]["data"]["onMessageAdded"]["messageId"]
                arrivals.setdefault(message_id, []).append(time.perf_counter())
                received += 1
            elif frame["type"] in ("error", "connection_error"):
                raise RuntimeError(frame)


async def run(outputs: dict[str, Any], sends: int, subscribers: int, fanout_messages: int) -> None:
    url = outputs["graphqlUrl"]
    alice = token(outputs, "alice")
    async with aiohttp.ClientSession() as http:
        room = await graphql(
            http,
            url,
            alice,
            'mutation { createRoom(input: {name: "bench", type: PUBLIC}) { roomId } }',
            {},
        )
        room_id = room["createRoom"]["roomId"]
        variables = {"input": {"roomId": room_id, "content": "warm-up"}}
        for _ in range(5):
            await graphql(http, url, alice, SEND, variables)
        latencies = []
        for n in range(sends):
            variables = {"input": {"roomId": room_id, "content": f"bench message {n}"}}
            started = time.perf_counter()
            await graphql(http, url, alice, SEND, variables)
            latencies.append(time.perf_counter() - started)
        report("sendMessage over HTTP", latencies)

        readies = [asyncio.Event() for _ in range(subscribers)]
        arrivals: dict[str, list[float]] = {}
        tasks = [
            asyncio.create_task(
                subscriber(outputs, alice, room_id, ready, arrivals, fanout_messages)
            )
            for ready in readies
        ]
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), timeout=120)
        sent_at: dict[str, float] = {}
        for n in range(fanout_messages):
            variables = {"input": {"roomId": room_id, "content": f"fan-out {n}"}}
            started = time.perf_counter()
            reply = await graphql(http, url, alice, SEND, variables)
            sent_at[reply["sendMessage"]["messageId"]] = started
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=300)
        deliveries = [
            arrival - sent_at[message_id]
            for message_id, times in arrivals.items()
            for arrival in times
        ]
        report(f"delivery to {subscribers} WebSocket subscribers", deliveries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, help="outputs of a running emulator")
    parser.add_argument("--sends", type=int, default=200)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--fanout-messages", type=int, default=20)
    args = parser.parse_args()
    if args.outputs:
        outputs = json.loads(args.outputs.read_text())
        asyncio.run(run(outputs, args.sends, args.subscribers, args.fanout_messages))
        return 0
    from emulator.launcher import start_emulator

    with tempfile.TemporaryDirectory() as workdir:
        running = start_emulator(Path(workdir))
        try:
            asyncio.run(run(running.outputs, args.sends, args.subscribers, args.fanout_messages))
        finally:
            running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
