"""`python -m searchops.reindex`: rebuild search from the messages table (`make reindex`).

Reads the table with a parallel Scan (`--segments`), turns every item into the indexer's
document (`functions.indexer.documents.action_for_item`: same document, same external
version) and writes it with `_bulk`, at most `--rate` requests per second (Scan pages and
`_bulk` calls together, a token bucket shared by the segments). Live indexing may go on
meanwhile: both write versioned documents, so whichever arrives last, the index keeps the
newest version of every message.

In place (the default), documents go wherever the indexer writes (the write alias).

`--new-index` builds a fresh index with the current mapping instead, and serves search from
the old one until it is complete: the new index joins the write alias first, so every live
change from then on reaches it too; then the Scan fills it; then one atomic `_aliases` call
moves the read alias to it and takes the old index out of both aliases (with
`--delete-old`, the old index is then deleted). Search never stops answering. A
deployment from before the aliases (a concrete index named like the alias) is migrated
the same way: the alias takes the old index's name as the old index is removed.

Resumable: progress (each segment's last key, the new index's name) is saved in the
checkpoint file after every page; run the same command again after an interruption and it
continues where it stopped. The file is removed when the reindex completes.

    python -m searchops.reindex --outputs .local/outputs.json
    python -m searchops.reindex --outputs outputs.json --new-index --segments 8 --rate 40
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from boto3.dynamodb.types import TypeDeserializer
from pyrate_limiter import Duration, limiter_factory
from tqdm import tqdm

from functions.indexer.batch import index_actions
from functions.indexer.bulk import send_bulk
from functions.indexer.documents import IndexAction, UnindexableRecord, action_for_item
from functions.indexer.mapping import index_body_with_aliases, write_alias
from searchops.target import Target, TargetError, add_target_arguments, load_target

DEFAULT_SEGMENTS = 4
DEFAULT_RATE = 20
DEFAULT_PAGE_SIZE = 200
ATTEMPTS = 4
_deserializer = TypeDeserializer()


@dataclass
class ReindexResult:
    scanned: int = 0
    indexed: int = 0
    skipped: int = 0
    failed: int = 0
    index: str | None = None


class Checkpoint:
    """Progress on disk, rewritten atomically after every page."""

    def __init__(self, path: Path, state: dict[str, Any]) -> None:
        self.path = path
        self.state = state
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, fresh: dict[str, Any]) -> tuple[Checkpoint, bool]:
        if path.exists():
            state = json.loads(path.read_text())
            for key in ("table", "mode", "segments", "changedSince"):
                if state.get(key) != fresh.get(key):
                    raise TargetError(
                        f"checkpoint {path} is for another reindex ({key}={state.get(key)!r});"
                        " delete it to start over"
                    )
            return cls(path, state), True
        return cls(path, fresh), False

    def segment(self, number: int) -> dict[str, Any]:
        return self.state["progress"].setdefault(
            str(number), {"next": None, "done": False, "scanned": 0, "indexed": 0, "failed": 0}
        )

    def save(self) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(self.path.suffix + ".tmp")
            temporary.write_text(json.dumps(self.state, indent=1))
            os.replace(temporary, self.path)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def _plain_item(item: dict[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def _write(
    target: Target,
    targets: list[str] | None,
    actions: list[IndexAction],
    throttle: Callable[[], Any],
) -> int:
    """Write `actions` (retrying the failed ones with backoff); returns how many still failed."""
    client = target.opensearch()
    pending = actions
    for attempt in range(ATTEMPTS):
        if not pending:
            return 0
        throttle()
        if targets is None:
            failures = index_actions(client, target.index, pending)
        else:
            failures = send_bulk(client, targets, pending)
        pending = [a for a, f in zip(pending, failures, strict=True) if f is not None]
        if pending and attempt < ATTEMPTS - 1:
            time.sleep(0.5 * 2**attempt)
    return len(pending)


def _scan_segment(
    target: Target,
    checkpoint: Checkpoint,
    number: int,
    *,
    targets: list[str] | None,
    throttle: Callable[[], Any],
    page_size: int,
    changed_since: str | None,
    progress: tqdm,
    on_page: Callable[[int], None] | None,
) -> None:
    state = checkpoint.segment(number)
    dynamodb = target.client("dynamodb")
    while not state["done"]:
        request: dict[str, Any] = {
            "TableName": target.table,
            "Segment": number,
            "TotalSegments": checkpoint.state["segments"],
            "Limit": page_size,
        }
        if changed_since is not None:
            request["FilterExpression"] = "attribute_not_exists(#c) OR #c >= :since"
            request["ExpressionAttributeNames"] = {"#c": "changeKey"}
            request["ExpressionAttributeValues"] = {":since": {"S": changed_since}}
        if state["next"]:
            request["ExclusiveStartKey"] = state["next"]
        throttle()
        page = dynamodb.scan(**request)
        actions: list[IndexAction] = []
        for raw in page.get("Items", []):
            try:
                actions.append(action_for_item(_plain_item(raw)))
            except UnindexableRecord:
                state["failed"] += 1
        failed = _write(target, targets, actions, throttle)
        scanned = int(page.get("ScannedCount", 0))
        state["scanned"] += scanned
        state["indexed"] += len(actions) - failed
        state["failed"] += failed
        state["next"] = page.get("LastEvaluatedKey")
        state["done"] = state["next"] is None
        checkpoint.save()
        progress.update(scanned)
        progress.set_postfix(
            indexed=_total(checkpoint, "indexed"), failed=_total(checkpoint, "failed")
        )
        if on_page is not None:
            on_page(number)


def _total(checkpoint: Checkpoint, key: str) -> int:
    return sum(int(s.get(key, 0)) for s in checkpoint.state["progress"].values())


def _approximate_count(target: Target) -> int | None:
    try:
        return int(
            target.client("dynamodb").describe_table(TableName=target.table)["Table"]["ItemCount"]
        )
    except Exception:
        return None


def _prepare_new_index(target: Target, checkpoint: Checkpoint, out: Any) -> str:
    """Create the new index and add it to the write alias beside what search reads now."""
    client = target.opensearch()
    name = checkpoint.state.get("newIndex")
    if name and client.indices.exists(index=name):
        return name
    name = f"{target.index}-{datetime.now(UTC).strftime('%Y%m%dt%H%M%Sz')}"
    base, attempt = name, 1
    while client.indices.exists(index=name):  # two rebuilds within one second
        attempt += 1
        name = f"{base}-{attempt}"
    client.indices.create(index=name, body=index_body_with_aliases(None))
    actions = [{"add": {"index": name, "alias": write_alias(target.index)}}]
    current = _read_indices(target)
    actions += [{"add": {"index": old, "alias": write_alias(target.index)}} for old in current]
    client.indices.update_aliases(body={"actions": actions})
    checkpoint.state["newIndex"] = name
    checkpoint.state["oldIndices"] = current
    checkpoint.save()
    print(
        f"new index {name}: receives live writes beside {', '.join(current) or 'nothing'}", file=out
    )
    return name


def _read_indices(target: Target) -> list[str]:
    """What the read name resolves to now: its alias's indices, or itself if concrete."""
    client = target.opensearch()
    if not client.indices.exists(index=target.index):
        return []
    try:
        return sorted(client.indices.get_alias(name=target.index))
    except Exception:
        return [target.index]


