"""The stack a command works on: its outputs, and AWS and OpenSearch clients for it.

With the emulator's outputs (they carry `awsEndpoint`) every AWS client goes to that
endpoint with the emulator's credentials. With a deployed stack the default boto3
credentials are used, or a role to assume (`--role-arn`, e.g. the stack's
`searchOpsRoleArn`); the search domain is reachable only from inside the stack's VPC, so
run these commands from a host there (README, "Runbook").
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from opensearchpy import OpenSearch

from functions.common.opensearch import signed_client

DEFAULT_OUTPUTS = Path(".local/outputs.json")
DEFAULT_INDEX = "messages"
REQUIRED = ("region", "messagesTableName", "searchEndpoint")


class TargetError(Exception):
    """The outputs do not describe a stack these commands can work on."""


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--outputs",
        type=Path,
        default=DEFAULT_OUTPUTS,
        help="stack outputs JSON (`pulumi stack output --json`, or the emulator's)",
    )
    parser.add_argument("--role-arn", help="assume this role first (deployed stacks)")


@dataclass
class Target:
    outputs: dict[str, Any]
    session: Any
    _clients: dict[str, Any] = field(default_factory=dict)

    @property
    def region(self) -> str:
        return str(self.outputs["region"])

    @property
    def table(self) -> str:
        return str(self.outputs["messagesTableName"])

    @property
    def index(self) -> str:
        return str(self.outputs.get("searchIndex") or DEFAULT_INDEX)

    @property
    def failure_queue_url(self) -> str:
        url = self.outputs.get("indexerFailureQueueUrl")
        if not url:
            raise TargetError("the outputs have no indexerFailureQueueUrl")
        return str(url)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            config = Config(
                retries={"mode": "standard", "max_attempts": 8},
                account_id_endpoint_mode="disabled",
            )
            extra: dict[str, Any] = {}
            if self.outputs.get("awsEndpoint"):
                extra["endpoint_url"] = self.outputs["awsEndpoint"]
            self._clients[service] = self.session.client(
                service, region_name=self.region, config=config, **extra
            )
        return self._clients[service]

    def opensearch(self) -> OpenSearch:
        """opensearch-py with SigV4, exactly as the Lambdas build it."""
        if "opensearch" not in self._clients:
            self._clients["opensearch"] = signed_client(
                str(self.outputs["searchEndpoint"]), self.session, self.region, 30.0
            )
        return self._clients["opensearch"]


def load_target(outputs_path: Path, role_arn: str | None = None) -> Target:
    try:
        outputs = json.loads(outputs_path.read_text())
    except FileNotFoundError:
        raise TargetError(f"outputs file {outputs_path} does not exist") from None
    except json.JSONDecodeError as error:
        raise TargetError(f"outputs file {outputs_path} is not JSON: {error}") from None
    missing = [key for key in REQUIRED if not outputs.get(key)]
    if missing:
        raise TargetError(f"outputs file {outputs_path} lacks {missing}")
    if outputs.get("awsEndpoint"):
        from emulator.authentication import EMULATOR_CREDENTIALS

        session = boto3.Session(
            aws_access_key_id=EMULATOR_CREDENTIALS.access_key,
            aws_secret_access_key=EMULATOR_CREDENTIALS.secret_key,
            region_name=outputs["region"],
        )
    else:
        session = boto3.Session(region_name=outputs["region"])
        if role_arn:
            assumed = session.client("sts").assume_role(
                RoleArn=role_arn, RoleSessionName="searchops"
            )["Credentials"]
            session = boto3.Session(
                aws_access_key_id=assumed["AccessKeyId"],
                aws_secret_access_key=assumed["SecretAccessKey"],
                aws_session_token=assumed["SessionToken"],
                region_name=outputs["region"],
            )
    return Target(outputs, session)
