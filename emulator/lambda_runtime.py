"""The emulator's Lambda service: each function runs from the built artifact in worker
processes of its own, with only the environment its deployed function has.

A worker is `python -I -S emulator/lambda_bootstrap.py`: its import path is the function's
unpacked code archive, the unpacked layer and the runtime stand-in (boto3, as the Lambda
Python runtime provides it), so local and deployed execute the same bytes and a missing
dependency fails here as it would on AWS. Like Lambda, one worker serves one invocation
at a time and stays warm between invocations; concurrent invocations start more workers,
up to `max_workers` (2 by default: a warm worker answers in milliseconds while a cold start
costs about half a second of CPU, so on a 2-core machine a burst queues on warm workers
rather than starving the emulator with cold starts, as the authorization matrix's 300
concurrent requests showed); a timeout kills the worker. `FunctionHandle.metrics` counts what
CloudWatch's `AWS/Lambda` namespace would: `Invocations` and `Errors` (function errors:
unhandled exceptions, init failures, timeouts), the metric the stack's alarms watch.

`LambdaService.function(spec, environment)` returns the handle for a (function,
environment) pair, reusing warm workers when the pair was seen before, so hundreds of
in-process API tests share a few warm workers and two APIs in one process never share one.
"""

from __future__ import annotations

import collections
import contextlib
import json
import logging
import os
import select
import subprocess
import sys
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artifact import Artifact
from artifact.targets import LAMBDA_RUNTIME
from emulator.lambda_bootstrap import read_frame, write_frame

BOOTSTRAP = Path(__file__).resolve().parent / "lambda_bootstrap.py"
INIT_TIMEOUT_SECONDS = 60.0
log = logging.getLogger("emulator.lambda")


