"""One in-memory index: documents, their indexed values, versions and term statistics.

Versions follow OpenSearch: every write of a document raises its internal version by one,
unless the write carries `version_type=external` (or `external_gte`) with a `version`,
which becomes the document's version if it is greater than (or, for `external_gte`, at
least) the current one; otherwise the write is refused with 409
`version_conflict_engine_exception` and nothing changes. A delete is remembered with its
version for `index.gc_deletes` (60 s by default, as in OpenSearch) and forgotten after
that, so a later write with a lower external version then succeeds: a deleted document
is not a durable tombstone, which is why the indexer writes tombstone documents.
"""

from __future__ import annotations

import json
import re
import sys
import time
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from emulator.opensearch.analysis import terms
from emulator.opensearch.errors import OpenSearchError, bad_request
from emulator.opensearch.mapping import Mapping, index_values
from emulator.shared_strings import shared

_INVALID_NAME = re.compile(r'[\\/*?"<>| ,#:A-Z]')
VERSION_TYPES = ("internal", "external", "external_gt", "external_gte")
MAX_VERSION = 2**63 - 1
DEFAULT_GC_DELETES_SECONDS = 60.0


def validate_index_name(name: str) -> None:
    if not name or name in (".", "..") or name[0] in "_-+" or _INVALID_NAME.search(name):
        raise OpenSearchError(
            400,
            "invalid_index_name_exception",
            f"Invalid index name [{name}], must be lowercase, must not start with '_', '-'"
            " or '+', and must not contain '\\\\', '/', '*', '?', '\"', '<', '>', '|', ' ',"
            " ',', '#' or ':'",
            index=name,
        )


_ABSENT = object()


class FieldValues:
    """A document's indexed values per field path, read like a dict (`get`, `in`, `[]`).

    The paths are the index's (`slots`, shared by every document, in the order fields
    first appeared) and each document keeps only a tuple, a single value standing for
    itself: a dict and a tuple per field and document took most of the stand-in's
    memory at 100,000 messages.
    """

    __slots__ = ("_data", "_slots")
    _wrap_single = True

    def __init__(self, slots: dict[str, int], data: tuple[Any, ...]) -> None:
        self._slots = slots
        self._data = data

    @classmethod
    def of(cls, slots: dict[str, int], mapping: dict[str, Any]) -> FieldValues:
        for path in mapping:
            slots.setdefault(path, len(slots))
        data = [_ABSENT] * (max((slots[p] for p in mapping), default=-1) + 1)
        for path, value in mapping.items():
            single = cls._wrap_single and type(value) is tuple and len(value) == 1
            data[slots[path]] = value[0] if single and type(value[0]) is not tuple else value
        return cls(slots, tuple(data))

    def get(self, path: str, default: Any = None) -> Any:
        position = self._slots.get(path)
        if position is None or position >= len(self._data):
            return default
        value = self._data[position]
        if value is _ABSENT:
            return default
        return value if not self._wrap_single or type(value) is tuple else (value,)

    def __contains__(self, path: object) -> bool:
        return self.get(path, _ABSENT) is not _ABSENT  # type: ignore[arg-type]

    def __getitem__(self, path: str) -> Any:
        value = self.get(path, _ABSENT)
        if value is _ABSENT:
            raise KeyError(path)
        return value


class FieldCounts(FieldValues):
    """Term counts per text field, kept like FieldValues (each value a dict)."""

    __slots__ = ()
    _wrap_single = False


@dataclass(slots=True)
class StoredDoc:
    """One document; its `_source` is kept compressed (read only for hits), which keeps
    100,000 chat messages within a few hundred MB beside moto's copy of them."""

    doc_id: str
    packed_source: bytes
    dictionary: bytes
    values: FieldValues
    term_counts: FieldCounts
    version: int
    seq_no: int
    order: int

    @property
    def source(self) -> dict[str, Any]:
        unpacker = zlib.decompressobj(-15, zdict=self.dictionary)
        return json.loads(unpacker.decompress(self.packed_source) + unpacker.flush())


def source_dictionary(mapping: Mapping) -> bytes:
    """A preset deflate dictionary of the mapping's field names: a chat message's source
    repeats them all, and each document is compressed on its own (a third smaller)."""
    names = "".join(f'"{path}":"",' for path in mapping.fields)
    return f'{{{names}"":true,false,null,[],{{}}}}'.encode()


def pack_source(source: dict[str, Any], dictionary: bytes) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, -15, zdict=dictionary)
    return packer.compress(json.dumps(source, separators=(",", ":")).encode()) + packer.flush()


