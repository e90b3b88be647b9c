"""A real moto server with the stack's tables, bucket and user pool, started afresh, and the
same after a restart: what `--data-dir` is saved from and restored into."""

from __future__ import annotations

from collections.abc import Iterator

from emulator.aws_backend import AwsBackend, start_aws_backend

REGION = "eu-west-1"
PREFIX = "chat-snap"


def reset_moto() -> None:
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def fresh_backend() -> Iterator[AwsBackend]:
    """A fixture's body: the backend, stopped and forgotten after the test."""
    reset_moto()
    started = start_aws_backend("127.0.0.1", 0, REGION, PREFIX)
    yield started
    started.stop()
    reset_moto()


def restarted(backend: AwsBackend) -> AwsBackend:
    """`backend` stopped and a new, empty one started, as a new emulator process would."""
    backend.stop()
    reset_moto()
    return start_aws_backend("127.0.0.1", 0, REGION, PREFIX)
