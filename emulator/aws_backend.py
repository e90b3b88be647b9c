"""The emulated AWS account: moto's server on loopback, the tables and the user pool.

moto runs as `ThreadedMotoServer` in this process, so boto3 and the AWS CLI reach it at
`awsEndpoint` exactly as they would reach AWS (`--endpoint-url`); the engine reaches the
same backends in process (`AwsBackend.local_client`), and one first-come-first-served
lock orders the requests of both paths (`emulator.moto_internals`). The user pool follows
the dev stack's settings (`stacksettings.settings.load_settings("dev")`): e-mail as user
name, the same password policy and the groups of `chatspec.auth.GROUPS`. Its app client
has no secret and allows SRP and refresh tokens like the deployed one, plus
`ALLOW_USER_PASSWORD_AUTH`, which exists only locally so that scripts and the AWS CLI
can sign in without an SRP implementation.

Pool and client ids come from moto's HASH id strategy, so the same settings give the
same ids after a restart and tokens, outputs and `--data-dir` snapshots stay valid.
"""

from __future__ import annotations

import io
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from chatspec import LAMBDAS
from chatspec.auth import GROUPS
from chatspec.rules import UPLOAD_KEY_PREFIX
from components.user_pool import user_pool_shape
from emulator import moto_internals
from emulator.authentication import EMULATOR_CREDENTIALS
from emulator.s3_cors import BucketCors
from emulator.s3_notifications import NOTIFICATIONS
from emulator.s3_post_policy import PresignedPostChecks
from emulator.sockets import nodelay_listener
from emulator.tables import create_tables
from stacksettings.settings import CognitoSettings, load_settings

LOCAL_ONLY_AUTH_FLOW = "ALLOW_USER_PASSWORD_AUTH"
SETTINGS_STACK = "dev"
_ID_STRATEGY_ENV = (
    "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY",
    "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY",
)


class CaseInsensitiveUserNames:
    """Folds Cognito user names (and the e-mail alias that is our user name) to lower case.

    The pool is case-insensitive (`components.user_pool`: `UsernameConfiguration`
    CaseSensitive false), so Cognito treats `Dave@Example.com` and `dave@example.com` as one
    user; moto 5.2 ignores that setting. Written by hand because no library patches moto's
    Cognito: every Cognito JSON request passes through here with `Username`,
    `AuthParameters.USERNAME`, `ChallengeResponses.USERNAME` and `email` attribute values
    folded, so creating, signing in and looking up behave as on AWS.
    """

    TARGET = "AWSCognitoIdentityProviderService."
    NAME_KEYS = ("AuthParameters", "ChallengeResponses")
    ATTRIBUTE_KEYS = ("UserAttributes", "Attributes")

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith(self.TARGET):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            try:
                document = json.loads(body) if body else None
            except ValueError:
                document = None
            if isinstance(document, dict):
                body = json.dumps(self.fold(document)).encode()
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self._app(environ, start_response)

    @classmethod
    def fold(cls, document: dict[str, Any]) -> dict[str, Any]:
        folded = dict(document)
        if isinstance(folded.get("Username"), str):
            folded["Username"] = folded["Username"].lower()
        for key in cls.NAME_KEYS:
            values = folded.get(key)
            if isinstance(values, dict) and isinstance(values.get("USERNAME"), str):
                folded[key] = {**values, "USERNAME": values["USERNAME"].lower()}
        for key in cls.ATTRIBUTE_KEYS:
            attributes = folded.get(key)
            if isinstance(attributes, list):
                folded[key] = [
                    {**a, "Value": a["Value"].lower()}
                    if isinstance(a, dict)
                    and a.get("Name") == "email"
                    and isinstance(a.get("Value"), str)
                    else a
                    for a in attributes
                ]
        return folded


