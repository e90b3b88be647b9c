"""This emulator side by side with AWS Amplify's local AppSync simulator, on the same work.

    .venv/bin/python bench/vs_amplify_simulator.py [--requests 300] [--warmup 30]

Starts `python -m emulator --port 0` and Amplify's simulator
(`@aws-amplify/amplify-appsync-simulator`, what `amplify mock api` runs; pinned in
`bench/amplify_simulator/package-lock.json`, installed there with `npm ci` on first use).
Both serve this repository's `schema.graphql`; the simulator gets one DynamoDB data source
on the emulator's moto endpoint (`awsEndpoint`) and the presence table, so both sides read
and write the very same table over the same HTTP path to moto.

Three operations, the same GraphQL documents and the same `Authorization` header (an ID
token the emulator issues to alice) on both sides:

- trivial query: `{ __typename }` (no resolver);
- one write: `updatePresence`, the project's own request and response templates on both
  sides (the emulator runs them as its unit resolver; the simulator gets copies);
- one read: `getPresence(userIds: [alice])`, on the emulator its BatchGetItem resolver with
  one key, on the simulator a GetItem resolver with the same expiry rule (the simulator
  implements no BatchGetItem).

Fairness: one aiohttp client session, one kept-alive connection per server (the number of
connections each side needed is printed and must be 1), warm-up requests first, then
`--requests` rounds in which every operation runs once on each side, the side that goes
first alternating per round, so machine load lands on both alike. Every response is
checked (no errors, the expected data) before it counts, and before timing a write on
each side is read back through the other, which proves both use the same table.

What differs by design and belongs to each side's cost: the emulator verifies the JWT
(signature against the pool's JWKS, issuer, audience, expiry) as AppSync does; the
simulator only decodes it. The figures are p50/p99 latencies in ms and the emulator /
simulator ratio, measured within this one run (the machine is shared: compare ratios).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import boto3
from yarl import URL

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator.demo import DEMO_PASSWORD, sign_in

REPO = Path(__file__).resolve().parent.parent
SIMULATOR_DIR = REPO / "bench" / "amplify_simulator"
SIMULATOR_PACKAGE = "@aws-amplify/amplify-appsync-simulator"
START_TIMEOUT_SECONDS = 120
REQUEST_TIMEOUT_SECONDS = 60

TRIVIAL = "{ __typename }"
WRITE = """mutation($status: PresenceStatus!) {
  updatePresence(status: $status, customStatus: "bench") { userId status customStatus lastSeen }
}"""
READ = """query($ids: [ID!]!) {
  getPresence(userIds: $ids) { userId status customStatus lastSeen }
}"""

SIMULATOR_GET_PRESENCE_REQUEST = """
## No BatchGetItem in the simulator: one GetItem for the one id read.
#if($ctx.args.userIds.size() != 1)
  $util.error("this resolver reads exactly one id", "ValidationError")
#end
{
  "version": "2018-05-29",
  "operation": "GetItem",
  "key": {
    "userId": $util.dynamodb.toDynamoDBJson($ctx.args.userIds[0])
  },
  "consistentRead": false
}
"""
SIMULATOR_GET_PRESENCE_RESPONSE = """
## As vtl/presence/Query.getPresence.response.vtl does, for one item.
#if($ctx.error)
  $util.error($ctx.error.message, $ctx.error.type)
#end
#if($util.isNull($ctx.result))
  []
#else
  #set($item = $ctx.result)
  #if($item.expiresAt < $util.time.nowEpochSeconds())
    $util.qr($item.put("status", "OFFLINE"))
  #end
  [$util.toJson($item)]
