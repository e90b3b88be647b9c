"""API requests first: the emulator's background work waits for a quiet moment.

In AWS the stream readers, Pipes, EventBridge targets and S3 notifications that follow a
write run on other machines than AppSync, so they never slow the request that caused
them. Here they share two cores and one GIL with the API: measured with py-spy over
back-to-back sendMessage calls, the background threads held the GIL for 40 % of the
time, and each send waited for the indexer and the bus deliveries of the sends before it
(`bench/request_latency.py`: sendMessage p50 50 ms with background work running at once,
28 ms when it waits, in interleaved runs).

So every unit of background work (a stream read and its deliveries, one bus delivery, one
S3 notification, one TTL sweep) first calls `wait_turn`, which returns once no API
request has been running for `quiet_seconds`, or after `max_defer_seconds` at the latest,
so a steady stream of requests slows the background down but never stops it. Nothing is
reordered: each reader still handles its records in order, only later. AWS documents no
latency for these paths that a deferral of a quarter of a second would break (a Lambda
event source mapping's batching window alone may be up to 300 s).

No library does this: it is a scheduling decision about this process's own threads.
"""

from __future__ import annotations

import threading
import time

QUIET_SECONDS = 0.005
"""How long no API request may have run before background work starts: longer than a
client's turnaround between two sequential requests (well under a millisecond on
loopback), so a client sending one request after another is not interleaved with it."""
MAX_DEFER_SECONDS = 0.25
"""The longest one unit of background work waits, however busy the API is."""


class Foreground:
    """Counts the API requests running; background work waits for a quiet moment."""

    def __init__(
        self, quiet_seconds: float = QUIET_SECONDS, max_defer_seconds: float = MAX_DEFER_SECONDS
    ) -> None:
        self.quiet_seconds = quiet_seconds
        self.max_defer_seconds = max_defer_seconds
        self._condition = threading.Condition()
        self._running = 0
        self._quiet_since = time.monotonic()
        self.deferred = 0
        """Units of background work that found the API busy and waited (tests read it)."""

    @property
    def running(self) -> int:
        return self._running

    def begin(self) -> None:
        with self._condition:
            self._running += 1

    def end(self) -> None:
        with self._condition:
            self._running -= 1
            if not self._running:
                self._quiet_since = time.monotonic()
                self._condition.notify_all()

    def wait_turn(self) -> None:
        """Return once the API has been quiet for `quiet_seconds`, or after at most
        `max_defer_seconds`."""
        deadline = time.monotonic() + self.max_defer_seconds
        with self._condition:
            waited = False
            while True:
                now = time.monotonic()
                if now >= deadline:
                    break
                if self._running:
                    timeout = deadline - now
                else:
                    quiet_for = now - self._quiet_since
                    if quiet_for >= self.quiet_seconds:
                        break
                    timeout = min(self.quiet_seconds - quiet_for, deadline - now)
                waited = True
                self._condition.wait(timeout)
            if waited:
                self.deferred += 1


SHARED = Foreground()
"""The emulator's one instance: its API counts requests here, its background work waits
here (one process serves one API)."""