@dataclass
class Index:
    name: str
    mapping: Mapping
    uuid: str = field(default_factory=lambda: uuid.uuid4().hex[:22])
    docs: dict[str, StoredDoc] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    """Versions of recently deleted documents (a live one carries its own)."""
    deleted_at: dict[str, float] = field(default_factory=dict)
    gc_deletes_seconds: float = DEFAULT_GC_DELETES_SECONDS
    _slots: dict[str, int] = field(default_factory=dict)
    _dictionary: bytes | None = None
    """`source_dictionary` of the mapping as the first document found it, for good."""
    next_seq_no: int = 0
    next_order: int = 0

    def _seq(self) -> int:
        self.next_seq_no += 1
        return self.next_seq_no - 1

    def current_version(self, doc_id: str) -> int | None:
        """The version a write is checked against: the document's, or a recent delete's."""
        if doc_id in self.docs:
            return self.docs[doc_id].version
        deleted = self.deleted_at.get(doc_id)
        if deleted is not None and time.monotonic() - deleted < self.gc_deletes_seconds:
            return self.versions.get(doc_id)
        return None

    def _conflict(self, doc_id: str, reason: str) -> OpenSearchError:
        return OpenSearchError(
            409,
            "version_conflict_engine_exception",
            f"[{doc_id}]: version conflict, {reason}",
            index=self.name,
            shard="0",
            index_uuid=self.uuid,
        )

    def _next_version(self, doc_id: str, version: int | None, version_type: str) -> int:
        """The version this write gets, or a 409 when an external version is not newer."""
        current = self.current_version(doc_id)
        if version_type == "internal":
            return (current or 0) + 1
        assert version is not None
        if current is not None:
            if version_type == "external_gte" and version < current:
                raise self._conflict(
                    doc_id,
                    f"current version [{current}] is higher than the one provided [{version}]",
                )
            if version_type in ("external", "external_gt") and version <= current:
                raise self._conflict(
                    doc_id,
                    f"current version [{current}] is higher or equal to the one provided"
                    f" [{version}]",
                )
        return version

    def put(
        self,
        doc_id: str | None,
        source: Any,
        *,
        create_only: bool = False,
        version: int | None = None,
        version_type: str = "internal",
    ) -> dict[str, Any]:
        """Index `source` under `doc_id`; the write result as OpenSearch reports it."""
        if not isinstance(source, dict):
            raise bad_request("The document must be a JSON object", "mapper_parsing_exception")
        doc_id = shared(doc_id or uuid.uuid4().hex[:20])
        existing = self.docs.get(doc_id)
        if existing is not None and create_only:
            raise self._conflict(
                doc_id, f"document already exists (current version [{existing.version}])"
            )
        new_version = self._next_version(doc_id, version, version_type)
        indexed = {
            sys.intern(path): tuple(shared(v) for v in vals)
            for path, vals in index_values(self.mapping, doc_id, source).items()
        }
        counts = {
            path: dict(Counter(sys.intern(t) for v in vals for t in terms(v)))
            for path, vals in indexed.items()
            if (spec := self.mapping.field_for(path)) is not None and spec.type == "text"
        }
        self.versions.pop(doc_id, None)
        self.deleted_at.pop(doc_id, None)
        seq_no = self._seq()
        if self._dictionary is None:
            self._dictionary = source_dictionary(self.mapping)
        self.docs[doc_id] = StoredDoc(
            doc_id,
            pack_source(source, self._dictionary),
            self._dictionary,
            FieldValues.of(self._slots, indexed),
            FieldCounts.of(self._slots, counts),
            new_version,
            seq_no,
            self.next_order,
        )
        self.next_order += 1
        result = "updated" if existing is not None else "created"
        return self._write_result(doc_id, new_version, seq_no, result, 200 if existing else 201)

    def delete(
        self, doc_id: str, *, version: int | None = None, version_type: str = "internal"
    ) -> dict[str, Any]:
        new_version = self._next_version(doc_id, version, version_type)
        existing = self.docs.pop(doc_id, None)
        self.versions[doc_id] = new_version
        self.deleted_at[doc_id] = time.monotonic()
        seq_no = self._seq()
        if existing is None:
            return self._write_result(doc_id, new_version, seq_no, "not_found", 404)
        return self._write_result(doc_id, new_version, seq_no, "deleted", 200)

    def _write_result(
        self, doc_id: str, version: int, seq_no: int, result: str, status: int
    ) -> dict[str, Any]:
        return {
            "_index": self.name,
            "_id": doc_id,
            "_version": version,
            "result": result,
            "_shards": {"total": 1, "successful": 1, "failed": 0},
            "_seq_no": seq_no,
            "_primary_term": 1,
            "status": status,
        }

    def field_stats(self, path: str) -> tuple[int, float]:
        """(documents having the text field, their average length in tokens)."""
        lengths = [
            sum(doc.term_counts[path].values())
            for doc in self.docs.values()
            if path in doc.term_counts
        ]
        if not lengths:
            return 0, 0.0
        return len(lengths), sum(lengths) / len(lengths)

    def doc_freq(self, path: str, term: str) -> int:
        return sum(1 for doc in self.docs.values() if doc.term_counts.get(path, {}).get(term))