#end
"""


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def simulator_config(outputs: dict[str, Any]) -> dict[str, Any]:
    """The simulator's configuration, shaped as `amplify mock api` builds it."""
    templates = {
        "Mutation.updatePresence.req.vtl": (
            REPO / "vtl/presence/Mutation.updatePresence.request.vtl"
        ).read_text(),
        "Mutation.updatePresence.res.vtl": (
            REPO / "vtl/presence/Mutation.updatePresence.response.vtl"
        ).read_text(),
        "Query.getPresence.req.vtl": SIMULATOR_GET_PRESENCE_REQUEST,
        "Query.getPresence.res.vtl": SIMULATOR_GET_PRESENCE_RESPONSE,
    }

    def unit(type_name: str, field_name: str) -> dict[str, Any]:
        return {
            "kind": "UNIT",
            "typeName": type_name,
            "fieldName": field_name,
            "dataSourceName": "presence",
            "requestMappingTemplateLocation": f"{type_name}.{field_name}.req.vtl",
            "responseMappingTemplateLocation": f"{type_name}.{field_name}.res.vtl",
        }

    return {
        "schema": {"path": "schema.graphql", "content": (REPO / "schema.graphql").read_text()},
        "appSync": {
            "name": "realtime-chat-bench",
            "defaultAuthenticationType": {
                "authenticationType": "AMAZON_COGNITO_USER_POOLS",
                "cognitoUserPoolConfig": {},
            },
            "additionalAuthenticationProviders": [],
        },
        "dataSources": [
            {
                "type": "AMAZON_DYNAMODB",
                "name": "presence",
                "config": {
                    "endpoint": outputs["awsEndpoint"],
                    "region": outputs["region"],
                    "accessKeyId": "bench",
                    "secretAccessKey": "bench",
                    # The loader spreads `config` into AWS SDK v3's DynamoDBClient options.
                    "credentials": {"accessKeyId": "bench", "secretAccessKey": "bench"},
                    "tableName": outputs["presenceTableName"],
                },
            }
        ],
        "mappingTemplates": [{"path": p, "content": c} for p, c in templates.items()],
        "resolvers": [unit("Mutation", "updatePresence"), unit("Query", "getPresence")],
    }


@dataclass
class Simulator:
    process: subprocess.Popen[bytes]
    graphql_url: str
    log_file: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def ensure_simulator_installed() -> str:
    """Installs the locked npm packages on first use; returns the simulator's version."""
    manifest = SIMULATOR_DIR / "node_modules" / SIMULATOR_PACKAGE / "package.json"
    if not manifest.exists():
        print(f"installing {SIMULATOR_PACKAGE} from the lockfile (npm ci, about a minute)...")
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SIMULATOR_DIR,
            check=True,
        )
    return json.loads(manifest.read_text())["version"]


def start_simulator(workdir: Path, outputs: dict[str, Any]) -> Simulator:
    config_file = workdir / "simulator-config.json"
    ready_file = workdir / "simulator-ready.json"
    log_file = workdir / "simulator.log"
    config_file.write_text(json.dumps(simulator_config(outputs)))
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            ["node", str(SIMULATOR_DIR / "simulator.js"), str(config_file), str(ready_file)],
            cwd=SIMULATOR_DIR,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while not ready_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"Amplify's simulator did not start:\n{log_file.read_text()}")
        time.sleep(0.1)
    time.sleep(0.05)
    return Simulator(process, json.loads(ready_file.read_text())["graphqlUrl"], log_file)


def id_token(outputs: dict[str, Any], user: str) -> str:
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    return sign_in(cognito, outputs["userPoolClientId"], user, DEMO_PASSWORD)["IdToken"]


