"""Idle cost: CPU seconds per second an emulator uses while nothing happens.

    .venv/bin/python bench/idle_cpu.py [--seconds 30]

Starts its own `python -m emulator --port 0`, sends a message, opens a subscription that
stays connected and an HTTP keep-alive connection that stays open, waits 5 s for the
stream feeder to go quiet, then reads the process's user+system CPU time over
`--seconds` (from /proc) and prints CPU-s/s (target: at most 0.02). A message sent at the
end checks that stream delivery still works after the idle period: it prints how long
search took to find it.
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
from urllib.parse import urlsplit

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import cpu_seconds, id_token
from bench.request_latency import Caller

SEARCH = "query($q: String!) { searchMessages(query: $q) { total } }"


async def measure(outputs, pid: int, seconds: float) -> None:
    token, _ = id_token(outputs, "alice")
    caller = Caller(outputs["graphqlUrl"], token)
    room = caller.post(
        json.dumps(
            {"query": 'mutation { createRoom(input: {name: "idle", type: PUBLIC}) { roomId } }'}
        ).encode(),
        fresh=False,
    )["createRoom"]["roomId"]
    host = urlsplit(outputs["graphqlUrl"]).netloc
    auth = {"host": host, "Authorization": token}
    header = base64.b64encode(json.dumps(auth).encode()).decode()
    async with websockets.connect(
        f"{outputs['realtimeUrl']}?header={header}&payload=e30=", subprotocols=["graphql-ws"]
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        data = json.dumps(
            {
                "query": "subscription($r: ID!) { onMessageAdded(roomId: $r) { messageId } }",
                "variables": {"r": room},
            }
        )
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "start",
                    "payload": {"data": data, "extensions": {"authorization": auth}},
                }
            )
        )
        send = "mutation($i: SendMessageInput!) { sendMessage(input: $i) { messageId } }"
        body = json.dumps({"query": send, "variables": {"i": {"roomId": room, "content": "warm"}}})
        caller.post(body.encode(), fresh=False)
        await asyncio.sleep(5)
        before, started = cpu_seconds(pid), time.monotonic()
        await asyncio.sleep(seconds)
        used, elapsed = cpu_seconds(pid) - before, time.monotonic() - started
        print(f"idle CPU: {used / elapsed:.4f} CPU-s/s over {elapsed:.0f} s (target <= 0.02)")
        body = json.dumps(
            {"query": send, "variables": {"i": {"roomId": room, "content": "afteridle"}}}
        )
        sent = time.monotonic()
        caller.post(body.encode(), fresh=False)
        query = json.dumps({"query": SEARCH, "variables": {"q": "afteridle"}}).encode()
        while caller.post(query, fresh=False)["searchMessages"]["total"] < 1:
            if time.monotonic() - sent > 60:
                raise SystemExit("the message sent after the idle period was never indexed")
            await asyncio.sleep(0.01)
        print(
            f"after idling, a new message was searchable {1000 * (time.monotonic() - sent):.0f} ms"
            " after its send started"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    from emulator.launcher import start_emulator

    with tempfile.TemporaryDirectory() as workdir:
        running = start_emulator(Path(workdir))
        try:
            asyncio.run(measure(running.outputs, running.process.pid, args.seconds))
        finally:
            running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
