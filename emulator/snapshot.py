"""`--data-dir`: tables and users survive a restart.

moto keeps everything in memory, so the emulator writes one JSON snapshot
(`<data-dir>/state.json`) periodically and on shutdown, and replays it into the fresh
moto on start. Items go back with BatchWriteItem, so the messages stream re-feeds the
indexer and search works again. Users go back through the Cognito API, but no API can
choose a user's `sub` (every item refers to users by it) or read a password back, so
those two are copied from and into moto's user model directly (besides
`emulator/cognito/moto_internals.py`, the only place the emulator reaches into moto's
internals). A snapshot is written to a temporary file and
renamed, so a crash never leaves half a file.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from emulator.auth import ACCOUNT_ID
from emulator.aws_backend import AwsBackend

SNAPSHOT_NAME = "state.json"
FORMAT_VERSION = 1
log = logging.getLogger("emulator.snapshot")


class SnapshotError(ValueError):
    """The snapshot file cannot be used; says which file and why."""


def _pool(backend: AwsBackend) -> Any:
    from moto.cognitoidp.models import cognitoidp_backends

    return cognitoidp_backends[ACCOUNT_ID][backend.region].user_pools[backend.user_pool_id]


def capture(backend: AwsBackend) -> dict[str, Any]:
    dynamodb = backend.client("dynamodb")
    tables = {}
    for logical, physical in backend.table_names.items():
        items: list[dict[str, Any]] = []
        for page in dynamodb.get_paginator("scan").paginate(TableName=physical):
            items.extend(page["Items"])
        tables[logical] = items
    users = [
        {
            "sub": user.id,
            "password": user.password,
            "status": str(user.status.value if hasattr(user.status, "value") else user.status),
            "enabled": user.enabled,
            "attributes": [a for a in user.attributes if a["Name"] != "sub"],
            "groups": sorted(group.group_name for group in user.groups),
        }
        for user in _pool(backend).users.values()
    ]
    return {"version": FORMAT_VERSION, "tables": tables, "users": users}


def save(backend: AwsBackend, data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / SNAPSHOT_NAME
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(capture(backend)))
    os.replace(temporary, target)
    return target


def restore(backend: AwsBackend, data_dir: Path) -> bool:
    """Replay `<data-dir>/state.json` if there is one; returns whether it did."""
    source = data_dir / SNAPSHOT_NAME
    if not source.exists():
        return False
    try:
        state = json.loads(source.read_text())
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{source} is not valid JSON ({error}); move it away") from None
    if not isinstance(state, dict) or state.get("version") != FORMAT_VERSION:
        raise SnapshotError(f"{source} is not a version {FORMAT_VERSION} emulator snapshot")
    _restore_tables(backend, state.get("tables", {}))
    _restore_users(backend, state.get("users", []))
    return True


def _restore_tables(backend: AwsBackend, tables: dict[str, list[dict[str, Any]]]) -> None:
    dynamodb = backend.client("dynamodb")
    for logical, items in tables.items():
        physical = backend.table_names.get(logical)
        if physical is None:
            log.warning("snapshot table %s is no longer in chatspec; skipped", logical)
            continue
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            pending: dict[str, Any] = {physical: batch}
            while pending:
                pending = dynamodb.batch_write_item(RequestItems=pending).get(
                    "UnprocessedItems", {}
                )


def _restore_users(backend: AwsBackend, users: list[dict[str, Any]]) -> None:
    from moto.cognitoidp.models import UserStatus

    cognito = backend.client("cognito-idp")
    pool = _pool(backend)
    for saved in users:
        attributes = {a["Name"]: a["Value"] for a in saved["attributes"]}
        email = attributes.get("email")
        if not email:
            log.warning("snapshot user %s has no e-mail; skipped", saved["sub"])
            continue
        cognito.admin_create_user(
            UserPoolId=backend.user_pool_id,
            Username=email,
            UserAttributes=saved["attributes"],
            MessageAction="SUPPRESS",
        )
        user = pool._get_user(email)
        del pool.users[user.username]
        user.id = user.username = saved["sub"]
        user.update_attributes([{"Name": "sub", "Value": saved["sub"]}])
        user.password = saved["password"]
        user.status = UserStatus[saved["status"]]
        user.enabled = saved["enabled"]
        pool.users[user.username] = user
        for group in saved["groups"]:
            cognito.admin_add_user_to_group(
                UserPoolId=backend.user_pool_id, Username=email, GroupName=group
            )


class PeriodicSnapshot:
    """Saves every `interval_seconds` on a daemon thread, and once more on `stop()`."""

    def __init__(self, backend: AwsBackend, data_dir: Path, interval_seconds: float = 30) -> None:
        self._backend = backend
        self._data_dir = data_dir
        self._interval = interval_seconds
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="snapshot", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                save(self._backend, self._data_dir)
            except Exception:
                log.exception("periodic snapshot to %s failed", self._data_dir)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        save(self._backend, self._data_dir)
