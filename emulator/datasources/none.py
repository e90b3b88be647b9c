"""The NONE data source: the request's `payload` becomes `$ctx.result` unchanged."""

from __future__ import annotations

from typing import Any

from emulator.datasources.base import DataSourceError


class NoneDataSource:
    def invoke(self, request: Any) -> Any:
        if not isinstance(request, dict):
            raise DataSourceError(
                "a NONE data source request must be a JSON object", "MappingTemplate"
            )
        return request.get("payload")
