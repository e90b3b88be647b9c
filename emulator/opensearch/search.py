"""`_search` and `_count` on one index: match, score, sort, page, highlight, aggregate.

Aggregations: `composite` with `terms` sources only (paged with `after`/`after_key`), which
is what a per-room count needs; anything else is refused with OpenSearch's error shape.
"""

from __future__ import annotations

import functools
import time
from typing import Any

from emulator.opensearch.errors import bad_request
from emulator.opensearch.highlight import highlight
from emulator.opensearch.index import Index, StoredDoc
from emulator.opensearch.mapping import parse_date
from emulator.opensearch.query import MatchAll, SearchContext, compile_query

MAX_RESULT_WINDOW = 10_000
DEFAULT_TRACK_TOTAL_HITS = 10_000
KNOWN_KEYS = {
    "query",
    "sort",
    "size",
    "from",
    "search_after",
    "highlight",
    "track_total_hits",
    "track_scores",
    "_source",
    "version",
    "aggs",
    "aggregations",
}


def _sort_spec(entry: Any) -> tuple[str, str]:
    if isinstance(entry, str):
        return entry, "desc" if entry == "_score" else "asc"
    if isinstance(entry, dict) and len(entry) == 1:
        path, spec = next(iter(entry.items()))
        order = spec.get("order") if isinstance(spec, dict) else spec
        order = str(order or ("desc" if path == "_score" else "asc")).lower()
        if order not in ("asc", "desc"):
            raise bad_request(f"[sort] unknown order [{order}] for [{path}]")
        return path, order
    raise bad_request("[sort] entries must be a field name or {field: order}", "parsing_exception")


def _check_sortable(index: Index, path: str) -> None:
    if path in ("_score", "_id"):
        return
    spec = index.mapping.field_for(path)
    if spec is None:
        raise bad_request(
            f"No mapping found for [{path}] in order to sort on", "query_shard_exception"
        )
    if spec.type == "text":
        raise bad_request(
            "Text fields are not optimised for operations that require per-document field"
            " data like aggregations and sorting, so these operations are disabled by default."
            f" Please use a keyword field instead. Alternatively, set fielddata=true on [{path}]"
            " in order to load field data by uninverting the inverted index."
        )


def _sort_value(doc: StoredDoc, score: float, path: str) -> Any:
    if path == "_score":
        return score
    if path == "_id":
        return doc.doc_id
    values = doc.values.get(path)
    return min(values) if values else None


def _after_value(index: Index, path: str, value: Any) -> Any:
    spec = index.mapping.field_for(path) if path not in ("_score", "_id") else None
    if spec is not None and spec.type == "date":
        millis = parse_date(value)
        if millis is None:
            raise bad_request(f"failed to parse date field [{value}] in search_after")
        return millis
    return value


def _compare(a: list[Any], b: list[Any], orders: list[str]) -> int:
    for x, y, order in zip(a, b, orders, strict=True):
        if x == y:
            continue
        if x is None:
            return 1
        if y is None:
            return -1
        try:
            less = x < y
        except TypeError:
            raise bad_request(
                f"search_after value [{y}] does not match the sort field type"
            ) from None
        result = -1 if less else 1
        return result if order == "asc" else -result
    return 0


def _track_total(body: dict[str, Any]) -> int | bool:
    value = body.get("track_total_hits", DEFAULT_TRACK_TOTAL_HITS)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value >= 0:
        return value
    raise bad_request(
        f"[track_total_hits] must be a boolean or a non-negative integer, got [{value}]"
    )


def _project(source: dict[str, Any], spec: Any) -> dict[str, Any] | None:
    if spec is None or spec is True:
        return source
    if spec is False:
        return None
    includes = [spec] if isinstance(spec, str) else spec
    if isinstance(spec, dict):
        includes = spec.get("includes", [])
    return {k: v for k, v in source.items() if k in includes}


