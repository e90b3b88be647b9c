"""The stand-in's state and the operations its HTTP routes call, under one lock.

Aliases behave as in OpenSearch: a name in a request is an index or an alias; a read
through an alias reads its index (the stand-in searches one index at a time, so an alias
read must point at exactly one); a write through an alias goes to its write index (the
only index, or the one with `is_write_index`); `POST /_aliases` applies all its actions
or none, and `remove_index` lets an alias take the name of the index it replaces.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from emulator.opensearch.errors import OpenSearchError, bad_request, index_not_found
from emulator.opensearch.index import MAX_VERSION, VERSION_TYPES, Index, validate_index_name
from emulator.opensearch.mapping import parse_mapping
from emulator.opensearch.search import execute_count, execute_search

BULK_ACTIONS = ("index", "create", "delete")
BULK_META_KEYS = {
    "_index",
    "_id",
    "routing",
    "version",
    "version_type",
    "if_seq_no",
    "if_primary_term",
    "require_alias",
    "pipeline",
}
ItemFault = Any  # callable(op, index name, doc id) -> (status, error type, reason) | None


def _validation(reason: str) -> OpenSearchError:
    return bad_request(f"Validation Failed: 1: {reason};", "action_request_validation_exception")


def write_versioning(op: str, meta: dict[str, Any]) -> tuple[int | None, str]:
    """(version, version_type) of one write, validated as OpenSearch's requests do."""
    version_type = str(meta.get("version_type", "internal")).lower()
    if version_type == "force":
        raise _validation("version type [force] may no longer be used")
    if version_type not in VERSION_TYPES:
        raise bad_request(f"No version type match [{version_type}]")
    version = meta.get("version")
    if version_type == "internal":
        if version is not None:
            raise _validation(
                "internal versioning can not be used for optimistic concurrency control."
                " Please use `if_seq_no` and `if_primary_term` instead"
            )
        return None, version_type
    if op == "create":
        raise _validation("create operations only support internal versioning. use index instead")
    if isinstance(version, bool) or not isinstance(version, int):
        shown = -3 if version is None else version
        raise _validation(
            f"illegal version value [{shown}] for version type [{version_type.upper()}]"
        )
    if not 0 <= version <= MAX_VERSION:
        raise _validation(
            f"illegal version value [{version}] for version type [{version_type.upper()}]"
        )
    return version, version_type


