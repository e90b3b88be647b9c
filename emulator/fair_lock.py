"""A first-come, first-served lock: threads get it in the order they asked for it.

`threading.Lock` promises no order; under load a thread that releases and re-acquires
at once usually wins again, so some callers wait for seconds while others go round
many times (the emulator's clients timed out that way). Here each waiter parks on its
own lock and the releasing thread hands ownership directly to the oldest waiter.

The owner may acquire again (the count is kept): a moto request that reaches moto
again on the same thread must not deadlock itself.
"""

from __future__ import annotations

import threading
from collections import deque
from types import TracebackType


class FairLock:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._waiters: deque[tuple[int, threading.Lock]] = deque()
        self._owner: int | None = None
        self._depth = 0

    def acquire(self) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return
            if self._owner is None and not self._waiters:
                self._owner, self._depth = me, 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append((me, turn))
        turn.acquire()  # the releasing thread made us the owner before releasing `turn`

    def release(self) -> None:
        me = threading.get_ident()
        with self._mutex:
            if self._owner != me:
                raise RuntimeError("FairLock released by a thread that does not hold it")
            self._depth -= 1
            if self._depth:
                return
            if self._waiters:
                self._owner, turn = self._waiters.popleft()
                self._depth = 1
                turn.release()
            else:
                self._owner = None

    @property
    def held_here(self) -> bool:
        """Whether the calling thread owns the lock."""
        return self._owner == threading.get_ident()

    @property
    def waiting(self) -> int:
        """How many threads are queued behind the owner (for back-pressure and benches)."""
        return len(self._waiters)

    def __enter__(self) -> FairLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()
