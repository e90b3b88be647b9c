"""moto with the emulator's corrections installed, and the pk/sk table its tests use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from moto import mock_aws

from emulator import moto_internals
from emulator.testing import KEEP_BOTO3_SESSION


@contextmanager
def corrected_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    moto_internals.install()
    with mock_aws(config=KEEP_BOTO3_SESSION):
        yield


def create_pk_sk_table(client: Any, name: str, **options: Any) -> None:
    """A table keyed by string attributes pk (hash) and sk (range), billed per request."""
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        **options,
    )
