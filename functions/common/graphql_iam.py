"""The stack's own GraphQL API, called as a trusted backend: SigV4-signed POSTs with the
function's execution role (AppSync's IAM auth mode).

Written with botocore's own `SigV4Auth` and `AWSRequest` (the runtime ships botocore) and
the standard library's HTTP client: no GraphQL client library is in the layer, and the two
mutations the backends send need none. Locally the URL is the emulator's, which verifies
the same signatures (`emulator.authentication.IamVerifier`).
"""

from __future__ import annotations

import json
import os
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

from chatspec.assistant import GRAPHQL_URL_ENV

TIMEOUT_SECONDS = 10


class GraphQLRefused(Exception):
    """The API answered with errors; `error_type` is the first error's errorType."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message


@dataclass
class IamGraphQL:
    url: str
    region: str
    session: Any = None

    @classmethod
    def from_env(cls) -> IamGraphQL:
        return cls(os.environ[GRAPHQL_URL_ENV], os.environ.get("AWS_REGION", "us-east-1"))

    def execute(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The `data` of a successful request; GraphQLRefused for a GraphQL error."""
        body = json.dumps({"query": query, "variables": dict(variables)}).encode()
        headers = {"content-type": "application/json", "host": urlparse(self.url).netloc}
        request = AWSRequest(method="POST", url=self.url, data=body, headers=headers)
        credentials = (self.session or boto3.Session()).get_credentials().get_frozen_credentials()
        SigV4Auth(credentials, "appsync", self.region).add_auth(request)
        prepared = urllib.request.Request(
            self.url, data=body, headers=dict(request.headers), method="POST"
        )
        try:
            with urllib.request.urlopen(prepared, timeout=TIMEOUT_SECONDS) as response:
                document = json.loads(response.read())
        except urllib.error.HTTPError as error:
            document = json.loads(error.read() or b"{}")
            if not document.get("errors"):
                raise
        errors = document.get("errors") or []
        if errors:
            first = errors[0]
            raise GraphQLRefused(
                str(first.get("errorType") or "Unknown"), str(first.get("message") or "")
            )
        return document.get("data") or {}
