"""What a data source reports when its request fails."""

from __future__ import annotations

from typing import Any


class DataSourceError(Exception):
    """A failed data-source call: `$ctx.error` gets message and type, `$ctx.result` result.

    AppSync still fills `$ctx.result` for some failures (the current item after a failed
    condition, the cancellation reasons of a cancelled transaction).
    """

    def __init__(self, message: str, error_type: str, result: Any = None, data: Any = None):
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.result = result
        self.data = data

    def as_context_error(self) -> dict[str, Any]:
        return {"message": self.message, "type": self.error_type}
