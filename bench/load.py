"""Concurrent mixed load: 400 requests from 50 clients at once, all answered, none late.

    .venv/bin/python bench/load.py [--outputs .local/outputs.json] [--clients 50] [--requests 400]

Without `--outputs` it starts its own `python -m emulator --port 0`. Each of `--clients`
clients has its own HTTP connection pool (aiohttp) and fires its share of `--requests`
at once: sendMessage, listMessages and getRoom over HTTP, and subscriptions started over
their own WebSocket (connect, connection_init, start, until start_ack). Every request has
a 60 s client timeout. Prints errors, client timeouts, throughput (requests per second
from the first request to the last answer) and p50/p99 latency per kind and overall.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import id_token, percentile

CLIENT_TIMEOUT_SECONDS = 60
SEND = "mutation($i: SendMessageInput!) { sendMessage(input: $i) { messageId } }"
LIST = "query($r: ID!) { listMessages(roomId: $r, limit: 20) { items { messageId } nextToken } }"
GET = "query($r: ID!) { getRoom(roomId: $r) { roomId name memberCount } }"
SUBSCRIBE = "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId } }"
KINDS = ("sendMessage", "listMessages", "getRoom", "subscribe")


async def graphql(http: aiohttp.ClientSession, url: str, token: str, query: str, variables: dict):
    async with http.post(
        url, json={"query": query, "variables": variables}, headers={"Authorization": token}
    ) as reply:
        body = await reply.json()
    if reply.status != 200 or body.get("errors"):
        raise RuntimeError(f"HTTP {reply.status}: {body.get('errors')}")
    return body["data"]


async def subscribe(outputs: dict[str, Any], token: str, room: str) -> None:
    host = urlsplit(outputs["graphqlUrl"]).netloc
    auth = {"host": host, "Authorization": token}
    header = base64.b64encode(json.dumps(auth).encode()).decode()
    url = f"{outputs['realtimeUrl']}?header={header}&payload=e30="
    async with websockets.connect(url, subprotocols=["graphql-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        data = json.dumps({"query": SUBSCRIBE, "variables": {"r": room}})
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "start",
                    "payload": {"data": data, "extensions": {"authorization": auth}},
                }
            )
        )
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "start_ack":
                return
            if frame["type"] in ("error", "connection_error"):
                raise RuntimeError(frame)


async def one(kind: str, outputs, http, token, room, n) -> None:
    url = outputs["graphqlUrl"]
    if kind == "sendMessage":
        await graphql(http, url, token, SEND, {"i": {"roomId": room, "content": f"load {n}"}})
    elif kind == "listMessages":
        await graphql(http, url, token, LIST, {"r": room})
    elif kind == "getRoom":
        await graphql(http, url, token, GET, {"r": room})
    else:
        await subscribe(outputs, token, room)


async def run(outputs: dict[str, Any], clients: int, requests: int) -> dict[str, Any]:
    token, _ = id_token(outputs, "alice")
    async with aiohttp.ClientSession() as setup:
        rooms = [
            (
                await graphql(
                    setup,
                    outputs["graphqlUrl"],
                    token,
                    "mutation($n: String!) { createRoom(input: {name: $n, type: PUBLIC})"
                    " { roomId } }",
                    {"n": f"load {n}"},
                )
            )["createRoom"]["roomId"]
            for n in range(10)
        ]
    latencies: dict[str, list[float]] = {kind: [] for kind in KINDS}
    errors: list[str] = []
    timeouts = 0

    async def client(index: int, share: int, start: asyncio.Event) -> None:
        nonlocal timeouts
        timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            await start.wait()

            async def timed(n: int) -> None:
                nonlocal timeouts
                kind = KINDS[(index + n) % len(KINDS)]
                room = rooms[(index + n) % len(rooms)]
                began = time.perf_counter()
                try:
                    await asyncio.wait_for(
                        one(kind, outputs, http, token, room, n), CLIENT_TIMEOUT_SECONDS
                    )
                except TimeoutError:
                    timeouts += 1
                except Exception as error:
                    errors.append(f"{kind}: {error}")
                else:
                    latencies[kind].append((time.perf_counter() - began) * 1000)

            await asyncio.gather(*(timed(n) for n in range(share)))

    start = asyncio.Event()
    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    tasks = [asyncio.ensure_future(client(i, s, start)) for i, s in enumerate(shares)]
    await asyncio.sleep(0.5)  # every client session is open before the burst
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    every = [x for kind in KINDS for x in latencies[kind]]
    print(f"{requests} requests from {clients} clients in {elapsed:.1f} s:")
    print(f"  errors {len(errors)}, client timeouts {timeouts}")
    for message in errors[:5]:
        print(f"    {message[:200]}")
    print(f"  throughput {len(every) / elapsed:.0f} requests/s")
    for kind in KINDS:
        samples = latencies[kind]
        if samples:
            print(
                f"  {kind:13s} n={len(samples):3d} p50 {percentile(samples, 0.5):7.0f}"
                f" ms p99 {percentile(samples, 0.99):7.0f} ms min {min(samples):6.0f} ms"
            )
    print(
        f"  {'all':13s} n={len(every):3d} p50 {percentile(every, 0.5):7.0f} ms"
        f" p99 {percentile(every, 0.99):7.0f} ms"
    )
    return {"errors": len(errors), "timeouts": timeouts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, help="outputs of a running emulator")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    if args.outputs:
        result = asyncio.run(run(json.loads(args.outputs.read_text()), args.clients, args.requests))
    else:
        from emulator.launcher import start_emulator

        with tempfile.TemporaryDirectory() as workdir:
            running = start_emulator(Path(workdir))
            try:
                result = asyncio.run(run(running.outputs, args.clients, args.requests))
            finally:
                running.stop()
    return 1 if result["errors"] or result["timeouts"] else 0


if __name__ == "__main__":
    sys.exit(main())