@dataclass
class Side:
    name: str
    url: str
    connections: int = 0
    samples: dict[str, list[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    label: str
    query: str
    variables: dict[str, Any]
    check: Any


class Bench:
    def __init__(self, http: aiohttp.ClientSession, jwt: str, sub: str) -> None:
        self.http = http
        self.jwt = jwt
        self.sub = sub

    async def call(self, side: Side, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        async with self.http.post(
            side.url,
            json={"query": query, "variables": variables},
            headers={"Authorization": self.jwt},
        ) as reply:
            raw = await reply.read()
        body = json.loads(raw)
        if reply.status != 200 or body.get("errors") or not body.get("data"):
            raise RuntimeError(f"{side.name} answered {reply.status}: {raw[:500]!r}")
        return body["data"]

    async def timed(self, side: Side, operation: Operation) -> float:
        started = time.perf_counter()
        data = await self.call(side, operation.query, operation.variables)
        elapsed = time.perf_counter() - started
        if not operation.check(data):
            raise RuntimeError(f"{side.name} gave unexpected data for {operation.label}: {data}")
        return elapsed


def operations(sub: str) -> list[Operation]:
    def wrote(data: dict[str, Any]) -> bool:
        presence = data.get("updatePresence") or {}
        return presence.get("userId") == sub and presence.get("status") == "ONLINE"

    def read(data: dict[str, Any]) -> bool:
        found = data.get("getPresence") or []
        return len(found) == 1 and found[0]["userId"] == sub and found[0]["status"] == "ONLINE"

    return [
        Operation("{ __typename }", TRIVIAL, {}, lambda d: d == {"__typename": "Query"}),
        Operation("one write (updatePresence)", WRITE, {"status": "ONLINE"}, wrote),
        Operation("one read (getPresence)", READ, {"ids": [sub]}, read),
    ]


async def cross_check(bench: Bench, writer: Side, reader: Side, status: str) -> None:
    """A write on one side is what the other side reads: both use the same table."""
    await bench.call(writer, WRITE, {"status": status})
    found = (await bench.call(reader, READ, {"ids": [bench.sub]}))["getPresence"]
    if [item["status"] for item in found] != [status]:
        raise RuntimeError(f"{reader.name} read {found} after {writer.name} wrote {status}")


async def run(emulator_url: str, simulator_url: str, jwt: str, sub: str, args: Any) -> list:
    sides = [Side("emulator", emulator_url), Side("simulator", simulator_url)]
    by_port = {URL(side.url).port: side for side in sides}
    trace = aiohttp.TraceConfig()

    async def on_request_start(_session: Any, context: Any, params: Any) -> None:
        context.port = params.url.port

    async def on_created(_session: Any, context: Any, _params: Any) -> None:
        by_port[context.port].connections += 1

    trace.on_request_start.append(on_request_start)
    trace.on_connection_create_end.append(on_created)
    connector = aiohttp.TCPConnector(limit_per_host=1, keepalive_timeout=300)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, trace_configs=[trace]
    ) as http:
        bench = Bench(http, jwt, sub)
        await cross_check(bench, sides[1], sides[0], "BUSY")
        await cross_check(bench, sides[0], sides[1], "AWAY")
        ops = operations(sub)
        for _ in range(args.warmup):
            for operation in ops:
                for side in sides:
                    await bench.timed(side, operation)
        for round_number in range(args.requests):
            order = sides if round_number % 2 == 0 else sides[::-1]
            for operation in ops:
                for side in order:
                    elapsed = await bench.timed(side, operation)
                    side.samples.setdefault(operation.label, []).append(elapsed * 1000)
    return [(operation.label, sides) for operation in ops]


def report(results: list, requests: int, simulator_version: str) -> None:
    emulator, simulator = results[0][1]
    print(
        f"\nthis emulator vs {SIMULATOR_PACKAGE} {simulator_version} (node {node_version()}),"
        f" {requests} requests per operation and side, interleaved, one keep-alive client"
        f" (connections opened: emulator {emulator.connections},"
        f" simulator {simulator.connections})\n"
    )
    header = (
        f"{'operation':<30} {'emulator p50':>12} {'p99':>8} {'simulator p50':>14} {'p99':>8}"
        f" {'ratio p50':>10} {'ratio p99':>10}"
    )
    print(header)
    print("-" * len(header))
    for label, (emu, sim) in results:
        e, s = emu.samples[label], sim.samples[label]
        e50, e99, s50, s99 = (
            percentile(e, 0.5),
            percentile(e, 0.99),
            percentile(s, 0.5),
            percentile(s, 0.99),
        )
        print(
            f"{label:<30} {e50:>9.1f} ms {e99:>5.1f} ms {s50:>11.1f} ms {s99:>5.1f} ms"
            f" {e50 / s50:>9.2f}x {e99 / s99:>9.2f}x"
        )
    print("\nratio = emulator / simulator p50 (or p99); below 1 the emulator is faster")
    if emulator.connections != 1 or simulator.connections != 1:
        raise RuntimeError("a side needed more than one connection: keep-alive was not kept")


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed rounds per operation")
    parser.add_argument("--warmup", type=int, default=30, help="untimed rounds first")
    args = parser.parse_args()
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup at least 0")
    if shutil.which("node") is None or shutil.which("npm") is None:
        print("vs_amplify_simulator: node and npm are needed for Amplify's simulator; skipped")
        return 2
    simulator_version = ensure_simulator_installed()

    from emulator.launcher import start_emulator

    with tempfile.TemporaryDirectory() as workdir:
        running = start_emulator(Path(workdir) / "emulator")
        simulator = None
        try:
            outputs = running.outputs
            simulator = start_simulator(Path(workdir), outputs)
            jwt = id_token(outputs, "alice")
            sub = json.loads(_jwt_payload(jwt))["sub"]
            results = asyncio.run(run(outputs["graphqlUrl"], simulator.graphql_url, jwt, sub, args))
            report(results, args.requests, simulator_version)
        except Exception:
            if simulator is not None:
                print(f"simulator log:\n{simulator.log_file.read_text()[-4000:]}", file=sys.stderr)
            raise
        finally:
            if simulator is not None:
                simulator.stop()
            running.stop()
    return 0


def _jwt_payload(jwt: str) -> str:
    import base64

    payload = jwt.split(".")[1]
    return base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
