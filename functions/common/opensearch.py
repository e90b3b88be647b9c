"""The one way the Lambdas reach OpenSearch: opensearch-py with SigV4.

The domain sits in a VPC and accepts only IAM-signed requests, so every request is
signed with the Lambda's credentials (`Urllib3AWSV4SignerAuth`, service `es`). The urllib3
connection rather than the requests one: botocore already imports urllib3, so the
search and indexer cold starts skip importing requests (about 30 ms, see bench/). The endpoint is
a full URL so that the emulator can point the very same code at its loopback stand-in;
plain http is refused for anything but loopback, so a mistyped production endpoint can
never send signed requests (and message text) in clear over the network.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import boto3
from opensearchpy import OpenSearch, Urllib3AWSV4SignerAuth, Urllib3HttpConnection

from chatspec.environment import SEARCH_ENDPOINT_ENV, SEARCH_INDEX_ENV

ENDPOINT_ENV = SEARCH_ENDPOINT_ENV
INDEX_ENV = SEARCH_INDEX_ENV
SIGNING_SERVICE = "es"


class OpenSearchConfigError(ValueError):
    """The environment does not describe a usable OpenSearch endpoint."""


@dataclass(frozen=True)
class Endpoint:
    scheme: str
    host: str
    port: int

    @property
    def use_ssl(self) -> bool:
        return self.scheme == "https"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_endpoint(url: str) -> Endpoint:
    """Split a full endpoint URL; refuse what would be unsafe or ambiguous."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise OpenSearchConfigError(
            f"{ENDPOINT_ENV} must be a full URL such as https://search-x.eu-west-1.es.amazonaws.com,"
            f" got {url!r}"
        )
    if parts.path not in ("", "/") or parts.query:
        raise OpenSearchConfigError(f"{ENDPOINT_ENV} must not carry a path or query, got {url!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise OpenSearchConfigError(
            f"{ENDPOINT_ENV} may use plain http only for a loopback address, got {url!r}"
        )
    default_port = 443 if parts.scheme == "https" else 80
    return Endpoint(parts.scheme, parts.hostname, parts.port or default_port)


def index_name() -> str:
    name = os.environ.get(INDEX_ENV, "").strip()
    if not name:
        raise OpenSearchConfigError(f"{INDEX_ENV} is not set")
    return name


def client_from_env(timeout_seconds: float = 10.0) -> OpenSearch:
    """An opensearch-py client for OPENSEARCH_ENDPOINT, every request SigV4-signed."""
    url = os.environ.get(ENDPOINT_ENV, "")
    if not url.strip():
        raise OpenSearchConfigError(f"{ENDPOINT_ENV} is not set")
    session = boto3.Session()
    region = session.region_name or os.environ.get("AWS_REGION")
    return signed_client(url, session, region, timeout_seconds)


def signed_client(
    url: str, session: boto3.Session, region: str | None, timeout_seconds: float = 10.0
) -> OpenSearch:
    """An opensearch-py client for `url` signing with `session`'s credentials; the
    Lambdas reach it through `client_from_env`, operators' tools (`searchops`) directly."""
    endpoint = parse_endpoint(url)
    credentials = session.get_credentials()
    if credentials is None:
        raise OpenSearchConfigError("no AWS credentials to sign OpenSearch requests with")
    if not region:
        raise OpenSearchConfigError("AWS_REGION is not set; SigV4 needs the domain's region")
    return OpenSearch(
        hosts=[{"host": endpoint.host, "port": endpoint.port}],
        http_auth=Urllib3AWSV4SignerAuth(credentials, region, SIGNING_SERVICE),
        use_ssl=endpoint.use_ssl,
        verify_certs=endpoint.use_ssl,
        connection_class=Urllib3HttpConnection,
        timeout=timeout_seconds,
        max_retries=0,
    )


_clients: dict[str, OpenSearch] = {}


def cached_client() -> OpenSearch:
    """One client per endpoint for the life of the container.

    Reusing it keeps the HTTPS connection pool warm across invocations; keying it by the
    endpoint lets tests and the emulator repoint OPENSEARCH_ENDPOINT without stale clients.
    """
    url = os.environ.get(ENDPOINT_ENV, "").strip()
    client = _clients.get(url)
    if client is None:
        client = client_from_env()
        _clients[url] = client
    return client
