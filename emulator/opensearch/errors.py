"""OpenSearch's error shape, so opensearch-py raises what a real cluster would make it raise."""

from __future__ import annotations

from typing import Any


class OpenSearchError(Exception):
    def __init__(self, status: int, error_type: str, reason: str, **extra: Any) -> None:
        super().__init__(reason)
        self.status = status
        self.error_type = error_type
        self.reason = reason
        self.extra = extra

    def cause(self) -> dict[str, Any]:
        return {"type": self.error_type, "reason": self.reason, **self.extra}

    def body(self) -> dict[str, Any]:
        cause = self.cause()
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


def bad_request(reason: str, error_type: str = "illegal_argument_exception") -> OpenSearchError:
    return OpenSearchError(400, error_type, reason)


def index_not_found(index: str) -> OpenSearchError:
    return OpenSearchError(
        404,
        "index_not_found_exception",
        f"no such index [{index}]",
        index=index,
        **{"resource.type": "index_or_alias", "resource.id": index},
    )
