"""AppSync's Lambda batching (`BatchInvoke`) for direct Lambda resolvers with a maxBatchSize.

What AppSync documents (Resolver `maxBatchSize`, 0..2000; "Using AWS Lambda resolvers",
batching): when a field's resolver has a maxBatchSize, the invocations of that field in one
request go to the function together: its event is a LIST of the contexts it would have
received one by one (`arguments`, `source`, `identity`, `info`, ...), at most maxBatchSize
per invocation, and it must answer a list of the same length, the i-th result for the i-th
context. Each result then goes through the resolver's response template on its own, so a
per-item `{"error": ...}` fails that field only; a function error, or an answer that is not
a list of the right length, fails every field of the batch.

How the emulator gets the batch: graphql-core runs resolvers that return awaitables
concurrently, so a batched field returns a coroutine that registers its context with the
request's `Batcher` and waits. The batcher dispatches once the event loop has gone around
without a new registration (every sibling of a list has registered by then), in
registration order. Requests without a batched field never see an event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

QUIET_ROUNDS = 2
"""Loop iterations without a new registration before a batch goes out."""


@dataclass
class _Pending:
    event: dict[str, Any]
    future: asyncio.Future
    finish: Callable[[Any, Exception | None], Any]


@dataclass
class _Queue:
    size: int
    invoke: Callable[[list[dict[str, Any]]], Any]
    items: list[_Pending] = field(default_factory=list)
    seen: int = 0
    quiet: int = 0
    scheduled: bool = False


class BatchResponseError(Exception):
    """The function's answer to a BatchInvoke was not one result per context."""


class Batcher:
    """The batches of one GraphQL request, per resolver (`key`)."""

    def __init__(self) -> None:
        self._queues: dict[str, _Queue] = {}
        self.invocations: list[tuple[str, int]] = []
        """(resolver key, contexts in the batch) per invocation, for tests and benches."""

    async def submit(
        self,
        key: str,
        size: int,
        invoke: Callable[[list[dict[str, Any]]], Any],
        event: dict[str, Any],
        finish: Callable[[Any, Exception | None], Any],
    ) -> Any:
        """Queue `event`; resolves to `finish(result_i, error)` once its batch returned."""
        loop = asyncio.get_running_loop()
        queue = self._queues.setdefault(key, _Queue(size, invoke))
        pending = _Pending(event, loop.create_future(), finish)
        queue.items.append(pending)
        if not queue.scheduled:
            queue.scheduled = True
            loop.call_soon(self._tick, key)
        return await pending.future

    def _tick(self, key: str) -> None:
        queue = self._queues[key]
        if len(queue.items) != queue.seen:
            queue.seen, queue.quiet = len(queue.items), 0
        else:
            queue.quiet += 1
        if queue.quiet < QUIET_ROUNDS:
            asyncio.get_running_loop().call_soon(self._tick, key)
            return
        items, queue.items, queue.seen, queue.quiet = queue.items, [], 0, 0
        queue.scheduled = False
        for start in range(0, len(items), queue.size):
            self._dispatch(key, queue, items[start : start + queue.size])

    def _dispatch(self, key: str, queue: _Queue, chunk: list[_Pending]) -> None:
        self.invocations.append((key, len(chunk)))
        try:
            results = queue.invoke([p.event for p in chunk])
            if not isinstance(results, list) or len(results) != len(chunk):
                raise BatchResponseError(
                    f"a BatchInvoke of {len(chunk)} contexts must return a list of "
                    f"{len(chunk)} results, got {type(results).__name__}"
                    + (f" of {len(results)}" if isinstance(results, list) else "")
                )
        except Exception as error:  # the whole batch fails, each field with this error
            for pending in chunk:
                _settle(pending, None, error)
            return
        for pending, result in zip(chunk, results, strict=True):
            _settle(pending, result, None)


def _settle(pending: _Pending, result: Any, error: Exception | None) -> None:
    try:
        pending.future.set_result(pending.finish(result, error))
    except Exception as failure:
        pending.future.set_exception(failure)


def run_to_completion(awaitable: Awaitable[Any]) -> Any:
    """Run an execution that awaits batches, on a loop of its own (a fresh thread when the
    calling thread already runs a loop, e.g. an async test calling the engine directly)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_await(awaitable))
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _await(awaitable)).result()


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable
