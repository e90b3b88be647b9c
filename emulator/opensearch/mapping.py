"""Index mappings: which field has which type, and how a document's values are indexed.

Honours what the indexer relies on: `dynamic: strict` (an unknown field rejects the
document), typed fields that reject unparsable values (`mapper_parsing_exception`), and
`enabled: false` objects kept only in `_source`. With dynamic mapping (the default),
new fields are added as OpenSearch would: strings as `text` with a `.keyword` sub-field,
integers as `long`, other numbers as `float`, booleans as `boolean`, maps as objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from emulator.opensearch.errors import OpenSearchError, bad_request

SCALAR_TYPES = {"keyword", "text", "date", "long", "integer", "float", "double", "boolean"}


@dataclass
class FieldMapping:
    type: str
    enabled: bool = True
    keyword_subfield: bool = False


@dataclass
class Mapping:
    dynamic: str = "true"
    fields: dict[str, FieldMapping] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        for path, spec in self.fields.items():
            body: dict[str, Any] = {"type": spec.type}
            if not spec.enabled:
                body["enabled"] = False
            if spec.keyword_subfield:
                body["fields"] = {"keyword": {"type": "keyword", "ignore_above": 256}}
            properties[path] = body
        return {"dynamic": self.dynamic, "properties": properties}

    def field_for(self, path: str) -> FieldMapping | None:
        """The mapping of `path`, including a `.keyword` sub-field of a text field."""
        spec = self.fields.get(path)
        if spec is None and path.endswith(".keyword"):
            parent = self.fields.get(path.removesuffix(".keyword"))
            if parent is not None and parent.keyword_subfield:
                return FieldMapping("keyword")
        return spec


def parse_mapping(body: Any) -> Mapping:
    if body is None:
        return Mapping()
    if not isinstance(body, dict):
        raise bad_request("mappings must be an object", "mapper_parsing_exception")
    dynamic = str(body.get("dynamic", "true")).lower()
    if dynamic not in ("true", "false", "strict"):
        raise bad_request(
            f"Could not convert [dynamic] to boolean or 'strict': [{dynamic}]",
            "mapper_parsing_exception",
        )
    mapping = Mapping(dynamic=dynamic)
    _add_properties(mapping, "", body.get("properties") or {})
    return mapping


def _add_properties(mapping: Mapping, prefix: str, properties: dict[str, Any]) -> None:
    for name, spec in properties.items():
        path = f"{prefix}{name}"
        if not isinstance(spec, dict):
            raise bad_request(f"Expected map for property [{path}]", "mapper_parsing_exception")
        kind = spec.get("type", "object" if "properties" in spec else None)
        if kind == "object":
            enabled = spec.get("enabled", True) is not False
            mapping.fields[path] = FieldMapping("object", enabled=enabled)
            _add_properties(mapping, f"{path}.", spec.get("properties") or {})
        elif kind in SCALAR_TYPES:
            keyword = "keyword" in (spec.get("fields") or {})
            mapping.fields[path] = FieldMapping(kind, keyword_subfield=keyword)
        else:
            raise bad_request(
                f"No handler for type [{kind}] declared on field [{path}]",
                "mapper_parsing_exception",
            )


def parse_date(value: Any) -> int | None:
    """Epoch millis of an ISO 8601 date or epoch-millis number (OpenSearch's default format)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str):
        if value.lstrip("-").isdigit():
            return int(value)
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return int(parsed.timestamp() * 1000)
    return None


def _coerce(kind: str, value: Any) -> Any:
    """The indexed form of one scalar value, or raise ValueError."""
    if kind == "date":
        millis = parse_date(value)
        if millis is None:
            raise ValueError
        return millis
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        raise ValueError
    if kind in ("long", "integer"):
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    if kind in ("float", "double"):
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    if isinstance(value, dict | list):
        raise ValueError
    if kind == "keyword":
        if isinstance(value, bool):
            return "true" if value else "false"
        return value if isinstance(value, str) else str(value)
    return str(value)


def _dynamic_type(value: Any) -> FieldMapping:
    if isinstance(value, bool):
        return FieldMapping("boolean")
    if isinstance(value, int):
        return FieldMapping("long")
    if isinstance(value, float):
        return FieldMapping("float")
    if isinstance(value, dict):
        return FieldMapping("object")
    return FieldMapping("text", keyword_subfield=True)


def index_values(mapping: Mapping, doc_id: str, source: dict[str, Any]) -> dict[str, list[Any]]:
    """Every indexed field path of `source` with its coerced values; may extend `mapping`.

    New dynamic fields are collected first and added only once the whole document is
    accepted, so a rejected document never changes the mapping.
    """
    values: dict[str, list[Any]] = {}
    added: dict[str, FieldMapping] = {}
    _walk(mapping, added, doc_id, "", source, values)
    mapping.fields.update(added)
    return values


def _walk(
    mapping: Mapping,
    added: dict[str, FieldMapping],
    doc_id: str,
    prefix: str,
    obj: dict[str, Any],
    out: dict[str, list[Any]],
) -> None:
    for name, raw in obj.items():
        path = f"{prefix}{name}"
        spec = mapping.fields.get(path) or added.get(path)
        if raw is None:
            continue
        if spec is None:
            if mapping.dynamic == "strict":
                parent = prefix.rstrip(".") or "_doc"
                raise OpenSearchError(
                    400,
                    "strict_dynamic_mapping_exception",
                    f"mapping set to strict, dynamic introduction of [{name}] within"
                    f" [{parent}] is not allowed",
                )
            if mapping.dynamic == "false":
                continue
            sample = raw[0] if isinstance(raw, list) and raw else raw
            spec = _dynamic_type(sample)
            added[path] = spec
        if spec.type == "object":
            if not spec.enabled:
                continue
            for item in raw if isinstance(raw, list) else [raw]:
                if not isinstance(item, dict):
                    raise _parse_failure(path, "object", doc_id, item)
                _walk(mapping, added, doc_id, f"{path}.", item, out)
            continue
        for item in raw if isinstance(raw, list) else [raw]:
            try:
                out.setdefault(path, []).append(_coerce(spec.type, item))
            except (ValueError, TypeError):
                raise _parse_failure(path, spec.type, doc_id, item) from None
            if spec.keyword_subfield and isinstance(item, str):
                out.setdefault(f"{path}.keyword", []).append(item)


def _parse_failure(path: str, kind: str, doc_id: str, value: Any) -> OpenSearchError:
    return OpenSearchError(
        400,
        "mapper_parsing_exception",
        f"failed to parse field [{path}] of type [{kind}] in document with id '{doc_id}'."
        f" Preview of field's value: '{value}'",
    )
