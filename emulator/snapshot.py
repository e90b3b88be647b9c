"""`--data-dir`: tables, users and the uploads bucket's objects survive a restart.

moto keeps everything in memory, so the emulator keeps `<data-dir>/state.json` (every
table and user) plus `<data-dir>/journal.jsonl`, one line per item that changed since:
moto tells which items were written (`emulator.moto_internals.add_item_listener`), and
every `--snapshot-seconds` and on shutdown only those items are read and appended, so a
write costs the same however much is stored. When the journal has grown as long as the
data itself (and at start), the two are folded into a new `state.json`: an O(everything)
step once per O(everything) writes. On start both are replayed into the fresh moto.
Items go back with BatchWriteItem, so the messages stream re-feeds the indexer and
search works again. Users go back through the Cognito API, but no API can choose a
user's `sub` (every item refers to users by it) or read a password back, so those two
are copied from and into moto's user model directly (Cognito internals otherwise only in
`emulator/cognito/moto_internals.py`). `state.json` is written to a
temporary file and renamed; a journal line cut short by a crash is ignored on start.
Objects are kept beside them, one pair of files each (`emulator.snapshot_files`).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from emulator import snapshot_files
from emulator.authentication import ACCOUNT_ID
from emulator.aws_backend import AwsBackend

SNAPSHOT_NAME = "state.json"
JOURNAL_NAME = "journal.jsonl"
FORMAT_VERSION = 1
COMPACT_MIN_LINES = 10_000
"""The journal is folded into state.json once it has more lines than this and than the
number of items stored."""
log = logging.getLogger("emulator.snapshot")


class SnapshotError(ValueError):
    """The snapshot file cannot be used; says which file and why."""


def _pool(backend: AwsBackend) -> Any:
    from moto.cognitoidp.models import cognitoidp_backends

    return cognitoidp_backends[ACCOUNT_ID][backend.region].user_pools[backend.user_pool_id]


def capture(backend: AwsBackend) -> dict[str, Any]:
    dynamodb = backend.local_client("dynamodb")
    tables = {}
    for logical, physical in backend.table_names.items():
        items: list[dict[str, Any]] = []
        for page in dynamodb.get_paginator("scan").paginate(TableName=physical):
            items.extend(page["Items"])
        tables[logical] = items
    return {"version": FORMAT_VERSION, "tables": tables, "users": capture_users(backend)}


def capture_users(backend: AwsBackend) -> list[dict[str, Any]]:
    from emulator.moto_internals import MOTO_LOCK

    with MOTO_LOCK:
        return [
            {
                "sub": user.id,
                "password": user.password,
                "status": str(user.status.value if hasattr(user.status, "value") else user.status),
                "enabled": user.enabled,
                "attributes": [a for a in user.attributes if a["Name"] != "sub"],
                "groups": sorted(group.group_name for group in user.groups),
            }
            for user in list(_pool(backend).users.values())
        ]


def save(backend: AwsBackend, data_dir: Path) -> Path:
    """A full state.json (and an empty journal): O(everything), used for compaction."""
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / SNAPSHOT_NAME
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(capture(backend)))
    os.replace(temporary, target)
    (data_dir / JOURNAL_NAME).write_text("")
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
    tables, users, replayed = _replay_journal(
        data_dir / JOURNAL_NAME, state.get("tables", {}), state.get("users", [])
    )
    _restore_tables(backend, tables)
    _restore_users(backend, users)
    snapshot_files.restore(backend, data_dir)
    if replayed:
        save(backend, data_dir)
    return True


def _key_id(key: dict[str, Any]) -> str:
    return json.dumps(key, sort_keys=True, separators=(",", ":"))


def _item_key(item: dict[str, Any], key_names: tuple[str, ...]) -> str:
    return _key_id({name: item[name] for name in key_names if name in item})


def _replay_journal(
    journal: Path, tables: dict[str, list[dict[str, Any]]], users: list[dict[str, Any]]
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]], int]:
    """The state with the journal's lines applied in order; (tables, users, lines used)."""
    if not journal.exists():
        return tables, users, 0
    import chatspec

    keys = {
        t.name: tuple(k.name for k in (t.hash_key, t.range_key) if k is not None)
        for t in chatspec.TABLES
    }
    by_key: dict[str, dict[str, dict[str, Any]]] = {
        logical: {_item_key(item, keys.get(logical, ())): item for item in items}
        for logical, items in tables.items()
    }
    used = 0
    with journal.open() as lines:
        for number, line in enumerate(lines, 1):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                log.warning(
                    "%s line %d is incomplete (a crash mid-write?); ignored", journal, number
                )
                continue
            used += 1
            if "users" in entry:
                users = entry["users"]
                continue
            table = by_key.setdefault(entry["table"], {})
            if entry.get("item") is None:
                table.pop(_key_id(entry["key"]), None)
            else:
                table[_key_id(entry["key"])] = entry["item"]
    return {logical: list(items.values()) for logical, items in by_key.items()}, users, used


