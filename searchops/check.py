"""`python -m searchops.check`: compare the messages table with the index (`make check-index`).

Counts per room: messages that are not deleted, in the table (a parallel Scan of keys,
version and isDeleted) against searchable documents in the index (a composite aggregation
by roomId, tombstones excluded). Versions: of every message (the default, the index read
in `search_after` pages) or of a random `--sample N`, each message in one of:

- missing: live in the table, no document in the index;
- stale: the index holds another version than the table (older, or newer after a restore);
- resurrected: the index would return it, but the table has it deleted or not at all.

Writes keep coming while the check reads, so a difference can be a change still on its way
to the index. With `--grace S` every difference is read again after S seconds (the item
with a consistent read, the document by id) and only what persists is reported.
Exit status 1 on drift, 0 when table and index agree.

    python -m searchops.check --outputs .local/outputs.json
    python -m searchops.check --outputs outputs.json --sample 2000 --grace 30
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from searchops.target import Target, TargetError, add_target_arguments, load_target

SEGMENTS = 4
INDEX_PAGE = 1000
IDS_PER_QUERY = 500
SHOWN = 20
NOT_TOMBSTONE = {"bool": {"must_not": [{"term": {"isDeleted": True}}]}}


@dataclass(frozen=True)
class Stored:
    room: str
    version: int
    deleted: bool


@dataclass
class CheckReport:
    messages: int = 0
    rooms: int = 0
    compared: int = 0
    sampled: bool = False
    room_differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    missing: list[tuple[str, str, int]] = field(default_factory=list)
    stale: list[tuple[str, str, int, int]] = field(default_factory=list)
    resurrected: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def drift(self) -> bool:
        return bool(self.room_differences or self.missing or self.stale or self.resurrected)


def _version(value: Any) -> int:
    return int(value) if value is not None else 0


def table_state(target: Target) -> dict[str, Stored]:
    dynamodb = target.client("dynamodb")

    def segment(number: int) -> dict[str, Stored]:
        found: dict[str, Stored] = {}
        request: dict[str, Any] = {
            "TableName": target.table,
            "Segment": number,
            "TotalSegments": SEGMENTS,
            "ProjectionExpression": "roomId, messageId, #v, isDeleted",
            "ExpressionAttributeNames": {"#v": "version"},
        }
        while True:
            page = dynamodb.scan(**request)
            for item in page.get("Items", []):
                found[item["messageId"]["S"]] = Stored(
                    item["roomId"]["S"],
                    _version(item.get("version", {}).get("N")),
                    item.get("isDeleted", {}).get("BOOL", False),
                )
            if "LastEvaluatedKey" not in page:
                return found
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    merged: dict[str, Stored] = {}
    with ThreadPoolExecutor(max_workers=SEGMENTS) as pool:
        for part in pool.map(segment, range(SEGMENTS)):
            merged.update(part)
    return merged


def index_room_counts(target: Target) -> dict[str, int]:
    client = target.opensearch()
    counts: dict[str, int] = {}
    composite: dict[str, Any] = {
        "size": 1000,
        "sources": [{"room": {"terms": {"field": "roomId"}}}],
    }
    while True:
        body = {"size": 0, "query": NOT_TOMBSTONE, "aggs": {"rooms": {"composite": composite}}}
        rooms = client.search(index=target.index, body=body)["aggregations"]["rooms"]
        for bucket in rooms["buckets"]:
            counts[bucket["key"]["room"]] = bucket["doc_count"]
        if not rooms["buckets"] or "after_key" not in rooms:
            return counts
        composite = {**composite, "after": rooms["after_key"]}


def _hit(hit: dict[str, Any]) -> tuple[int, bool, str | None]:
    source = hit.get("_source") or {}
    return int(hit["_version"]), source.get("isDeleted") is True, source.get("roomId")


def index_documents(target: Target) -> dict[str, tuple[int, bool, str | None]]:
    """Every document: id -> (version, is a tombstone, room)."""
    client = target.opensearch()
    found: dict[str, tuple[int, bool, str | None]] = {}
    after = None
    while True:
        body: dict[str, Any] = {
            "size": INDEX_PAGE,
            "query": {"match_all": {}},
            "sort": [{"messageId": {"order": "asc"}}],
            "_source": ["roomId", "isDeleted"],
            "version": True,
            "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=target.index, body=body)["hits"]["hits"]
        for hit in hits:
            found[hit["_id"]] = _hit(hit)
        if len(hits) < INDEX_PAGE:
            return found
        after = hits[-1]["sort"]


def documents_by_id(target: Target, ids: list[str]) -> dict[str, tuple[int, bool, str | None]]:
    client = target.opensearch()
    found: dict[str, tuple[int, bool, str | None]] = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        body = {
            "size": len(chunk),
            "query": {"terms": {"messageId": chunk}},
            "_source": ["roomId", "isDeleted"],
            "version": True,
        }
        for hit in client.search(index=target.index, body=body)["hits"]["hits"]:
            found[hit["_id"]] = _hit(hit)
    return found


def _compare(
    report: CheckReport,
    table: dict[str, Stored],
    index: dict[str, tuple[int, bool, str | None]],
    ids: list[str],
    orphans: bool,
) -> None:
    for message_id in ids:
        stored = table.get(message_id)
        document = index.get(message_id)
        if stored is None:
            continue
        if document is None:
            if not stored.deleted:
                report.missing.append((stored.room, message_id, stored.version))
            continue
        version, tombstone, _room = document
        if not tombstone and stored.deleted:
            report.resurrected.append((stored.room, message_id, "deleted in the table"))
        elif version != stored.version and not (
            tombstone and stored.deleted and version > stored.version
        ):
            report.stale.append((stored.room, message_id, stored.version, version))
    if orphans:
        for message_id, (_, tombstone, room) in index.items():
            if message_id not in table and not tombstone:
                report.resurrected.append((room or "?", message_id, "not in the table"))


def _recheck(target: Target, report: CheckReport) -> None:
    """Read every difference again (consistent item read, document by id); keep what persists."""
    rooms_of = {m: r for r, m, _ in report.missing}
    rooms_of.update({m: r for r, m, _, _ in report.stale})
    rooms_of.update({m: r for r, m, _ in report.resurrected})
    rooms = dict(report.room_differences)
    report.missing, report.stale, report.resurrected, report.room_differences = [], [], [], {}
    if rooms_of:
        ids = sorted(rooms_of)
        table = _consistent_items(target, rooms_of)
        documents = documents_by_id(target, ids)
        _compare(report, table, documents, ids, orphans=False)
        for message_id, (_v, tombstone, room) in documents.items():
            if message_id not in table and not tombstone:
                report.resurrected.append((room or "?", message_id, "not in the table"))
    for room in rooms:
        live = _table_room_count(target, room)
        query = {"bool": {"filter": [{"term": {"roomId": room}}], **NOT_TOMBSTONE["bool"]}}
        indexed = target.opensearch().count(index=target.index, body={"query": query})["count"]
        if live != indexed:
            report.room_differences[room] = (live, indexed)


def _consistent_items(target: Target, rooms_of: dict[str, str]) -> dict[str, Stored]:
    """The items (BatchGetItem, consistent) of `rooms_of`: message id -> room."""
    found: dict[str, Stored] = {}
    keys = [{"roomId": {"S": r}, "messageId": {"S": m}} for m, r in rooms_of.items()]
    dynamodb = target.client("dynamodb")
    for start in range(0, len(keys), 100):
        request = {target.table: {"Keys": keys[start : start + 100], "ConsistentRead": True}}
        while request:
            answer = dynamodb.batch_get_item(RequestItems=request)
            for item in answer.get("Responses", {}).get(target.table, []):
                found[item["messageId"]["S"]] = Stored(
                    item["roomId"]["S"],
                    _version(item.get("version", {}).get("N")),
                    item.get("isDeleted", {}).get("BOOL", False),
                )
            request = answer.get("UnprocessedKeys") or {}
    return found


def _table_room_count(target: Target, room: str) -> int:
    dynamodb = target.client("dynamodb")
    request: dict[str, Any] = {
        "TableName": target.table,
        "KeyConditionExpression": "roomId = :r",
        "FilterExpression": "attribute_not_exists(isDeleted) OR isDeleted = :f",
        "ExpressionAttributeValues": {":r": {"S": room}, ":f": {"BOOL": False}},
        "Select": "COUNT",
        "ConsistentRead": True,
    }
    count = 0
    while True:
        page = dynamodb.query(**request)
        count += int(page.get("Count", 0))
        if "LastEvaluatedKey" not in page:
            return count
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def check(
    target: Target, *, sample: int | None = None, grace: float = 0.0, seed: int | None = None
) -> CheckReport:
    if not target.opensearch().indices.exists(index=target.index):
        return _against_no_index(target, sample is not None)
    report = CheckReport(sampled=sample is not None)
    table = table_state(target)
    report.messages = len(table)
    live: dict[str, int] = {}
    for stored in table.values():
        live.setdefault(stored.room, 0)
        if not stored.deleted:
            live[stored.room] += 1
    indexed = index_room_counts(target)
    report.rooms = len(set(live) | set(indexed))
    for room in sorted(set(live) | set(indexed)):
        if live.get(room, 0) != indexed.get(room, 0):
            report.room_differences[room] = (live.get(room, 0), indexed.get(room, 0))
    if sample is None:
        ids = sorted(table)
        _compare(report, table, index_documents(target), ids, orphans=True)
    else:
        ids = random.Random(seed).sample(sorted(table), min(sample, len(table)))
        _compare(report, table, documents_by_id(target, ids), ids, orphans=False)
    report.compared = len(ids)
    if report.drift and grace > 0:
        time.sleep(grace)
        _recheck(target, report)
    return report


def _against_no_index(target: Target, sampled: bool) -> CheckReport:
    """No index yet (nothing was ever indexed): every live message is missing."""
    report = CheckReport(sampled=sampled)
    table = table_state(target)
    report.messages = len(table)
    report.compared = len(table)
    for message_id, stored in sorted(table.items()):
        if not stored.deleted:
            report.missing.append((stored.room, message_id, stored.version))
            live, _ = report.room_differences.get(stored.room, (0, 0))
            report.room_differences[stored.room] = (live + 1, 0)
    report.rooms = len({s.room for s in table.values()})
    return report


def render(report: CheckReport, target: Target) -> str:
    scope = f"a sample of {report.compared}" if report.sampled else f"all {report.compared}"
    lines = [
        f"check: table {target.table} ({report.messages} messages, {report.rooms} rooms)"
        f" vs index {target.index}",
        f"  rooms: {report.rooms} compared, {len(report.room_differences)} differ",
    ]
    for room, (table_count, index_count) in list(report.room_differences.items())[:SHOWN]:
        lines.append(f"    room {room}: {table_count} in the table, {index_count} searchable")
    lines.append(
        f"  versions: {scope} compared, {len(report.missing)} missing, {len(report.stale)} stale,"
        f" {len(report.resurrected)} resurrected"
    )
    for room, message_id, version in report.missing[:SHOWN]:
        lines.append(f"    missing      {room} {message_id} (table version {version})")
    for room, message_id, table_version, index_version in report.stale[:SHOWN]:
        lines.append(
            f"    stale        {room} {message_id} (table version {table_version},"
            f" index version {index_version})"
        )
    for room, message_id, why in report.resurrected[:SHOWN]:
        lines.append(f"    resurrected  {room} {message_id} ({why})")
    if report.drift:
        lines.append(
            "check: DRIFT: `make redrive` if the failure queue holds batches, else `make reindex`"
        )
    else:
        lines.append("check: OK, table and index agree")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m searchops.check", description=__doc__.split("\n")[0]
    )
    add_target_arguments(parser)
    parser.add_argument(
        "--sample", type=int, help="compare the versions of this many random messages"
    )
    parser.add_argument(
        "--grace", type=float, default=0.0, help="seconds before differences are read again"
    )
    parser.add_argument("--seed", type=int, help="random seed of the sample")
    args = parser.parse_args(argv)
    if args.sample is not None and args.sample < 1:
        parser.error("--sample must be at least 1")
    try:
        target = load_target(args.outputs, args.role_arn)
        report = check(target, sample=args.sample, grace=args.grace, seed=args.seed)
    except TargetError as error:
        print(f"check: {error}", file=sys.stderr)
        return 2
    print(render(report, target))
    return 1 if report.drift else 0


if __name__ == "__main__":
    sys.exit(main())