class Store:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._indices: dict[str, Index] = {}
        self._aliases: dict[str, dict[str, dict[str, Any]]] = {}
        self.item_fault: ItemFault = None

    # -- names -------------------------------------------------------------------------

    def index_exists(self, name: str) -> bool:
        with self._lock:
            return name in self._indices or name in self._aliases

    def _index(self, name: str) -> Index:
        """The one index `name` reads: an index, or an alias of exactly one index."""
        index = self._indices.get(name)
        if index is not None:
            return index
        members = self._aliases.get(name)
        if not members:
            raise index_not_found(name)
        if len(members) > 1:
            raise bad_request(
                f"alias [{name}] points to {len(members)} indices; the stand-in reads one"
                " index at a time"
            )
        return self._indices[next(iter(members))]

    def _write_index(self, name: str) -> Index | None:
        """Where a write to `name` goes; None when no such index or alias exists."""
        index = self._indices.get(name)
        if index is not None:
            return index
        members = self._aliases.get(name)
        if not members:
            return None
        if len(members) == 1:
            only = next(iter(members))
            if members[only].get("is_write_index") is not False:
                return self._indices[only]
        writers = [i for i, options in members.items() if options.get("is_write_index") is True]
        if len(writers) != 1:
            raise bad_request(
                f"no write index is defined for alias [{name}]. The write index may be"
                " explicitly disabled using is_write_index=false or the alias points to"
                " multiple indices without one being designated as a write index"
            )
        return self._indices[writers[0]]

    # -- indices -----------------------------------------------------------------------

    def create_index(self, name: str, body: dict[str, Any] | None) -> dict[str, Any]:
        validate_index_name(name)
        body = body or {}
        unknown = set(body) - {"settings", "mappings", "aliases"}
        if unknown:
            raise bad_request(
                f"unknown key [{sorted(unknown)[0]}] for create index", "parse_exception"
            )
        mapping = parse_mapping(body.get("mappings"))
        aliases = body.get("aliases") or {}
        if not isinstance(aliases, dict):
            raise bad_request("[aliases] must be an object", "parse_exception")
        settings = body.get("settings") or {}
        gc_deletes = _gc_deletes_seconds(settings)
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
            if name in self._aliases:
                raise OpenSearchError(
                    400,
                    "invalid_index_name_exception",
                    f"Invalid index name [{name}], already exists as alias",
                    index=name,
                )
            for alias in aliases:
                if alias in self._indices or alias == name:
                    raise _alias_name_taken(alias)
            index = Index(name, mapping)
            if gc_deletes is not None:
                index.gc_deletes_seconds = gc_deletes
            self._indices[name] = index
            for alias, options in aliases.items():
                self._aliases.setdefault(alias, {})[name] = dict(options or {})
        return {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def delete_index(self, name: str) -> dict[str, Any]:
        with self._lock:
            if name not in self._indices:
                raise index_not_found(name)
            self._drop_index(name)
        return {"acknowledged": True}

    def _drop_index(self, name: str) -> None:
        del self._indices[name]
        for alias in list(self._aliases):
            self._aliases[alias].pop(name, None)
            if not self._aliases[alias]:
                del self._aliases[alias]

    def put_mapping(self, name: str, body: dict[str, Any] | None) -> dict[str, Any]:
        """Add fields to the mapping of `name` (an index or every index of an alias)."""
        addition = parse_mapping({**(body or {}), "dynamic": (body or {}).get("dynamic", "true")})
        with self._lock:
            targets = self._targets(name)
            for index in targets:
                for path, spec in addition.fields.items():
                    known = index.mapping.fields.get(path)
                    if known is not None and known.type != spec.type:
                        raise bad_request(
                            f"mapper [{path}] cannot be changed from type [{known.type}]"
                            f" to [{spec.type}]"
                        )
            for index in targets:
                index.mapping.fields.update(addition.fields)
                if body and "dynamic" in body:
                    index.mapping.dynamic = addition.dynamic
        return {"acknowledged": True}

    def _targets(self, name: str) -> list[Index]:
        if name in self._indices:
            return [self._indices[name]]
        if name in self._aliases:
            return [self._indices[i] for i in self._aliases[name]]
        raise index_not_found(name)

    def refresh(self, name: str) -> dict[str, Any]:
        with self._lock:
            count = len(self._targets(name))
        return {"_shards": {"total": count, "successful": count, "failed": 0}}

    # -- aliases -----------------------------------------------------------------------

    def get_alias(self, name: str | None) -> dict[str, Any]:
        with self._lock:
            if name is None:
                listed: dict[str, Any] = {i: {"aliases": {}} for i in self._indices}
                for alias, members in self._aliases.items():
                    for index, options in members.items():
                        listed[index]["aliases"][alias] = dict(options)
                return listed
            members = self._aliases.get(name)
            if not members:
                raise OpenSearchError(404, "aliases_not_found_exception", f"alias [{name}] missing")
            return {index: {"aliases": {name: dict(o)}} for index, o in members.items()}

    def update_aliases(self, body: dict[str, Any] | None) -> dict[str, Any]:
        actions = (body or {}).get("actions")
        if not isinstance(actions, list) or not actions:
            raise _validation("no actions specified")
        with self._lock:
            indices = dict(self._indices)
            aliases = {a: dict(m) for a, m in self._aliases.items()}
            for entry in actions:
                if not isinstance(entry, dict) or len(entry) != 1:
                    raise bad_request(
                        "[aliases] each action must hold one of add, remove, remove_index"
                    )
                kind, spec = next(iter(entry.items()))
                spec = dict(spec or {})
                index = spec.get("index")
                if kind not in ("add", "remove", "remove_index") or not isinstance(index, str):
                    raise bad_request(f"[aliases] unknown action [{kind}] or missing [index]")
                if index not in indices:
                    raise index_not_found(index)
                if kind == "remove_index":
                    del indices[index]
                    for members in aliases.values():
                        members.pop(index, None)
                    continue
                alias = spec.get("alias")
                if not isinstance(alias, str) or not alias:
                    raise _validation("[alias] is required")
                if kind == "add":
                    options = {k: v for k, v in spec.items() if k == "is_write_index"}
                    aliases.setdefault(alias, {})[index] = options
                elif index in aliases.get(alias, {}):
                    del aliases[alias][index]
                elif spec.get("must_exist") is not False:
                    raise OpenSearchError(
                        404, "aliases_not_found_exception", f"aliases [{alias}] missing"
                    )
            aliases = {a: m for a, m in aliases.items() if m}
            for alias in aliases:
                if alias in indices:
                    raise _alias_name_taken(alias)
            for name in set(self._indices) - set(indices):
                del self._indices[name]
            self._aliases = aliases
        return {"acknowledged": True}

    # -- documents ---------------------------------------------------------------------

    def delete_document(self, name: str, doc_id: str) -> dict[str, Any]:
        with self._lock:
            index = self._write_index(name)
            if index is None:
                raise index_not_found(name)
            result = index.delete(doc_id)
        status = result.pop("status")
        return {"status": status, **result}

    def search(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return execute_search(self._index(name), body)

    def count(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return execute_count(self._index(name), body)

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
            version, version_type = write_versioning(op, meta)
            fault = self.item_fault(op, name, doc_id) if self.item_fault else None
            if fault is not None:
                status, error_type, reason = fault
                raise OpenSearchError(status, error_type, reason)
            index = self._write_index(name)
            if op == "delete":
                if index is None:
                    raise index_not_found(name)
                return index.delete(str(doc_id), version=version, version_type=version_type)
            if index is None:
                if meta.get("require_alias") is True:
                    raise OpenSearchError(
                        404,
                        "index_not_found_exception",
                        f"no such index [{name}] and [require_alias] request flag is [true]"
                        f" and [{name}] is not an alias",
                        index=name,
                    )
                validate_index_name(name)
                index = self._indices[name] = Index(name, parse_mapping(None))
            return index.put(
                None if doc_id is None else str(doc_id),
                source,
                create_only=op == "create",
                version=version,
                version_type=version_type,
            )
        except OpenSearchError as error:
            index_name = name
            item = {
                "_index": index_name,
                "_id": doc_id,
                "status": error.status,
                "error": error.cause(),
            }
            if error.error_type == "index_not_found_exception":
                item["error"] = {**error.cause(), "index": name}
            return item


def _alias_name_taken(alias: str) -> OpenSearchError:
    return OpenSearchError(
        400,
        "invalid_alias_name_exception",
        f"Invalid alias name [{alias}]: an index or data stream exists with the same name as"
        " the alias",
    )


def _gc_deletes_seconds(settings: dict[str, Any]) -> float | None:
    """`index.gc_deletes` from create-index settings (flat or nested), in seconds."""
    value = settings.get("index.gc_deletes")
    if value is None and isinstance(settings.get("index"), dict):
        value = settings["index"].get("gc_deletes")
    if value is None:
        return None
    text = str(value).strip().lower()
    for suffix, factor in (("ms", 0.001), ("s", 1.0), ("m", 60.0), ("h", 3600.0)):
        if text.endswith(suffix) and text[: -len(suffix)].replace(".", "", 1).isdigit():
            return float(text[: -len(suffix)]) * factor
    raise bad_request(f"failed to parse setting [index.gc_deletes] with value [{value}]")


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
        unknown = sorted(set(meta) - BULK_META_KEYS)
        if unknown:
            raise bad_request(
                f"Action/metadata line [{line_number}] contains an unknown parameter [{unknown[0]}]"
            )
        meta.setdefault("_index", default_index)
        if not meta["_index"]:
            raise bad_request(
                "Validation Failed: 1: index is missing;", "action_request_validation_exception"
            )
        write_versioning(op, meta)
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
