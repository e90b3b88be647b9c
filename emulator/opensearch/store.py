"""The stand-in's state and the operations its HTTP routes call, under one lock."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from emulator.opensearch.errors import OpenSearchError, bad_request, index_not_found
from emulator.opensearch.index import Index, validate_index_name
from emulator.opensearch.mapping import parse_mapping
from emulator.opensearch.search import execute_search

BULK_ACTIONS = ("index", "create", "delete")


class Store:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._indices: dict[str, Index] = {}

    def index_exists(self, name: str) -> bool:
        with self._lock:
            return name in self._indices

    def create_index(self, name: str, body: dict[str, Any] | None) -> dict[str, Any]:
        validate_index_name(name)
        body = body or {}
        unknown = set(body) - {"settings", "mappings", "aliases"}
        if unknown:
            raise bad_request(
                f"unknown key [{sorted(unknown)[0]}] for create index", "parse_exception"
            )
        mapping = parse_mapping(body.get("mappings"))
        with self._lock:
            existing = self._indices.get(name)
            if existing is not None:
                raise OpenSearchError(
                    400,
                    "resource_already_exists_exception",
                    f"index [{name}/{existing.uuid}] already exists",
                    index=name,
                    index_uuid=existing.uuid,
                )
            self._indices[name] = Index(name, mapping)
        return {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _index(self, name: str) -> Index:
        index = self._indices.get(name)
        if index is None:
            raise index_not_found(name)
        return index

    def delete_document(self, name: str, doc_id: str) -> dict[str, Any]:
        with self._lock:
            result = self._index(name).delete(doc_id)
        status = result.pop("status")
        return {"status": status, **result}

    def search(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return execute_search(self._index(name), body)

    def bulk(self, default_index: str | None, payload: bytes) -> dict[str, Any]:
        started = time.monotonic()
        operations = _parse_bulk(default_index, payload)
        items = []
        with self._lock:
            for op, meta, source in operations:
                items.append({op: self._bulk_item(op, meta, source)})
        errors = any("error" in item[op] for item in items for op in item)
        return {"took": int((time.monotonic() - started) * 1000), "errors": errors, "items": items}

    def _bulk_item(self, op: str, meta: dict[str, Any], source: Any) -> dict[str, Any]:
        name, doc_id = meta["_index"], meta.get("_id")
        try:
            if op == "delete":
                return self._index(name).delete(str(doc_id))
            index = self._indices.get(name)
            if index is None:
                validate_index_name(name)
                index = self._indices[name] = Index(name, parse_mapping(None))
            return index.put(
                None if doc_id is None else str(doc_id), source, create_only=op == "create"
            )
        except OpenSearchError as error:
            item = {"_index": name, "_id": doc_id, "status": error.status, "error": error.cause()}
            if error.error_type == "index_not_found_exception":
                item["error"] = {**error.cause(), "index": name}
            return item


def _parse_bulk(default_index: str | None, payload: bytes) -> list[tuple[str, dict[str, Any], Any]]:
    if not payload.strip():
        raise bad_request("request body is required", "parse_exception")
    if not payload.endswith(b"\n"):
        raise bad_request("The bulk request must be terminated by a newline [\\n]")
    lines = payload.decode("utf-8").split("\n")[:-1]
    operations, position = [], 0
    while position < len(lines):
        line_number = position + 1
        line = lines[position].strip()
        position += 1
        if not line:
            continue
        try:
            action = json.loads(line)
        except json.JSONDecodeError:
            raise bad_request(
                f"Malformed action/metadata line [{line_number}], expected START_OBJECT",
                "parse_exception",
            ) from None
        if not isinstance(action, dict) or len(action) != 1:
            raise bad_request(
                f"Malformed action/metadata line [{line_number}], expected one action"
            )
        op, meta = next(iter(action.items()))
        if op not in BULK_ACTIONS:
            raise bad_request(
                f"Malformed action/metadata line [{line_number}], expected one of"
                f" {list(BULK_ACTIONS)} but found [{op}] (the stand-in serves only these)"
            )
        meta = dict(meta or {})
        meta.setdefault("_index", default_index)
        if not meta["_index"]:
            raise bad_request(
                "Validation Failed: 1: index is missing;", "action_request_validation_exception"
            )
        if op == "delete" and meta.get("_id") is None:
            raise bad_request(
                "Validation Failed: 1: id is missing;", "action_request_validation_exception"
            )
        source = None
        if op != "delete":
            if position >= len(lines):
                raise bad_request(
                    f"Validation Failed: 1: no source for [{op}] at line [{line_number}];",
                    "action_request_validation_exception",
                )
            try:
                source = json.loads(lines[position])
            except json.JSONDecodeError:
                raise bad_request(
                    f"failed to parse source at line [{position + 1}]", "mapper_parsing_exception"
                ) from None
            position += 1
        operations.append((op, meta, source))
    return operations