def execute_search(index: Index, body: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    unknown = set(body) - KNOWN_KEYS
    if unknown:
        raise bad_request(
            f"Unknown key for a START_OBJECT in [{sorted(unknown)[0]}].", "parsing_exception"
        )
    query = compile_query(body["query"]) if "query" in body else MatchAll()
    size, offset = body.get("size", 10), body.get("from", 0)
    if not isinstance(size, int) or size < 0 or not isinstance(offset, int) or offset < 0:
        raise bad_request("[size] and [from] must be non-negative integers")
    if offset + size > MAX_RESULT_WINDOW:
        raise bad_request(
            f"Result window is too large, from + size must be less than or equal to:"
            f" [{MAX_RESULT_WINDOW}] but was [{offset + size}]."
        )
    sort_entries = body.get("sort")
    specs = (
        [
            _sort_spec(e)
            for e in (sort_entries if isinstance(sort_entries, list) else [sort_entries])
        ]
        if sort_entries
        else []
    )
    paths, orders = [p for p, _ in specs], [o for _, o in specs]
    for path in paths:
        _check_sortable(index, path)
    after = body.get("search_after")
    if after is not None:
        if not specs:
            raise bad_request("Sort must contain at least one field.")
        if not isinstance(after, list) or len(after) != len(specs):
            raise bad_request(
                f"search_after has {len(after) if isinstance(after, list) else 0} value(s)"
                f" but sort has {len(specs)}."
            )
        if offset not in (0, -1):
            raise bad_request("`from` parameter must be set to 0 when `search_after` is used.")
        after = [_after_value(index, p, v) for p, v in zip(paths, after, strict=True)]

    ctx = SearchContext(index)
    matched: list[tuple[StoredDoc, float, list[Any]]] = []
    for doc in index.docs.values():
        score = query.score(doc, ctx)
        if score is None:
            continue
        keys = [_sort_value(doc, score, p) for p in paths] if specs else [score]
        matched.append((doc, score, keys))

    effective_orders = orders if specs else ["desc"]

    def order(a: tuple[StoredDoc, float, list[Any]], b: tuple[StoredDoc, float, list[Any]]) -> int:
        return _compare(a[2], b[2], effective_orders) or (a[0].order - b[0].order)

    matched.sort(key=functools.cmp_to_key(order))
    if after is not None:
        matched_after = [m for m in matched if _compare(m[2], after, orders) > 0]
    else:
        matched_after = matched
    page = matched_after[offset : offset + size]

    aggregations = _aggregate(index, matched, body.get("aggs", body.get("aggregations")))
    scored = not specs or "_score" in paths or bool(body.get("track_scores"))
    wanted = query.highlight_terms()
    hits = []
    for doc, score, keys in page:
        hit: dict[str, Any] = {
            "_index": index.name,
            "_id": doc.doc_id,
            "_score": score if scored else None,
        }
        if body.get("version") is True:
            hit["_version"] = doc.version
        source = _project(doc.source, body.get("_source"))
        if source is not None:
            hit["_source"] = source
        if specs:
            hit["sort"] = keys
        if "highlight" in body:
            fragments = highlight(doc.source, wanted, body["highlight"])
            if fragments:
                hit["highlight"] = fragments
        hits.append(hit)

    hits_section: dict[str, Any] = {
        "max_score": max((s for _, s, _ in matched), default=None) if scored else None,
        "hits": hits,
    }
    track = _track_total(body)
    if track is not False:
        limit = None if track is True else track
        if limit is not None and len(matched) > limit:
            hits_section["total"] = {"value": limit, "relation": "gte"}
        else:
            hits_section["total"] = {"value": len(matched), "relation": "eq"}
    answer: dict[str, Any] = {
        "took": int((time.monotonic() - started) * 1000),
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {k: hits_section[k] for k in ("total", "max_score", "hits") if k in hits_section},
    }
    if aggregations is not None:
        answer["aggregations"] = aggregations
    return answer


def execute_count(index: Index, body: dict[str, Any]) -> dict[str, Any]:
    unknown = set(body) - {"query"}
    if unknown:
        raise bad_request(f"request does not support [{sorted(unknown)[0]}]", "parsing_exception")
    query = compile_query(body["query"]) if "query" in body else MatchAll()
    ctx = SearchContext(index)
    count = sum(1 for doc in index.docs.values() if query.score(doc, ctx) is not None)
    return {"count": count, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}


def _aggregate(
    index: Index, matched: list[tuple[StoredDoc, float, list[Any]]], spec: Any
) -> dict[str, Any] | None:
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise bad_request("[aggs] must be an object", "parsing_exception")
    return {name: _composite(index, matched, name, body) for name, body in spec.items()}


def _composite(
    index: Index, matched: list[tuple[StoredDoc, float, list[Any]]], name: str, body: Any
) -> dict[str, Any]:
    if not isinstance(body, dict) or set(body) != {"composite"}:
        raise bad_request(
            f"aggregation [{name}]: the stand-in serves only [composite] aggregations",
            "parsing_exception",
        )
    spec = body["composite"]
    sources = spec.get("sources")
    if not isinstance(sources, list) or not sources:
        raise bad_request(f"Composite [sources] cannot be null or empty for [{name}]")
    fields: list[tuple[str, str]] = []
    for source in sources:
        ((key, kinds),) = source.items()
        if set(kinds) != {"terms"} or "field" not in kinds["terms"]:
            raise bad_request(
                f"composite source [{key}]: the stand-in serves only terms sources with a field",
                "parsing_exception",
            )
        field_name = kinds["terms"]["field"]
        mapped = index.mapping.field_for(field_name)
        if mapped is not None and mapped.type == "text":
            raise bad_request(f"Text fields are not optimised for aggregations: [{field_name}]")
        fields.append((key, field_name))
    counts: dict[tuple[Any, ...], int] = {}
    for doc, _score, _keys in matched:
        values = [doc.values.get(f) for _, f in fields]
        if any(not v for v in values):
            continue
        key = tuple(min(v) for v in values)  # type: ignore[type-var]
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts)
    after = spec.get("after")
    if after is not None:
        bound = tuple(after.get(k) for k, _ in fields)
        ordered = [k for k in ordered if k > bound]
    size = int(spec.get("size", 10))
    page = ordered[:size]
    buckets = [
        {"key": {k: v for (k, _), v in zip(fields, key, strict=True)}, "doc_count": counts[key]}
        for key in page
    ]
    result: dict[str, Any] = {"buckets": buckets}
    if buckets:
        result["after_key"] = buckets[-1]["key"]
    return result
