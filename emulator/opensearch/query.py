"""The query DSL subset: compiled once per search into nodes that match and score documents.

Scoring: text clauses use Lucene 9's BM25 (k1 1.2, b 0.75, idf from the one shard's
document frequencies; no norm quantisation, so scores are close to but not bit-equal
with OpenSearch's). Keyword, numeric, date and boolean clauses and `term`/`terms` score
a constant 1.0 times boost, as OpenSearch's term queries do on such fields in practice.
Filter and must_not clauses never score.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from emulator.opensearch.analysis import terms
from emulator.opensearch.errors import bad_request
from emulator.opensearch.index import Index, StoredDoc
from emulator.opensearch.mapping import parse_date

K1 = 1.2
B = 0.75


def _parsing(reason: str) -> Exception:
    return bad_request(reason, "parsing_exception")


@dataclass
class SearchContext:
    index: Index
    _stats: dict[str, tuple[int, float]] = field(default_factory=dict)
    _dfs: dict[tuple[str, str], int] = field(default_factory=dict)

    def bm25(self, doc: StoredDoc, path: str, term: str) -> float:
        counts = doc.term_counts.get(path)
        tf = counts.get(term, 0) if counts else 0
        if not tf:
            return 0.0
        if path not in self._stats:
            self._stats[path] = self.index.field_stats(path)
        docs_with_field, avg_len = self._stats[path]
        if (path, term) not in self._dfs:
            self._dfs[(path, term)] = self.index.doc_freq(path, term)
        df = self._dfs[(path, term)]
        idf = math.log(1 + (docs_with_field - df + 0.5) / (df + 0.5))
        length = sum(counts.values())
        return idf * tf / (tf + K1 * (1 - B + B * length / avg_len))


class Node(ABC):
    """A parsed query clause: its score for a document, or None when it does not match."""

    @abstractmethod
    def score(self, doc: StoredDoc, ctx: SearchContext) -> float | None: ...

    def highlight_terms(self) -> dict[str, set[str]]:
        return {}


def _merge(into: dict[str, set[str]], more: dict[str, set[str]]) -> dict[str, set[str]]:
    for path, found in more.items():
        into.setdefault(path, set()).update(found)
    return into


@dataclass
class MatchAll(Node):
    boost: float = 1.0

    def score(self, doc: StoredDoc, ctx: SearchContext) -> float | None:
        return self.boost


def _coerce_for(index: Index, path: str, value: Any) -> Any:
    spec = index.mapping.field_for(path)
    if spec is None:
        return value
    if spec.type == "date":
        return parse_date(value)
    if spec.type == "keyword" and isinstance(value, bool):
        return "true" if value else "false"
    if spec.type == "keyword" and not isinstance(value, str):
        return str(value)
    if spec.type == "text" and isinstance(value, str):
        return value.lower()
    return value


@dataclass
class Match(Node):
    """`match` on one field (also the per-field part of `multi_match`)."""

    path: str
    text: str
    operator: str = "or"
    boost: float = 1.0

    def score(self, doc: StoredDoc, ctx: SearchContext) -> float | None:
        spec = ctx.index.mapping.field_for(self.path)
        if spec is None:
            return None
        if spec.type != "text":
            wanted = _coerce_for(ctx.index, self.path, self.text)
            return self.boost if wanted in doc.values.get(self.path, []) else None
        query_terms = terms(self.text)
        if not query_terms:
            return None
        counts = doc.term_counts.get(self.path, {})
        present = [t for t in query_terms if counts.get(t)]
        if not present or (self.operator == "and" and len(set(present)) < len(set(query_terms))):
            return None
        return self.boost * sum(ctx.bm25(doc, self.path, t) for t in query_terms)

    def highlight_terms(self) -> dict[str, set[str]]:
        return {self.path: set(terms(self.text))}


@dataclass
class MultiMatch(Node):
    matches: list[Match]
    tie_breaker: float = 0.0

    def score(self, doc: StoredDoc, ctx: SearchContext) -> float | None:
        scores = [s for m in self.matches if (s := m.score(doc, ctx)) is not None]
        if not scores:
            return None
        best = max(scores)
        return best + self.tie_breaker * (sum(scores) - best)

    def highlight_terms(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for match in self.matches:
            _merge(found, match.highlight_terms())
        return found


@dataclass
class Terms(Node):
    path: str
    values: list[Any]
    boost: float = 1.0

    def score(self, doc: StoredDoc, ctx: SearchContext) -> float | None:
        wanted = {_coerce_for(ctx.index, self.path, v) for v in self.values}
        spec = ctx.index.mapping.field_for(self.path)
        if spec is not None and spec.type == "text":
            have = set(doc.term_counts.get(self.path, {}))
        else:
            have = set(doc.values.get(self.path, []))
        return self.boost if wanted & have else None


@dataclass
class Bool(Node):
    must: list[Node]
    filter: list[Node]
    should: list[Node]
    must_not: list[Node]
    minimum_should_match: int
    boost: float = 1.0

    def score(self, doc: StoredDoc, ctx: SearchContext) -> float | None:
        total = 0.0
        for clause in self.must:
            s = clause.score(doc, ctx)
            if s is None:
                return None
            total += s
        for clause in self.filter:
            if clause.score(doc, ctx) is None:
                return None
        for clause in self.must_not:
            if clause.score(doc, ctx) is not None:
                return None
        matched = 0
        for clause in self.should:
            s = clause.score(doc, ctx)
            if s is not None:
                matched += 1
                total += s
        if matched < self.minimum_should_match:
            return None
        return self.boost * total

    def highlight_terms(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for clause in [*self.must, *self.filter, *self.should]:
            _merge(found, clause.highlight_terms())
        return found


def _clauses(value: Any, name: str) -> list[Node]:
    items = value if isinstance(value, list) else [value]
    return [compile_query(item) for item in items]


def _single_field(kind: str, body: Any) -> tuple[str, Any]:
    if not isinstance(body, dict) or len(body) != 1:
        raise _parsing(f"[{kind}] query requires exactly one field")
    return next(iter(body.items()))


def _field_and_boost(spec: str) -> tuple[str, float]:
    path, _, boost = spec.partition("^")
    try:
        return path, float(boost) if boost else 1.0
    except ValueError:
        raise _parsing(f"[multi_match] invalid field boost [{spec}]") from None


def compile_query(query: Any) -> Node:
    if not isinstance(query, dict) or len(query) != 1:
        raise _parsing("query malformed, must be an object with exactly one query type")
    kind, body = next(iter(query.items()))
    if kind == "match_all":
        return MatchAll(float((body or {}).get("boost", 1.0)))
    if kind == "match":
        path, spec = _single_field(kind, body)
        if isinstance(spec, dict):
            if "query" not in spec:
                raise _parsing("[match] query is missing [query]")
            return Match(
                path,
                str(spec["query"]),
                str(spec.get("operator", "or")).lower(),
                float(spec.get("boost", 1.0)),
            )
        return Match(path, str(spec))
    if kind == "multi_match":
        if not isinstance(body, dict) or "query" not in body:
            raise _parsing("[multi_match] requires [query]")
        match_type = body.get("type", "best_fields")
        if match_type != "best_fields":
            raise _parsing(f"[multi_match] type [{match_type}] is not part of the stand-in subset")
        operator = str(body.get("operator", "or")).lower()
        fields = body.get("fields") or ["content"]
        matches = []
        for spec in fields:
            path, boost = _field_and_boost(spec)
            matches.append(Match(path, str(body["query"]), operator, boost))
        return MultiMatch(matches, float(body.get("tie_breaker", 0.0)))
    if kind == "term":
        path, spec = _single_field(kind, body)
        if isinstance(spec, dict):
            return Terms(path, [spec.get("value")], float(spec.get("boost", 1.0)))
        return Terms(path, [spec])
    if kind == "terms":
        if not isinstance(body, dict):
            raise _parsing("[terms] query malformed")
        boost = float(body.get("boost", 1.0))
        fields = {k: v for k, v in body.items() if k != "boost"}
        path, values = _single_field(kind, fields)
        if not isinstance(values, list):
            raise _parsing(f"[terms] query requires an array of values for [{path}]")
        return Terms(path, values, boost)
    if kind == "bool":
        if not isinstance(body, dict):
            raise _parsing("[bool] query malformed")
        unknown = set(body) - {
            "must",
            "filter",
            "should",
            "must_not",
            "minimum_should_match",
            "boost",
        }
        if unknown:
            raise _parsing(f"[bool] query does not support [{sorted(unknown)[0]}]")
        must = _clauses(body.get("must", []), "must")
        filters = _clauses(body.get("filter", []), "filter")
        should = _clauses(body.get("should", []), "should")
        must_not = _clauses(body.get("must_not", []), "must_not")
        default_msm = 0 if (must or filters) else (1 if should else 0)
        return Bool(
            must,
            filters,
            should,
            must_not,
            int(body.get("minimum_should_match", default_msm)),
            float(body.get("boost", 1.0)),
        )
    raise _parsing(f"unknown query [{kind}]")
