"""The OpenSearch client factory shared by the search and indexer Lambdas."""

from __future__ import annotations

import pytest

from functions.common.opensearch import (
    Endpoint,
    OpenSearchConfigError,
    client_from_env,
    index_name,
    parse_endpoint,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://search-chat.eu-west-1.es.amazonaws.com",
            Endpoint("https", "search-chat.eu-west-1.es.amazonaws.com", 443),
        ),
        ("https://vpc-x.es.amazonaws.com/", Endpoint("https", "vpc-x.es.amazonaws.com", 443)),
        ("http://127.0.0.1:9200", Endpoint("http", "127.0.0.1", 9200)),
        ("http://localhost:4571", Endpoint("http", "localhost", 4571)),
        ("http://[::1]:9200", Endpoint("http", "::1", 9200)),
    ],
)
def test_endpoints_that_are_accepted(url, expected):
    assert parse_endpoint(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://search-chat.eu-west-1.es.amazonaws.com", "plain http only for a loopback"),
        ("http://10.0.0.5:9200", "plain http only for a loopback"),
        ("search-chat.eu-west-1.es.amazonaws.com", "must be a full URL"),
        ("ftp://127.0.0.1", "must be a full URL"),
        ("https://host/messages", "must not carry a path"),
    ],
)
def test_endpoints_that_are_refused_say_why(url, reason):
    with pytest.raises(OpenSearchConfigError, match=reason):
        parse_endpoint(url)


def test_missing_settings_are_named(monkeypatch):
    monkeypatch.delenv("OPENSEARCH_ENDPOINT", raising=False)
    monkeypatch.delenv("OPENSEARCH_INDEX", raising=False)
    with pytest.raises(OpenSearchConfigError, match="OPENSEARCH_ENDPOINT is not set"):
        client_from_env()
    with pytest.raises(OpenSearchConfigError, match="OPENSEARCH_INDEX is not set"):
        index_name()


def test_the_client_signs_for_the_es_service_in_the_region(monkeypatch):
    monkeypatch.setenv("OPENSEARCH_ENDPOINT", "https://search-chat.eu-west-1.es.amazonaws.com")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")

    client = client_from_env()

    connection = client.transport.get_connection()
    assert connection.host == "https://search-chat.eu-west-1.es.amazonaws.com:443"
    auth = connection.http_auth
    assert (auth.signer.service, auth.signer.region) == ("es", "eu-west-1")
