"""DynamoDB Time to Live for the emulator, which moto records but never acts on.

AWS deletes an item some time after the epoch seconds in its table's TTL attribute have
passed (typically within two days, `chatspec.aws_limits.DYNAMODB_TTL_DELETION_DELAY`); the
deletion is a REMOVE on the table's stream whose `userIdentity` names DynamoDB's TTL service
(`DYNAMODB_TTL_STREAM_IDENTITY`): the search indexer drops the message like any other
removal, and a mapping that filters on the identity (the uploads cleanup) sees TTL's
deletions only. `sweep(now)` does the same here: every item of every chatspec table with a
`ttl_attribute` whose value is a number below `now` (found by one pass over moto's items,
`moto_internals.expired_keys`, not a Scan) is deleted, each with a condition that
it is still expired (a write that extended it meanwhile keeps it), inside
`moto_internals.ttl_deletions()` so that its stream record carries that identity (the client
must be in-process: the engine's or `mock_aws`'s, as both callers' are).
Tests call `sweep` with the instant they want (`LocalApi.expire_ttl`): deterministic, no
sleeping; the running emulator sweeps on a timer (`TtlSweeper`) with the real clock.

Written by hand because moto has no TTL process and no library provides one for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from chatspec import TABLES
from emulator import foreground, moto_internals

SWEEP_SECONDS = 60.0
"""How often the running emulator deletes expired items (AWS gives no exact schedule)."""


def sweep(dynamodb: Any, table_names: dict[str, str], now: float | None = None) -> dict[str, int]:
    """Delete every expired item of the TTL tables; returns the number deleted per table."""
    instant = int(time.time() if now is None else now)
    deleted: dict[str, int] = {}
    for table in TABLES:
        if not table.ttl_attribute or table.name not in table_names:
            continue
        deleted[table.name] = _sweep_table(
            dynamodb, table_names[table.name], table.ttl_attribute, instant
        )
    return deleted


def _sweep_table(dynamodb: Any, name: str, attribute: str, now: int) -> int:
    count = 0
    for key in moto_internals.expired_keys(dynamodb.meta.region_name, name, attribute, now):
        try:
            with moto_internals.ttl_deletions():
                dynamodb.delete_item(
                    TableName=name,
                    Key=key,
                    ConditionExpression="#ttl < :now",
                    ExpressionAttributeNames={"#ttl": attribute},
                    ExpressionAttributeValues={":now": {"N": str(now)}},
                )
            count += 1
        except dynamodb.exceptions.ConditionalCheckFailedException:
            continue
    return count


class TtlSweeper:
    """Sweeps every `interval` seconds on a daemon thread until `stop()`."""

    def __init__(
        self,
        dynamodb: Any,
        table_names: dict[str, str],
        interval: float = SWEEP_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.dynamodb = dynamodb
        self.table_names = table_names
        self.interval = interval
        self.clock = clock
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ttl-sweeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def sweep_at(self, now: float, tables: Sequence[str] | None = None) -> dict[str, int]:
        """One sweep as of `now` (epoch seconds), on the caller's thread (a test's clock), of
        the TTL tables named (logical names; all of them by default)."""
        if tables is None:
            return sweep(self.dynamodb, self.table_names, now)
        unknown = sorted(set(tables) - set(self.table_names))
        if unknown:
            raise KeyError(f"no tables {unknown}; known: {sorted(self.table_names)}")
        return sweep(self.dynamodb, {t: self.table_names[t] for t in tables}, now)

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            foreground.SHARED.wait_turn()
            sweep(self.dynamodb, self.table_names, self.clock())

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