@dataclass
class AwsBackend:
    endpoint: str
    region: str
    prefix: str
    user_pool_id: str = ""
    client_id: str = ""
    table_names: dict[str, str] = field(default_factory=dict)
    uploads_bucket: str = ""
    cognito: Any = None
    """The local Cognito middleware (`emulator.cognito.install`), once installed."""
    push_applications: dict[str, str] = field(default_factory=dict)
    _server: Any = None
    _cors: Any = None

    def allow_origins(self, extra_origins: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The uploads bucket's CORS rules: the stack's (`uploads.corsOrigins`) plus
        `extra_origins` (the demo page's), stored in the bucket and answered to browsers."""
        rules = load_settings(SETTINGS_STACK).uploads.cors_rules(extra_origins)
        s3 = self.client("s3")
        if rules:
            s3.put_bucket_cors(Bucket=self.uploads_bucket, CORSConfiguration={"CORSRules": rules})
        else:
            s3.delete_bucket_cors(Bucket=self.uploads_bucket)
        if self._cors is not None:
            self._cors.rules = rules
        return rules

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return f"{self.endpoint}/{self.user_pool_id}/.well-known/jwks.json"

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=EMULATOR_CREDENTIALS.access_key,
            aws_secret_access_key=EMULATOR_CREDENTIALS.secret_key,
            config=Config(account_id_endpoint_mode="disabled", retries={"max_attempts": 2}),
        )

    def wrap_requests(self, middleware: Callable[[Any], Any]) -> None:
        """Put `middleware` in front of moto on the AWS endpoint (local Cognito). Whatever it
        does to moto's state it does under `moto_internals.MOTO_LOCK`, like moto itself."""
        self._server._server.app = middleware(self._server._server.app)

    def local_client(self, service: str) -> Any:
        """A client of the same moto, answered in this process (no HTTP): for the engine,
        the stream feeder and snapshots. Lambdas and outside callers use `client`."""
        return moto_internals.in_process_client(
            service,
            self.region,
            EMULATOR_CREDENTIALS.access_key,
            EMULATOR_CREDENTIALS.secret_key,
        )

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def start_aws_backend(host: str, port: int, region: str, prefix: str) -> AwsBackend:
    """Start moto on `host:port` (0 for a free port) with the tables and the user pool."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    for name in _ID_STRATEGY_ENV:
        os.environ[name] = "HASH"
    moto_internals.install()
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    nodelay_listener(server._server.socket)
    # ThreadedMotoServer offers no hook for wrapping its WSGI app; werkzeug reads `.app`
    # per request, so swapping it before the first request is safe.
    if not user_pool_shape(load_settings(SETTINGS_STACK).cognito).case_sensitive:
        server._server.app = CaseInsensitiveUserNames(server._server.app)
    server._server.app = PresignedPostChecks(
        server._server.app,
        {EMULATOR_CREDENTIALS.access_key: EMULATOR_CREDENTIALS.secret_key},
        on_created=NOTIFICATIONS.object_created,
    )
    cors = BucketCors(server._server.app, uploads_bucket_name(prefix))
    server._server.app = cors
    bound_host, bound_port = server.get_host_and_port()
    backend = AwsBackend(
        f"http://{bound_host}:{bound_port}", region, prefix, _server=server, _cors=cors
    )
    try:
        backend.table_names = create_tables(backend.client("dynamodb"), prefix)
        backend.uploads_bucket = create_uploads_bucket(backend.client("s3"), prefix, region)
        backend.allow_origins()
        cognito = load_settings(SETTINGS_STACK).cognito
        backend.user_pool_id, backend.client_id = create_user_pool(
            backend.client("cognito-idp"), prefix, cognito
        )
    except BaseException:
        backend.stop()
        raise
    return backend


def uploads_bucket_name(prefix: str) -> str:
    """As the stack names it (`components/uploads.py`)."""
    return f"{prefix}-uploads"


def create_uploads_bucket(client: Any, prefix: str, region: str) -> str:
    """The uploads bucket, private like the stack's (public access blocked). Presigned POSTs
    to it are checked as S3 checks them (`emulator/s3_post_policy.py`), and browsers get the
    stack's CORS answers (`emulator/s3_cors.py`, `AwsBackend.allow_origins`)."""
    name = uploads_bucket_name(prefix)
    # us-east-1 is the one region S3 refuses as a LocationConstraint.
    placement = {} if region == "us-east-1" else {"LocationConstraint": region}
    client.create_bucket(
        Bucket=name, **({"CreateBucketConfiguration": placement} if placement else {})
    )
    client.put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return name


def create_user_pool(client: Any, prefix: str, cognito: CognitoSettings) -> tuple[str, str]:
    """The pool, its groups and the app client, from the deployed pool's shape
    (`components.user_pool`), plus the local-only password flow."""
    shape = user_pool_shape(cognito)
    pool = client.create_user_pool(
        PoolName=shape.pool_name(prefix),
        UsernameAttributes=list(shape.username_attributes),
        UsernameConfiguration={"CaseSensitive": shape.case_sensitive},
        AutoVerifiedAttributes=list(shape.auto_verified_attributes),
        Schema=[dict(a) for a in shape.schema],
        Policies={"PasswordPolicy": shape.cognito_password_policy()},
        MfaConfiguration=shape.mfa,
    )["UserPool"]
    pool_id = pool["Id"]
    for group in GROUPS:
        client.create_group(
            UserPoolId=pool_id,
            GroupName=group.name,
            Precedence=group.precedence,
            Description=group.description,
        )
    request = shape.client_request(prefix)
    request["ExplicitAuthFlows"] = [*request["ExplicitAuthFlows"], LOCAL_ONLY_AUTH_FLOW]
    app = client.create_user_pool_client(UserPoolId=pool_id, **request)["UserPoolClient"]
    return pool_id, app["ClientId"]


def start_lambdas(
    backend: AwsBackend,
    opensearch_url: str,
    graphql_url: str | None = None,
    *,
    malware_scanning: bool = False,
) -> tuple[Any, dict[str, Any]]:
    """The Lambda service and the chat functions, from the artifact (built if stale), in
    worker processes with their deployed environment pointed at this backend; the
    backends that call the API (assistant, toxicity checker) get `graphql_url`, and the
    assistant the dev stack's model settings, answered by the stand-ins
    (`emulator.ai_standins`). `malware_scanning` plays a stack with
    `uploads.malwareScanning`: the file check waits for the scan's tag, and GuardDuty's
    stand-in (`emulator.guardduty`) scans every upload after the check's first look."""
    from artifact import ensure_built
    from artifact.runtime import ensure_runtime
    from chatspec.lambdas import FILECHECK
    from chatspec.malware import SCAN_TAG_GRANT
    from emulator.authentication import ACCOUNT_ID
    from emulator.chat_functions import chat_functions, local_aws_environment
    from emulator.lambda_grants import LambdaGrants
    from emulator.lambda_runtime import LambdaService
    from emulator.push_sink import create_platform_applications

    backend.push_applications = create_platform_applications(backend.client("sns"), backend.prefix)
    service = LambdaService(
        ensure_built(), ensure_runtime().path, region=backend.region, account_id=ACCOUNT_ID
    )
    handles = chat_functions(
        service,
        prefix=backend.prefix,
        table_names=backend.table_names,
        log_level=load_settings(SETTINGS_STACK).lambda_log_level,
        aws=local_aws_environment(
            backend.endpoint, EMULATOR_CREDENTIALS.access_key, EMULATOR_CREDENTIALS.secret_key
        ),
        user_pool_id=backend.user_pool_id,
        search_endpoint=opensearch_url,
        uploads_bucket=backend.uploads_bucket,
        push_applications=json.dumps(backend.push_applications),
        graphql_url=graphql_url,
        assistant=load_settings(SETTINGS_STACK).assistant,
        malware_scanning=malware_scanning,
    )
    extra = {FILECHECK.name: (SCAN_TAG_GRANT,)} if malware_scanning else {}
    backend.wrap_requests(
        lambda app: LambdaGrants(
            app,
            LAMBDAS,
            {physical: logical for logical, physical in backend.table_names.items()},
            backend.uploads_bucket,
            ACCOUNT_ID,
            backend.region,
            extra,
        )
    )
    for spec in LAMBDAS:
        if spec.bucket_source == "uploads" and spec.name in handles:
            scanner = (
                _malware_scanner(backend, handles[spec.name], ACCOUNT_ID)
                if malware_scanning
                else None
            )
            NOTIFICATIONS.subscribe(
                backend.uploads_bucket,
                UPLOAD_KEY_PREFIX,
                backend.region,
                handles[spec.name],
                after=scanner.object_created if scanner else None,
            )
    return service, handles


def _malware_scanner(backend: AwsBackend, check: Any, account: str) -> Any:
    from emulator.guardduty import MalwareScanner, plan_arn

    # Signed, over the AWS endpoint: moto refuses unsigned (anonymous) reads of the bucket.
    return MalwareScanner(
        backend.client("s3"),
        backend.uploads_bucket,
        region=backend.region,
        account=account,
        plan=plan_arn(backend.region, account, backend.prefix),
        deliver=check,
    )