class FunctionError(Exception):
    """A function error as Lambda reports it: `error_type` and `message`."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass(frozen=True)
class FunctionConfig:
    name: str
    handler: str
    timeout_seconds: int
    memory_mb: int
    environment: tuple[tuple[str, str], ...]
    region: str
    account_id: str
    niceness: int = 0
    """Above 0 for background consumers (event pipes, bus rule targets): their workers run
    at a lower CPU priority, so they never take the CPU from request handling."""

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.name}"


def runtime_environment(config: FunctionConfig) -> dict[str, str]:
    """Variables the Lambda runtime itself sets in every execution environment."""
    return {
        "AWS_LAMBDA_FUNCTION_NAME": config.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(config.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{config.name}",
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{LAMBDA_RUNTIME}",
        "AWS_REGION": config.region,
        "AWS_DEFAULT_REGION": config.region,
        "_HANDLER": config.handler,
        "TZ": ":UTC",
        "LANG": "en_US.UTF-8",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "PYTHONUNBUFFERED": "1",
    }


class _Worker:
    """One execution environment: a process that imported the handler once."""

    def __init__(self, config: FunctionConfig, path: list[str], runtime_path: list[str]) -> None:
        self.config = config
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()
        settings = {
            "handler": config.handler,
            "path": path,
            "runtimePath": runtime_path,
            "inFd": to_child_read,
            "outFd": from_child_write,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", str(BOOTSTRAP), json.dumps(settings)],
            env={**runtime_environment(config), **dict(config.environment)},
            pass_fds=(to_child_read, from_child_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=path[0],
        )
        os.close(to_child_read)
        os.close(from_child_write)
        if config.niceness:  # a courtesy: the worker runs either way
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.process.pid, config.niceness)
        self.log_stream = f"local/{uuid.uuid4().hex}"
        threading.Thread(target=self._forward_logs, daemon=True).start()
        init = self._receive(INIT_TIMEOUT_SECONDS)
        if init is None or init.get("init") != "ok":
            error = (init or {}).get("error") or {
                "errorType": "Runtime.ExitError",
                "errorMessage": f"{config.name}: the runtime exited during init",
            }
            self.stop()
            raise FunctionError(error["errorType"], error["errorMessage"])

    def _forward_logs(self) -> None:
        logger = logging.getLogger(f"emulator.lambda.{self.config.name}")
        assert self.process.stdout is not None
        for line in self.process.stdout:
            logger.info("%s", line.decode(errors="replace").rstrip())

    def _receive(self, timeout: float) -> dict | None:
        ready, _, _ = select.select([self._from_child], [], [], timeout)
        if not ready:
            return None
        return read_frame(self._from_child)

    def invoke(self, event: Any) -> Any:
        config = self.config
        request_id = str(uuid.uuid4())
        frame = {
            "event": event,
            "requestId": request_id,
            "functionName": config.name,
            "functionArn": config.arn,
            "memoryMb": config.memory_mb,
            "timeoutSeconds": config.timeout_seconds,
            "logGroupName": f"/aws/lambda/{config.name}",
            "logStreamName": self.log_stream,
        }
        try:
            write_frame(self._to_child, frame)
        except OSError:
            self.stop()
            raise FunctionError("Runtime.ExitError", f"{config.name}: the runtime exited") from None
        answer = self._receive(config.timeout_seconds)
        if answer is None:
            alive = self.process.poll() is None
            self.stop()
            if alive:
                raise FunctionError(
                    "Sandbox.Timedout",
                    f"RequestId: {request_id} Error: Task timed out after "
                    f"{config.timeout_seconds:.2f} seconds",
                )
            raise FunctionError("Runtime.ExitError", f"{config.name}: the runtime exited")
        if "error" in answer:
            error = answer["error"]
            raise FunctionError(error["errorType"], error["errorMessage"])
        return answer["result"]

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@dataclass
class Metrics:
    invocations: int = 0
    errors: int = 0


@dataclass
class FunctionHandle:
    """Callable like a handler (`handle(event, context)`; the context is made per
    invocation inside the worker, as Lambda does); raises FunctionError."""

    config: FunctionConfig
    path: list[str]
    runtime_path: list[str]
    max_workers: int = 2
    metrics: Metrics = field(default_factory=Metrics)

    def __post_init__(self) -> None:
        self._idle: collections.deque[_Worker] = collections.deque()
        self._busy = 0
        self._condition = threading.Condition()
        self._stopped = False

    def __call__(self, event: Any, context: Any = None) -> Any:
        return self.invoke(event)

    def invoke(self, event: Any) -> Any:
        event = json.loads(json.dumps(event))
        with self._condition:
            self.metrics.invocations += 1
        try:
            worker = self._acquire()
        except FunctionError:
            self._count_error()
            raise
        try:
            return worker.invoke(event)
        except FunctionError:
            self._count_error()
            raise
        finally:
            self._release(worker)

    def _count_error(self) -> None:
        with self._condition:
            self.metrics.errors += 1

    def _acquire(self) -> _Worker:
        with self._condition:
            while True:
                if self._stopped:
                    raise FunctionError("Runtime.ExitError", f"{self.config.name} was stopped")
                while self._idle:
                    worker = self._idle.popleft()
                    if worker.alive:
                        self._busy += 1
                        return worker
                if self._busy < self.max_workers:
                    self._busy += 1
                    break
                self._condition.wait()
        try:
            return _Worker(self.config, self.path, self.runtime_path)
        except BaseException:
            with self._condition:
                self._busy -= 1
                self._condition.notify()
            raise

    def _release(self, worker: _Worker) -> None:
        with self._condition:
            self._busy -= 1
            if worker.alive and not self._stopped:
                self._idle.append(worker)
            else:
                worker.stop()
            self._condition.notify()

    def warm(self) -> None:
        """Start one worker now (Lambda's init) instead of at the first invocation; an init
        failure is left for the first invocation to report."""
        try:
            worker = self._acquire()
        except FunctionError:
            return
        self._release(worker)

    def release_idle(self) -> None:
        """Stop the warm workers; the next invocation starts a cold one."""
        with self._condition:
            workers = list(self._idle)
            self._idle.clear()
        for worker in workers:
            worker.stop()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            workers = list(self._idle)
            self._idle.clear()
            self._condition.notify_all()
        for worker in workers:
            worker.stop()


class LambdaService:
    """Function handles by (function, environment), built from one artifact."""

    def __init__(
        self,
        artifact: Artifact,
        runtime_path: Path,
        *,
        region: str,
        account_id: str,
        max_cached: int = 12,
    ) -> None:
        self.artifact = artifact
        self.runtime_path = runtime_path
        self.region = region
        self.account_id = account_id
        self.max_cached = max_cached
        self._handles: collections.OrderedDict[FunctionConfig, FunctionHandle] = (
            collections.OrderedDict()
        )
        self._lock = threading.Lock()

    def function(
        self,
        name: str,
        environment: Mapping[str, str],
        *,
        timeout_seconds: int,
        memory_mb: int,
        deployed_name: str | None = None,
        niceness: int = 0,
    ) -> FunctionHandle:
        config = FunctionConfig(
            name=deployed_name or name,
            handler=f"functions.{name}.handler.handler",
            timeout_seconds=timeout_seconds,
            memory_mb=memory_mb,
            environment=tuple(sorted((k, str(v)) for k, v in environment.items())),
            region=self.region,
            account_id=self.account_id,
            niceness=niceness,
        )
        with self._lock:
            handle = self._handles.pop(config, None)
            if handle is None:
                handle = FunctionHandle(
                    config,
                    [str(self.artifact.function_path(name)), str(self.artifact.layer_path)],
                    [str(self.runtime_path)],
                )
            self._handles[config] = handle
            evicted = []
            while len(self._handles) > self.max_cached:
                _, old = self._handles.popitem(last=False)
                evicted.append(old)
        for old in evicted:
            old.release_idle()
        return handle

    def stop(self) -> None:
        with self._lock:
            handles = list(self._handles.values())
            self._handles.clear()
        for handle in handles:
            handle.stop()