def _switch(target: Target, checkpoint: Checkpoint, delete_old: bool, out: Any) -> None:
    client = target.opensearch()
    new = checkpoint.state["newIndex"]
    client.indices.refresh(index=new)
    old = [i for i in _read_indices(target) if i != new]
    actions: list[dict[str, Any]] = [
        {"add": {"index": new, "alias": target.index}},
        {"add": {"index": new, "alias": write_alias(target.index)}},
    ]
    for index in old:
        if index == target.index:  # a concrete index from before the aliases
            actions.append({"remove_index": {"index": index}})
        else:
            actions.append({"remove": {"index": index, "alias": target.index}})
            actions.append(
                {
                    "remove": {
                        "index": index,
                        "alias": write_alias(target.index),
                        "must_exist": False,
                    }
                }
            )
    client.indices.update_aliases(body={"actions": actions})
    print(f"alias {target.index} now reads {new} (was {', '.join(old) or 'nothing'})", file=out)
    if delete_old:
        for index in old:
            if index != target.index:
                client.indices.delete(index=index)
                print(f"deleted old index {index}", file=out)


def reindex(
    target: Target,
    *,
    new_index: bool = False,
    segments: int = DEFAULT_SEGMENTS,
    rate: int = DEFAULT_RATE,
    page_size: int = DEFAULT_PAGE_SIZE,
    checkpoint_path: Path | None = None,
    delete_old: bool = False,
    changed_since: datetime | None = None,
    out: Any = sys.stdout,
    on_page: Callable[[int], None] | None = None,
) -> ReindexResult:
    since_key = None if changed_since is None else f"{int(changed_since.timestamp() * 1000):013d}"
    path = checkpoint_path or Path(".local") / f"reindex-{target.table}.json"
    fresh = {
        "table": target.table,
        "mode": "new-index" if new_index else "in-place",
        "segments": segments,
        "changedSince": since_key,
        "progress": {},
    }
    checkpoint, resumed = Checkpoint.open(path, fresh)
    if resumed:
        print(
            f"resuming from {path}: {_total(checkpoint, 'scanned')} items already scanned", file=out
        )
    targets = None
    if new_index:
        targets = [_prepare_new_index(target, checkpoint, out)]
    limiter = limiter_factory.create_token_bucket_limiter(rate, Duration.SECOND)

    def throttle() -> Any:
        return limiter.try_acquire("reindex")

    total = _approximate_count(target)
    progress = tqdm(
        total=total,
        initial=_total(checkpoint, "scanned"),
        unit="msg",
        desc="reindex",
        file=out,
        dynamic_ncols=True,
    )
    try:
        with ThreadPoolExecutor(max_workers=segments, thread_name_prefix="reindex") as pool:
            futures = [
                pool.submit(
                    _scan_segment,
                    target,
                    checkpoint,
                    number,
                    targets=targets,
                    throttle=throttle,
                    page_size=page_size,
                    changed_since=since_key,
                    progress=progress,
                    on_page=on_page,
                )
                for number in range(segments)
            ]
            for future in futures:
                future.result()
    finally:
        progress.close()
    result = ReindexResult(
        scanned=_total(checkpoint, "scanned"),
        indexed=_total(checkpoint, "indexed"),
        failed=_total(checkpoint, "failed"),
        index=targets[0] if targets else None,
    )
    if result.failed:
        print(f"{result.failed} messages could not be indexed; the checkpoint is kept", file=out)
        return result
    if new_index:
        _switch(target, checkpoint, delete_old, out)
    checkpoint.remove()
    return result


