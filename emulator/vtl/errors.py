"""Control flow that must cross airspeed's evaluation layers.

airspeed wraps every `Exception` raised while evaluating an element into a
`TemplateExecutionError`; these derive from `BaseException` so that `#return`, `#break`
and `$util.error` leave the template untouched by that wrapping, as they do in AppSync.
"""

from __future__ import annotations

from typing import Any


class TemplateSignal(BaseException):
    """Base for non-local exits out of a template."""


class ReturnSignal(TemplateSignal):
    """`#return` / `#return(value)`: the template ends and `value` becomes its result."""

    def __init__(self, value: Any = None, has_value: bool = False) -> None:
        super().__init__("#return")
        self.value = value
        self.has_value = has_value


class BreakSignal(TemplateSignal):
    """`#break`: leaves the innermost `#foreach` (or the template outside any loop)."""


class AppSyncErrorFields:
    """The parts of an AppSync field error: message, errorType, data, errorInfo.

    Mixed into `UtilError` here and into the engine's `FieldError`, which carries a
    `UtilError` out to the GraphQL response.
    """

    def __init__(
        self,
        message: str,
        error_type: str | None = None,
        data: Any = None,
        error_info: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.error_type = error_type
        self.data = data
        self.error_info = error_info


class UtilError(AppSyncErrorFields, TemplateSignal):
    """`$util.error(...)`/`$util.unauthorized()`: the template stops, the field errors."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "errorType": self.error_type,
            "data": self.data,
            "errorInfo": self.error_info,
        }


class TemplateError(Exception):
    """A template that cannot be parsed, evaluated or whose output is not JSON."""

    error_type = "MappingTemplate"
