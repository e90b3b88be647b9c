"""Sequential request latency over HTTP: keep-alive vs a new connection per request.

    .venv/bin/python bench/request_latency.py [--outputs .local/outputs.json] [--requests 300]

Without `--outputs` it starts its own `python -m emulator --port 0` and stops it after.
For each operation (`{ __typename }`, a one-read query `getPresence`, a one-write mutation
`updatePresence`, and `sendMessage` on an empty room) it sends `--requests` requests one
after another, interleaving a keep-alive connection (one `http.client` connection reused)
with a fresh connection per request, and prints p50/p99 of each and the ratio
keep-alive p50 / fresh p50. Nagle's algorithm with delayed ACKs shows up as a ratio far
above 1 (a ~40 ms stall on every keep-alive request); without it the ratio is at most ~1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bus_pending, id_token, percentile

OPERATIONS = {
    "{ __typename }": ("{ __typename }", {}),
    "getPresence (one read)": (
        "query($u: [ID!]!) { getPresence(userIds: $u) { userId status lastSeen } }",
        {"u": ["__SELF__"]},
    ),
    "updatePresence (one write)": (
        "mutation { updatePresence(status: ONLINE) { userId status lastSeen } }",
        {},
    ),
    "sendMessage": (
        "mutation($i: SendMessageInput!) { sendMessage(input: $i) { messageId createdAt } }",
        {"i": {"roomId": "__ROOM__", "content": "latency"}},
    ),
}


class Caller:
    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.path = parts.hostname, parts.port, parts.path
        self.token = token
        self.kept = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def post(self, body: bytes, fresh: bool) -> dict[str, Any]:
        connection = (
            http.client.HTTPConnection(self.host, self.port, timeout=30) if fresh else self.kept
        )
        headers = {"Content-Type": "application/json", "Authorization": self.token}
        if fresh:
            headers["Connection"] = "close"
        try:
            connection.request("POST", self.path, body, headers)
            raw = connection.getresponse().read()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            if fresh:
                raise
            # The server closed the idle keep-alive connection (75 s): open a new one.
            connection.close()
            connection.request("POST", self.path, body, headers)
            raw = connection.getresponse().read()
        reply = json.loads(raw)
        if fresh:
            connection.close()
        if reply.get("errors"):
            raise RuntimeError(reply["errors"])
        return reply["data"]


def run(outputs: dict[str, Any], requests: int) -> dict[str, dict[str, float]]:
    token, sub = id_token(outputs, "alice")
    caller = Caller(outputs["graphqlUrl"], token)
    room = caller.post(
        json.dumps(
            {"query": 'mutation { createRoom(input: {name: "latency", type: PUBLIC}) { roomId } }'}
        ).encode(),
        fresh=False,
    )["createRoom"]["roomId"]
    figures: dict[str, dict[str, float]] = {}
    for label, (query, variables) in OPERATIONS.items():
        text = json.dumps(variables).replace("__SELF__", sub).replace("__ROOM__", room)
        body = json.dumps({"query": query, "variables": json.loads(text)}).encode()
        for _ in range(5):
            caller.post(body, fresh=False)
            caller.post(body, fresh=True)
        samples: dict[bool, list[float]] = {False: [], True: []}
        for n in range(requests * 2):
            fresh = bool(n % 2)
            started = time.perf_counter()
            caller.post(body, fresh)
            samples[fresh].append((time.perf_counter() - started) * 1000)
        kept, new = samples[False], samples[True]
        figures[label] = {
            "keepalive_p50": percentile(kept, 0.5),
            "keepalive_p99": percentile(kept, 0.99),
            "fresh_p50": percentile(new, 0.5),
            "fresh_p99": percentile(new, 0.99),
        }
        figure = figures[label]
        print(
            f"{label:28s} keep-alive p50 {figure['keepalive_p50']:6.1f} ms"
            f" p99 {figure['keepalive_p99']:6.1f} ms | new connection p50"
            f" {figure['fresh_p50']:6.1f} ms p99 {figure['fresh_p99']:6.1f} ms |"
            f" ratio {figure['keepalive_p50'] / figure['fresh_p50']:.2f}",
            flush=True,
        )
    # API requests go first (emulator/foreground.py): say what the sends left behind.
    started, backlog = time.perf_counter(), bus_pending(outputs)
    while bus_pending(outputs):
        time.sleep(0.05)
    print(
        f"after the sends: {backlog} bus deliveries pending, delivered"
        f" {time.perf_counter() - started:.1f} s later"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outputs", type=Path, help="outputs of a running emulator")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    if args.outputs:
        run(json.loads(args.outputs.read_text()), args.requests)
        return 0
    from emulator.launcher import start_emulator

    with tempfile.TemporaryDirectory() as workdir:
        running = start_emulator(Path(workdir))
        try:
            run(running.outputs, args.requests)
        finally:
            running.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
