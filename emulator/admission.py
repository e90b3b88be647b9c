"""Back-pressure for GraphQL work: served in arrival order, refused only past a bound.

Every query, mutation and subscription start runs on a fixed pool of worker threads whose
queue is first-in, first-out (`concurrent.futures.ThreadPoolExecutor`), so under load
requests wait their turn instead of racing for a lock, and each DynamoDB request inside
them again queues in arrival order for moto (`emulator.moto_internals.MOTO_LOCK`).

Past `max_waiting` requests already waiting, a new one is refused at once with
`Overloaded`, which the HTTP endpoint answers as status 429 with a `Retry-After` header and
a GraphQL error of errorType `LimitExceeded` (the real-time endpoint sends an `error` with
the same errorType). Why that shape: AppSync documents throttling only as the AWS common
error `ThrottlingException`, whose trigger (an account's request-rate quota) the emulator
does not model; what it refuses is its own queue depth, which is a limit being exceeded,
and `LimitExceeded` is already the errorType this API's clients handle. 429 is what every
HTTP client's retry logic (Amplify, gql, browsers) treats as "retry later".
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from emulator import foreground

DEFAULT_WORKERS = 4
"""Requests executing at once; more would only contend for the GIL and moto's lock."""
DEFAULT_MAX_WAITING = 2000
"""Requests that may wait behind the workers before new ones are refused (documented in
the README): a few seconds of work at the emulator's throughput, far more than the test
suite or a developer's clients put in flight."""
RETRY_AFTER_SECONDS = 1
SLOW_SECONDS = 5.0
"""A request this slow is logged: far beyond any request of the test suite or the benches
on an idle emulator, well inside the clients' timeouts (Playwright's 30 s steps, gql's)."""

T = TypeVar("T")
log = logging.getLogger(__name__)


class Overloaded(Exception):
    """The queue is full; the request was not started."""

    error_type = "LimitExceeded"

    def __init__(self, running: int, waiting: int) -> None:
        super().__init__(
            f"The emulator is busy: {running} requests are running and {waiting} are "
            f"waiting, the most it queues. Retry after {RETRY_AFTER_SECONDS} s."
        )


class Admission:
    def __init__(
        self,
        workers: int = DEFAULT_WORKERS,
        max_waiting: int = DEFAULT_MAX_WAITING,
        requests: foreground.Foreground = foreground.SHARED,
    ):
        self.workers = workers
        self.requests = requests
        """Where the requests running are counted, so background work can wait for a quiet
        moment (`emulator.foreground`)."""
        self.max_waiting = max_waiting
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="graphql")
        self._lock = threading.Lock()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    async def run(self, work: Callable[[], T], label: str = "request") -> T:
        """Run `work` on a worker thread once its turn comes; Overloaded if the queue is full.
        A request that took `SLOW_SECONDS` or more is logged with how long it waited and ran,
        so a client's timeout can be told apart from the emulator's queue."""
        enqueued = time.monotonic()
        started = [enqueued]

        def timed() -> T:
            started[0] = time.monotonic()
            return work()

        with self._lock:
            waiting = self._in_flight - self.workers
            if waiting >= self.max_waiting:
                raise Overloaded(self.workers, waiting)
            self._in_flight += 1
        self.requests.begin()
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, timed)
        finally:
            self.requests.end()
            with self._lock:
                self._in_flight -= 1
            finished = time.monotonic()
            if finished - enqueued >= SLOW_SECONDS:
                log.warning(
                    "slow %s: waited %.1f s for a worker, ran %.1f s (%d requests in flight)",
                    label,
                    started[0] - enqueued,
                    finished - started[0],
                    self._in_flight,
                )

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def overloaded_body(error: Overloaded) -> dict[str, Any]:
    return {"errors": [{"errorType": error.error_type, "message": str(error)}]}