def reindex_in_place(target: Target, *, changed_since: datetime | None, out: Any) -> ReindexResult:
    """What redrive hands batches the stream no longer holds to."""
    path = Path(".local") / f"reindex-{target.table}-redrive.json"
    return reindex(target, changed_since=changed_since, checkpoint_path=path, out=out)


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m searchops.reindex", description=__doc__.split("\n")[0]
    )
    add_target_arguments(parser)
    parser.add_argument(
        "--new-index", action="store_true", help="build a new index, then switch the alias"
    )
    parser.add_argument(
        "--delete-old", action="store_true", help="with --new-index: delete the old index"
    )
    parser.add_argument(
        "--segments", type=positive, default=DEFAULT_SEGMENTS, help="parallel Scan segments"
    )
    parser.add_argument(
        "--rate", type=positive, default=DEFAULT_RATE, help="requests per second, at most"
    )
    parser.add_argument(
        "--page-size", type=positive, default=DEFAULT_PAGE_SIZE, help="items per Scan page"
    )
    parser.add_argument(
        "--checkpoint", type=Path, help="progress file (default .local/reindex-<table>.json)"
    )
    parser.add_argument(
        "--changed-since",
        type=datetime.fromisoformat,
        help="only messages changed at or after this ISO 8601 time (or of unknown change time)",
    )
    args = parser.parse_args(argv)
    if args.delete_old and not args.new_index:
        parser.error("--delete-old needs --new-index")
    since = args.changed_since
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    try:
        target = load_target(args.outputs, args.role_arn)
        mode = "into a new index" if args.new_index else "in place"
        print(
            f"reindex: table {target.table} -> {target.index} {mode},"
            f" {args.segments} segments, at most {args.rate} requests/s"
        )
        result = reindex(
            target,
            new_index=args.new_index,
            segments=args.segments,
            rate=args.rate,
            page_size=args.page_size,
            checkpoint_path=args.checkpoint,
            delete_old=args.delete_old,
            changed_since=since,
        )
    except TargetError as error:
        print(f"reindex: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reindex: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    print(
        f"reindex: {result.scanned} items scanned, {result.indexed} indexed, {result.failed} failed"
        + (f", search now reads {result.index}" if result.index and not result.failed else "")
    )
    return 1 if result.failed else 0


if __name__ == "__main__":
    sys.exit(main())
