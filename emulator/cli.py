"""`python -m emulator`: the whole chat API on loopback (what `make local` runs).

Ports: GraphQL HTTP and the real-time WebSocket share `--port` (default 4000); the
emulated AWS endpoint (moto: DynamoDB, Streams, Cognito) listens on `--port + 1`, the
OpenSearch stand-in on `--port + 2`, and the same GraphQL app over TLS (HTTPS and WSS,
what Amplify JS and browsers need) plus the demo chat page on `--port + 3`. `--port 0`
picks free ports for all four.

Keys: the TLS CA (`tls/ca.pem`) and the Cognito signing key live in the key directory,
`--data-dir` when given, else the outputs file's folder (`.local/`), so both survive
restarts and a CA trusted once stays trusted.

Outputs: `--outputs-file` (default `.local/outputs.json`) gets, once everything is up,
the keys `pulumi stack output --json` gives for a deployed stack (graphqlUrl,
realtimeUrl, region, userPoolId, userPoolClientId, one `<table>TableName` per table,
searchEndpoint, searchIndex, indexerFailureQueueUrl, alarmTopicArn) plus `awsEndpoint`,
`graphqlHttpsUrl`, `realtimeWssUrl`, `caCertificateFile`, `amplifyConfigFile` (the
`Amplify.configure()` input, written beside the outputs file), `demoUrl` and the loopback
tools (`eventsUrl`, `pushSinkUrl`, `ttlUrl`: `emulator.local_routes`). The failure queues get
the stream Lambdas' given-up batches (`emulator.stream_failures`). `alarmTopicArn`
names an SNS topic that does not exist locally (nothing raises alarms offline).
`--malware-scanning` plays a stack with `uploads.malwareScanning` (`emulator.guardduty`).

`python -m emulator token alice` prints an ID token for a demo user (or any user,
with `--password`), read from the running emulator's outputs file.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_PORT = 4000
DEFAULT_OUTPUTS = Path(".local/outputs.json")
AMPLIFY_CONFIG_NAME = "amplify-config.json"
TLS_DIR_NAME = "tls"
LOCAL_PREFIX = "chat-local"
log = logging.getLogger("emulator")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description="Run the realtime-chat API offline: AppSync, Cognito, DynamoDB, search.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (loopback by default)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="GraphQL HTTP + WebSocket port; AWS endpoint +1, OpenSearch +2, HTTPS/WSS +3; "
        "0 = free ports",
    )
    parser.add_argument(
        "--data-dir", type=Path, help="keep tables, users and uploaded files here across restarts"
    )
    parser.add_argument("--opensearch-url", help="use this OpenSearch instead of the stand-in")
    parser.add_argument("--outputs-file", type=Path, default=DEFAULT_OUTPUTS)
    parser.add_argument("--keepalive-seconds", type=float, default=60.0, help="real-time 'ka'")
    parser.add_argument("--snapshot-seconds", type=float, default=30.0, help="with --data-dir")
    parser.add_argument("--no-demo-users", action="store_true", help="skip alice, bob, carol")
    parser.add_argument(
        "--malware-scanning",
        action="store_true",
        help="play a stack with uploads.malwareScanning: GuardDuty's stand-in scans uploads "
        "(EICAR is a threat) and only clean files become READY",
    )
    sub = parser.add_subparsers(dest="command")
    token = sub.add_parser("token", help="print an ID token for a user of the running emulator")
    token.add_argument("user", help="e-mail, or a demo user's short name (alice, bob, carol)")
    token.add_argument("--password", help="defaults to the demo password")
    token.add_argument("--access", action="store_true", help="print the access token instead")
    token.add_argument("--outputs-file", type=Path, default=DEFAULT_OUTPUTS, dest="token_outputs")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65532:
        parser.error(f"--port must be between 0 and 65532, got {args.port}")
    if args.keepalive_seconds <= 0 or args.snapshot_seconds <= 0:
        parser.error("--keepalive-seconds and --snapshot-seconds must be positive")
    return args


def stack_region() -> str:
    from stacksettings.settings import stack_config

    return str(stack_config("dev").get("aws:region") or "eu-west-1")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, so that port 0 resolves before anything is announced."""
    from emulator.sockets import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as error:
        raise SystemExit(f"cannot listen on {host}:{port}: {error.strerror}") from None


