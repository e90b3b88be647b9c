"""The emulated AWS account: moto's server on loopback, the tables and the user pool.

moto runs as `ThreadedMotoServer` in this process, so boto3 and the AWS CLI reach it at
`awsEndpoint` exactly as they would reach AWS (`--endpoint-url`); the engine reaches the
same backends in process (`AwsBackend.local_client`), and one first-come-first-served
lock orders the requests of both paths (`emulator.moto_internals`). The user pool follows
the dev stack's settings (`components.settings.load_settings("dev")`): e-mail as user
name, the same password policy and the groups of `chatspec.auth.GROUPS`. Its app client
has no secret and allows SRP and refresh tokens like the deployed one, plus
`ALLOW_USER_PASSWORD_AUTH`, which exists only locally so that scripts and the AWS CLI
can sign in without an SRP implementation.

Pool and client ids come from moto's HASH id strategy, so the same settings give the
same ids after a restart and tokens, outputs and `--data-dir` snapshots stay valid.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from chatspec.auth import GROUPS
from components.settings import CognitoSettings, load_settings
from emulator import moto_internals
from emulator.auth import EMULATOR_CREDENTIALS
from emulator.sockets import nodelay_listener
from emulator.tables import create_tables

LOCAL_ONLY_AUTH_FLOW = "ALLOW_USER_PASSWORD_AUTH"
CLIENT_AUTH_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", LOCAL_ONLY_AUTH_FLOW)
SETTINGS_STACK = "dev"
_ID_STRATEGY_ENV = (
    "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY",
    "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY",
)


@dataclass
class AwsBackend:
    endpoint: str
    region: str
    prefix: str
    user_pool_id: str = ""
    client_id: str = ""
    table_names: dict[str, str] = field(default_factory=dict)
    _server: Any = None

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
    bound_host, bound_port = server.get_host_and_port()
    backend = AwsBackend(f"http://{bound_host}:{bound_port}", region, prefix, _server=server)
    try:
        backend.table_names = create_tables(backend.client("dynamodb"), prefix)
        cognito = load_settings(SETTINGS_STACK).cognito
        backend.user_pool_id, backend.client_id = create_user_pool(
            backend.client("cognito-idp"), prefix, cognito
        )
    except BaseException:
        backend.stop()
        raise
    return backend


def password_policy(cognito: CognitoSettings) -> dict[str, Any]:
    """`CognitoSettings.password_policy()` as the Cognito API spells it (PascalCase)."""
    return {
        "".join(word.title() for word in key.split("_")): value
        for key, value in cognito.password_policy().items()
    }


def create_user_pool(client: Any, prefix: str, cognito: CognitoSettings) -> tuple[str, str]:
    """The pool, its groups and the app client, as `components/auth.py` declares them."""
    pool = client.create_user_pool(
        PoolName=f"{prefix}-users",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}
        ],
        Policies={"PasswordPolicy": password_policy(cognito)},
        MfaConfiguration=cognito.mfa,
    )["UserPool"]
    pool_id = pool["Id"]
    for group in GROUPS:
        client.create_group(
            UserPoolId=pool_id,
            GroupName=group.name,
            Precedence=group.precedence,
            Description=group.description,
        )
    app = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=f"{prefix}-app",
        GenerateSecret=False,
        ExplicitAuthFlows=list(CLIENT_AUTH_FLOWS),
        PreventUserExistenceErrors="ENABLED",
        EnableTokenRevocation=True,
        ReadAttributes=["email", "email_verified"],
        WriteAttributes=["email"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    return pool_id, app["ClientId"]


def lambda_environment(
    backend: AwsBackend, opensearch_url: str, index: str = "messages"
) -> dict[str, str]:
    """What the deployed Lambdas get as environment, pointed at the local endpoints."""
    import chatspec

    env = {
        "AWS_ENDPOINT_URL": backend.endpoint,
        "AWS_ACCESS_KEY_ID": EMULATOR_CREDENTIALS.access_key,
        "AWS_SECRET_ACCESS_KEY": EMULATOR_CREDENTIALS.secret_key,
        "AWS_REGION": backend.region,
        "AWS_DEFAULT_REGION": backend.region,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "OPENSEARCH_ENDPOINT": opensearch_url,
        "OPENSEARCH_INDEX": index,
        "USER_POOL_ID": backend.user_pool_id,
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "realtime-chat-local",
    }
    for logical, physical in backend.table_names.items():
        env[chatspec.table(logical).env_var] = physical
    return env


def lambda_handlers() -> dict[str, Any]:
    """Each chatspec Lambda's handler, imported unmodified from `functions.<name>.handler`."""
    import importlib

    import chatspec

    return {
        spec.name: importlib.import_module(f"functions.{spec.name}.handler").handler
        for spec in chatspec.LAMBDAS
    }