def _restore_tables(backend: AwsBackend, tables: dict[str, list[dict[str, Any]]]) -> None:
    dynamodb = backend.local_client("dynamodb")
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


class Journal:
    """Which items changed since the last flush, and the append-only file they go to."""

    def __init__(self, backend: AwsBackend, data_dir: Path) -> None:
        self._backend = backend
        self._data_dir = data_dir
        self._logical = {physical: logical for logical, physical in backend.table_names.items()}
        self._dirty: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._users: list[dict[str, Any]] | None = None
        self._remove: Any = None
        self.lines = 0

    def start(self) -> None:
        from emulator import moto_internals

        self._users = capture_users(self._backend)
        self._remove = moto_internals.add_item_listener(self._changed)

    def stop(self) -> None:
        if self._remove is not None:
            self._remove()
            self._remove = None

    def _changed(self, table: str, key: dict[str, Any]) -> None:
        if table in self._logical:
            with self._lock:
                self._dirty[(table, _key_id(key))] = key

    def flush(self) -> int:
        """Append the current value of every changed item (and the users, if changed)."""
        from emulator import moto_internals

        with self._lock:
            dirty, self._dirty = self._dirty, {}
        wanted = [(table, key) for (table, _), key in dirty.items()]
        entries = [
            {"table": self._logical[table], "key": key, "item": item}
            for (table, key), item in zip(
                wanted, moto_internals.read_items(self._backend.region, wanted), strict=True
            )
        ]
        users = capture_users(self._backend)
        if users != self._users:
            entries.append({"users": users})
            self._users = users
        if entries:
            self._data_dir.mkdir(parents=True, exist_ok=True)
            with (self._data_dir / JOURNAL_NAME).open("a") as journal:
                journal.write("".join(json.dumps(e, separators=(",", ":")) + "\n" for e in entries))
                journal.flush()
                os.fsync(journal.fileno())
            self.lines += len(entries)
        return len(entries)

    def compact_if_long(self) -> bool:
        from emulator import moto_internals

        if self.lines <= COMPACT_MIN_LINES or self.lines <= moto_internals.item_count(
            self._backend.region, list(self._logical)
        ):
            return False
        save(self._backend, self._data_dir)
        self.lines = 0
        return True


class PeriodicSnapshot:
    """Journals changed items every `interval_seconds` on a daemon thread, and on `stop()`.

    With no snapshot yet (a new `--data-dir`), the first step writes a full one.
    """

    def __init__(self, backend: AwsBackend, data_dir: Path, interval_seconds: float = 30) -> None:
        self._backend = backend
        self._data_dir = data_dir
        self._interval = interval_seconds
        self.journal = Journal(backend, data_dir)
        self.objects = snapshot_files.ObjectJournal(backend, data_dir)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="snapshot", daemon=True)

    def start(self) -> None:
        self.journal.start()
        self.objects.start()
        if not (self._data_dir / SNAPSHOT_NAME).exists():
            save(self._backend, self._data_dir)
        self._thread.start()

    def step(self) -> None:
        self.journal.flush()
        self.objects.flush()
        self.journal.compact_if_long()

    def _run(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self.step()
            except Exception:
                log.exception("snapshot to %s failed", self._data_dir)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self.journal.flush()
        self.objects.flush()
        self.journal.stop()
        self.objects.stop()