@dataclass
class Stack:
    """Everything started, and how to stop it again in reverse order."""

    outputs: dict[str, Any] = field(default_factory=dict)
    stoppers: list[Callable[[], None]] = field(default_factory=list)
    event_bus: Any = None
    expire_ttl: Callable[[float, Sequence[str] | None], dict[str, int]] | None = None
    """DynamoDB TTL's deletions as of an instant (`emulator.ttl.sweep`), for `/_emulator/ttl`."""

    def stop(self) -> None:
        while self.stoppers:
            stopper = self.stoppers.pop()
            try:
                stopper()
            except Exception:
                log.exception("error while stopping")


def graphql_url_of(graphql_sock: socket.socket) -> str:
    """The GraphQL endpoint served on the socket (the Lambdas that call the API use it)."""
    host, port = graphql_sock.getsockname()[:2]
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return f"http://{authority}/graphql"


def outputs_for(
    graphql_sock: socket.socket, backend: Any, search_url: str, prefix: str
) -> dict[str, Any]:
    import chatspec
    from chatspec.environment import SEARCH_INDEX
    from emulator.authentication import ACCOUNT_ID

    url = graphql_url_of(graphql_sock)
    outputs: dict[str, Any] = {
        "graphqlUrl": url,
        "realtimeUrl": "ws://" + url.removeprefix("http://"),
        "region": backend.region,
        "userPoolId": backend.user_pool_id,
        "userPoolClientId": backend.client_id,
    }
    for table in chatspec.TABLES:
        outputs[table.output_name] = backend.table_names[table.name]
    outputs["searchEndpoint"] = search_url
    outputs["searchIndex"] = SEARCH_INDEX
    outputs["alarmTopicArn"] = f"arn:aws:sns:{backend.region}:{ACCOUNT_ID}:{prefix}-alarms"
    outputs["uploadsBucketName"] = backend.uploads_bucket
    outputs["awsEndpoint"] = backend.endpoint
    return outputs


def build_engine(backend: Any, handlers: dict[str, Any]) -> Any:
    """The in-process AppSync over the deployed schema, moto's DynamoDB and the Lambdas."""
    import chatspec
    from emulator.core import AppSyncEngine
    from emulator.core.limits import ApiLimits
    from stacksettings.settings import load_settings

    schema = Path(chatspec.__file__).resolve().parent.parent / "schema.graphql"
    return AppSyncEngine(
        schema.read_text(),
        backend.local_client("dynamodb"),
        backend.table_names,
        handlers,
        limits=ApiLimits.from_settings(load_settings("dev")),
    )


def key_directory(args: argparse.Namespace) -> Path:
    """Where the CA and the Cognito signing key are kept (see the module docstring)."""
    return args.data_dir if args.data_dir else args.outputs_file.parent


def _origin(host: str, port: int) -> str:
    return f"https://[{host}]:{port}" if ":" in host else f"https://{host}:{port}"


def page_origin(tls_sock: socket.socket) -> str:
    """The HTTPS origin of the TLS socket: the demo page's, and the wss:// endpoint's."""
    host, port = tls_sock.getsockname()[:2]
    return _origin(host, port)


def demo_origins(bind_host: str, tls_sock: socket.socket) -> tuple[str, ...]:
    """Every origin the demo page may be opened at: the bound address and each name its
    certificate covers (`emulator.tls.server_names`), on the TLS port."""
    from emulator.tls import server_names

    port = tls_sock.getsockname()[1]
    names = [page_origin(tls_sock), *(_origin(n, port) for n in server_names(bind_host))]
    return tuple(dict.fromkeys(names))


