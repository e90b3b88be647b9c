"""Lambda data sources: the event AppSync sends, to a handler; the emulator's handlers are
`emulator.lambda_runtime.FunctionHandle`s (the artifact, in worker processes)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from emulator.datasources.base import DataSourceError
from emulator.lambda_runtime import FunctionError

Handler = Callable[[dict[str, Any], Any], Any]


class LambdaContext:
    """The attributes of the Lambda context object that Powertools and handlers read."""

    def __init__(
        self,
        function_name: str,
        timeout_seconds: int = 10,
        memory_mb: int = 256,
        region: str = "us-east-1",
        account_id: str = "123456789012",
    ) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:{region}:{account_id}:function:{function_name}"
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = f"local/{self.aws_request_id}"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class LambdaDataSource:
    def __init__(
        self, function_name: str, handler: Handler, timeout_seconds: int = 10, memory_mb: int = 256
    ) -> None:
        self.function_name = function_name
        self.handler = handler
        self.timeout_seconds = timeout_seconds
        self.memory_mb = memory_mb

    def call(self, event: Any) -> Any:
        """Run the handler; a function error keeps Lambda's errorType (for a handler run in
        process, the exception's class name, as the Python runtime reports it)."""
        context = LambdaContext(self.function_name, self.timeout_seconds, self.memory_mb)
        try:
            return self.handler(event, context)
        except FunctionError as exc:
            raise DataSourceError(exc.message, exc.error_type) from exc
        except Exception as exc:
            raise DataSourceError(str(exc), type(exc).__name__) from exc

    def invoke(self, request: Any) -> Any:
        """A template-driven invocation: `{"operation": "Invoke", "payload": ...}`."""
        if not isinstance(request, dict) or request.get("operation") not in (
            "Invoke",
            "BatchInvoke",
        ):
            raise DataSourceError(
                "a Lambda request needs operation Invoke or BatchInvoke", "MappingTemplate"
            )
        return self.call(request.get("payload"))