def client_outputs(
    tls_sock: socket.socket, tls_directory: Path, outputs_file: Path
) -> dict[str, Any]:
    """The outputs only the emulator has: the TLS endpoints, the CA, the client config."""
    authority = page_origin(tls_sock).removeprefix("https://")
    return {
        "graphqlHttpsUrl": f"https://{authority}/graphql",
        "realtimeWssUrl": f"wss://{authority}/graphql/realtime",
        "caCertificateFile": str((tls_directory / "ca.pem").resolve()),
        "amplifyConfigFile": str(outputs_file.with_name(AMPLIFY_CONFIG_NAME).resolve()),
        "demoUrl": f"https://{authority}/",
    }


def set_cognito_triggers(backend: Any, handlers: dict[str, Any]) -> None:
    """The pool's Lambda triggers, as the stack deploys them (`LambdaFunction.cognito_trigger`),
    invoked by local Cognito with Cognito's event."""
    from chatspec import LAMBDAS
    from emulator.datasources import LambdaDataSource

    for spec in LAMBDAS:
        if spec.cognito_trigger and spec.name in handlers:
            source = LambdaDataSource(spec.name, handlers[spec.name], spec.timeout_seconds)
            backend.cognito.set_trigger(spec.cognito_trigger, source.call)


def start_stack(
    args: argparse.Namespace, graphql_sock: socket.socket, demo_origins: tuple[str, ...]
) -> tuple[Stack, Any, Any]:
    """Start moto, search, Lambdas and the engine; returns (stack, engine, authenticator).
    `demo_origins` are the demo page's (every name its certificate covers): the uploads
    bucket's CORS allows them beside the stack's `uploads.corsOrigins`, as a stack serving
    that page would list them."""
    from chatspec import LAMBDAS, table
    from chatspec.outputs import failure_queue_output
    from emulator import cognito, snapshot
    from emulator.authentication import ACCOUNT_ID, Authenticator, CognitoVerifier, IamVerifier
    from emulator.aws_backend import start_aws_backend, start_lambdas
    from emulator.demo import create_demo_users
    from emulator.stream_failures import attach as attach_failure_queue
    from emulator.streams import start_stream_feeder

    stack = Stack()
    offset = (lambda n: 0) if args.port == 0 else (lambda n: args.port + n)
    try:
        backend = start_aws_backend(args.host, offset(1), stack_region(), LOCAL_PREFIX)
        stack.stoppers.append(backend.stop)
        backend.allow_origins(demo_origins)
        cognito.install(backend, key_directory(args), ACCOUNT_ID)
        search_url = args.opensearch_url
        if not search_url:
            from emulator.opensearch import start_standin

            search_url, stop_search = start_standin(args.host, offset(2))
            stack.stoppers.append(stop_search)
        from emulator import ai_standins

        ai_standins.install(backend)
        lambdas, handlers = start_lambdas(
            backend,
            search_url,
            graphql_url_of(graphql_sock),
            malware_scanning=args.malware_scanning,
        )
        stack.stoppers.append(lambdas.stop)
        set_cognito_triggers(backend, handlers)
        for handle in handlers.values():
            threading.Thread(target=handle.warm, daemon=True).start()
        if args.data_dir:
            snapshot.restore(backend, args.data_dir)
        if not args.no_demo_users:
            create_demo_users(
                backend.client("cognito-idp"), backend.user_pool_id, backend.client_id
            )
        engine = build_engine(backend, handlers)
        from emulator.ttl import TtlSweeper

        sweeper = TtlSweeper(backend.local_client("dynamodb"), backend.table_names)
        sweeper.start()
        stack.stoppers.append(sweeper.stop)
        stack.expire_ttl = sweeper.sweep_at
        streams = backend.local_client("dynamodbstreams")
        failure_queues: dict[str, str] = {}
        for spec in LAMBDAS:
            if spec.stream_source:
                feeder = start_stream_feeder(
                    backend.local_client("dynamodb"),
                    streams,
                    backend.table_names[table(spec.stream_source).name],
                    handlers[spec.name],
                    spec.name,
                    filters=spec.stream_filters,
                )
                stack.stoppers.append(feeder.stop)
                failure_queues[spec.name] = attach_failure_queue(
                    backend, LOCAL_PREFIX, spec.name, feeder.stream_arn
                )
        from emulator.event_bus import start_events

        stack.event_bus = start_events(backend, handlers, LOCAL_PREFIX, ACCOUNT_ID, stack.stoppers)
        if args.data_dir:
            saver = snapshot.PeriodicSnapshot(backend, args.data_dir, args.snapshot_seconds)
            saver.start()
            stack.stoppers.append(saver.stop)
        authenticator = Authenticator(
            CognitoVerifier(backend.issuer, backend.client_id, backend.jwks_url),
            IamVerifier(backend.region),
        )
        stack.outputs = outputs_for(graphql_sock, backend, search_url, LOCAL_PREFIX)
        for name, url in failure_queues.items():
            stack.outputs[failure_queue_output(name)] = url
        stack.outputs["eventBusName"] = stack.event_bus.name
        stack.outputs["eventBusArn"] = stack.event_bus.arn
        base = stack.outputs["graphqlUrl"].rsplit("/graphql", 1)[0]
        stack.outputs["eventsUrl"] = base + "/_emulator/events"
        stack.outputs["pushSinkUrl"] = base + "/_emulator/push"
        stack.outputs["ttlUrl"] = base + "/_emulator/ttl"
    except BaseException:
        stack.stop()
        raise
    return stack, engine, authenticator


def write_outputs(path: Path, outputs: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(outputs, indent=2) + "\n")
    os.replace(temporary, path)


def banner(outputs: dict[str, Any], outputs_file: Path) -> str:
    from emulator.authentication import EMULATOR_CREDENTIALS
    from emulator.demo import DEMO_PASSWORD, DEMO_USERS

    aws = outputs["awsEndpoint"]
    pool = outputs["userPoolId"]
    users = ", ".join(f"{u.email} ({'/'.join(u.groups)})" for u in DEMO_USERS)
    return "\n".join(
        [
            "realtime-chat emulator is up (Ctrl-C stops it)",
            f"  GraphQL        {outputs['graphqlUrl']}   (TLS: {outputs['graphqlHttpsUrl']})",
            f"  Real-time      {outputs['realtimeUrl']}   (TLS: {outputs['realtimeWssUrl']})",
            f"  AWS endpoint   {aws}   (region {outputs['region']}; Cognito, DynamoDB)",
            f"  Search         {outputs['searchEndpoint']}",
            f"  Demo chat      {outputs['demoUrl']}",
            f"  CA certificate {outputs['caCertificateFile']}",
            f"  Amplify config {outputs['amplifyConfigFile']}",
            f"  Outputs        {outputs_file}",
            f"  Demo users     {users}; password {DEMO_PASSWORD}",
            "",
            "  Node clients:      NODE_EXTRA_CA_CERTS="
            f"{outputs['caCertificateFile']} node --experimental-websocket app.mjs",
            "  Get an ID token:   .venv/bin/python -m emulator token alice",
            "  Use it:            curl -H 'Authorization: <token>' -d '{\"query\":\"...\"}' "
            + outputs["graphqlUrl"],
            "  More users:        AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws --endpoint-url "
            f"{aws} --region {outputs['region']} cognito-idp admin-create-user "
            f"--user-pool-id {pool} --username dave@example.com",
            f"  boto3:             boto3.client('dynamodb', endpoint_url='{aws}', "
            f"region_name='{outputs['region']}')",
            f"  IAM callers sign with access key {EMULATOR_CREDENTIALS.access_key} / "
            f"secret {EMULATOR_CREDENTIALS.secret_key}",
        ]
    )


def quiet_server(app: Any, tls: Any = None) -> Any:
    """A uvicorn.Server whose signal handling is ours: a stop is a stop, no re-raised signal.

    `tls`: an `emulator.tls.TlsFiles` to serve HTTPS/WSS instead of plain HTTP. The
    real-time keep-alive (`--keepalive-seconds`) is the protocol's `ka`, not uvicorn's."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            yield

    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        ws="websockets-sansio",
        http="httptools",
        ws_ping_interval=None,
        # Clients reuse idle keep-alive connections; uvicorn's 5 s default closes them
        # under the client's feet (aiohttp: "Server disconnected"). AppSync keeps them longer.
        timeout_keep_alive=75,
        timeout_graceful_shutdown=3,
        ssl_certfile=str(tls.certificate) if tls else None,
        ssl_keyfile=str(tls.private_key) if tls else None,
    )
    return Server(config)


def tls_files(args: argparse.Namespace) -> Any:
    from emulator.tls import issue_server_certificate, server_names

    return issue_server_certificate(key_directory(args) / TLS_DIR_NAME, server_names(args.host))


async def serve(args: argparse.Namespace) -> int:
    from emulator.authentication import ACCOUNT_ID
    from emulator.client_config import write_amplify_config
    from emulator.local_routes import local_routes
    from emulator.realtime import RealtimeSettings
    from emulator.server import create_app
    from emulator.web import web_routes

    graphql_sock = bind(args.host, args.port)
    tls_sock = bind(args.host, 0 if args.port == 0 else args.port + 3)
    loop = asyncio.get_running_loop()
    stack, engine, authenticator = await loop.run_in_executor(
        None, start_stack, args, graphql_sock, demo_origins(args.host, tls_sock)
    )
    tls = await loop.run_in_executor(None, tls_files, args)
    stack.outputs.update(client_outputs(tls_sock, tls.ca_certificate.parent, args.outputs_file))
    amplify_config_file = Path(stack.outputs["amplifyConfigFile"])
    app = create_app(
        engine,
        authenticator,
        RealtimeSettings(ka_seconds=args.keepalive_seconds),
        extra_routes=[
            *web_routes(amplify_config_file),
            *local_routes(stack.event_bus, stack.outputs["region"], ACCOUNT_ID, stack.expire_ttl),
        ],
    )
    servers = [
        quiet_server(app),
        quiet_server(app, tls=tls),
    ]

    def request_stop() -> None:
        for server in servers:
            if server.should_exit:
                server.force_exit = True
            server.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, request_stop)
    try:
        serving = [
            asyncio.create_task(server.serve(sockets=[sock]))
            for server, sock in zip(servers, (graphql_sock, tls_sock), strict=True)
        ]
        while not all(s.started for s in servers) and not any(t.done() for t in serving):
            await asyncio.sleep(0.02)
        if all(s.started for s in servers):
            write_amplify_config(amplify_config_file, stack.outputs)
            write_outputs(args.outputs_file, stack.outputs)
            print(banner(stack.outputs, args.outputs_file), flush=True)
        else:
            request_stop()
        await asyncio.gather(*serving)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await loop.run_in_executor(None, stack.stop)
        graphql_sock.close()
        tls_sock.close()
        for written in (args.outputs_file, amplify_config_file):
            with contextlib.suppress(FileNotFoundError):
                written.unlink()
    print("realtime-chat emulator stopped", flush=True)
    return 0


def print_token(args: argparse.Namespace) -> int:
    import boto3

    from emulator.demo import DEMO_PASSWORD, sign_in

    try:
        outputs = json.loads(args.token_outputs.read_text())
    except FileNotFoundError:
        print(f"{args.token_outputs} not found: is `python -m emulator` running?", file=sys.stderr)
        return 2
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["awsEndpoint"],
        region_name=outputs["region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    try:
        tokens = sign_in(
            cognito, outputs["userPoolClientId"], args.user, args.password or DEMO_PASSWORD
        )
    except cognito.exceptions.NotAuthorizedException:
        print(f"sign-in of {args.user!r} failed: wrong user name or password", file=sys.stderr)
        return 1
    except cognito.exceptions.UserNotFoundException:
        print(f"no user {args.user!r} in the emulated user pool", file=sys.stderr)
        return 1
    print(tokens["AccessToken" if args.access else "IdToken"])
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "token":
        return print_token(args)
    try:
        return asyncio.run(serve(args))
    except KeyboardInterrupt:
        return 130
