"""The one module that reaches into moto's internals; checked against moto 5.2.5.

moto is the emulator's AWS (DynamoDB, Streams, Cognito) and the tests' too, so the
project keeps one engine and corrects it here rather than adding another: DynamoDB
Local needs a JVM and a download this project cannot count on, LocalStack needs Docker,
and neither runs inside the tests' process the way `mock_aws` does. Every reach below
is covered by `tests/emulator/test_moto_internals.py`, which fails when moto changes the
shapes relied on (`shape_problems()` lists them).

What is changed, and why:

- **Transactions roll back per item.** moto's `DynamoDBBackend.transact_write_items`
  deep-copies every table it touches (all items and every stream record) before each
  transaction and swaps the copy in when it is cancelled: a transaction costs time and
  memory in proportion to everything stored, and a stream reader holding the old stream
  object sees nothing new after a cancellation. `_transact_write_items` keeps the same
  semantics (conditions checked in order, reasons per item, `ReturnValuesOnCondition
  CheckFailure`, one operation per item) with an undo log: a copy of each item it
  touches and the stream position of each table, restored in place on cancellation.
- **One FIFO lock around every moto request** (`BaseResponse._dispatch`, and S3's own
  entry points `S3Response.bucket_response` / `key_response`, which bypass it): moto's backends
  are not thread-safe, and DynamoDB isolates each request (a transaction entirely). The
  same lock covers HTTP callers of `awsEndpoint` (boto3, AWS CLI, Lambdas), the engine's
  in-process client and `mock_aws` in tests, in arrival order (`emulator.fair_lock`).
- **Streams keep records 24 hours** (`chatspec.aws_limits.DYNAMODB_STREAM_RETENTION`);
  older ones are trimmed and reading them is `TrimmedDataAccessException`, as in DynamoDB
  Streams. moto keeps them forever. The table's one shard then reports the oldest kept
  sequence number as its `StartingSequenceNumber` (DynamoDB would have closed and
  dropped whole shards instead); TRIM_HORIZON, LATEST and sequence numbers stay exact.
- **Shard iterators expire after 15 minutes** (`DYNAMODB_SHARD_ITERATOR_LIFETIME`); moto
  keeps every iterator it ever issued (one ~700-character entry per GetRecords call).
- **No instance tracking for per-item objects:** moto's `BaseModel.__new__` appends every
  instance to a class-wide list for its debug dashboard and never removes it, so every
  item, every copy `UpdateItem` makes of one, every stream record and every shard
  iterator stayed in memory forever. Items, stream records and iterators are not tracked.
- **Attribute names, type tags and short string values are interned** (`sys.intern`,
  `emulator.shared_strings`) as moto builds items, so 100,000 messages share their
  attribute names, room ids and author ids (with the search stand-in's documents too)
  instead of each holding its own copies from the request's JSON; a stored item's short
  scalars and keys share one `DynamoType` per value (`_canonical`).
- **Stream records are kept compressed** (`CompactStreamRecord`, a tenth of moto's size).
- **TTL deletions carry DynamoDB's identity:** a delete made inside `ttl_deletions()` (the
  emulator's TTL sweep, `emulator.ttl`) gets the stream record's `userIdentity` that DynamoDB
  gives its TTL process's deletions (`chatspec.aws_limits.DYNAMODB_TTL_STREAM_IDENTITY`, in
  the Streams API's spelling `Type`/`PrincipalId`); every other delete gets none, as in
  DynamoDB. moto writes no `userIdentity` at all.
- **CopyObject honours `x-amz-copy-source-if-match`** (`chatspec.aws_limits.
  S3_COPY_SOURCE_IF_MATCH`): S3 copies only while the source has that ETag and answers 412
  PreconditionFailed otherwise; moto 5.2 checks only `-if-none-match` and copied anyway.
  The file check's copy of what it checked relies on it.
- **Change hooks:** a stream record, an item write or an S3 object stored, deleted or
  tagged calls the registered listeners, so the stream feeder is woken by writes instead
  of polling and `--data-dir` journals only the items and objects that changed.
- **DynamoDB responses serialised with `json.dumps`** for the data-plane actions whose
  results are plain JSON-ready dicts (`FAST_ACTIONS`); moto 5.2's model-driven serialiser
  walks the output shape value by value and took most of a GetRecords call (100 full
  records) and a fifth of every GetItem. Anything else, and any result `json` cannot
  encode, goes through moto's serialiser as before; a test compares both outputs.
- **moto lists a handler class's methods once** (`method_names_from_class`, which moto
  calls through `inspect.getmembers` on every request).
- **moto's server finds a host's backend once** (`DomainDispatcherApplication.
  get_backend_for_host`): on every HTTP request it listed moto's package folder (a `stat`
  of each of its ~200 entries) and then tried each backend's URL patterns, about a
  millisecond of every call a Lambda or the AWS CLI makes to `awsEndpoint`.
- **The engine's DynamoDB calls skip botocore** (`DirectDynamoDb`): validated against the
  botocore model, sent to moto's DynamoDB handler as wire JSON, answered and failed as
  botocore would, with the client's events; the plumbing was half of each call.
- **Empty tables are copied, not created** (`copy_tables`, `restore_tables`) for tests
  that start an emulator each.
- **An in-process boto3 client** (`in_process_client`): moto's `BotocoreStubber` on one
  client's `before-send`, so the engine's requests skip HTTP; the global `mock_aws` is not
  started (it would reset every backend and intercept every client in the process).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from chatspec.aws_limits import (
    DYNAMODB_ITEM_SIZE,
    DYNAMODB_SHARD_ITERATOR_LIFETIME,
    DYNAMODB_STREAM_RETENTION,
    DYNAMODB_TTL_STREAM_IDENTITY,
)
from emulator.fair_lock import FairLock
from emulator.shared_strings import shared

MOTO_VERSION_CHECKED = "5.2.5"
MOTO_LOCK = FairLock()
"""Held for the whole of every moto request, whichever way it arrived."""

ItemListener = Callable[[str, dict[str, Any]], None]
"""(table name, key in DynamoDB JSON) of an item that was written, deleted or restored."""
StreamListener = Callable[[str], None]
"""Table name of a stream that got a record."""
ObjectListener = Callable[[str, str], None]
"""(bucket, key) of an S3 object that was stored, deleted or tagged."""

_item_listeners: list[ItemListener] = []
_stream_listeners: list[StreamListener] = []
_object_listeners: list[ObjectListener] = []
_installed = False
_install_lock = threading.Lock()
clock: Callable[[], float] = time.time
"""Seconds since the epoch for stream retention and iterator expiry (tests move it)."""
TRIM_CHECK_SECONDS = 60.0
"""How often, at most, a stream looks for records past retention."""
TTL_STREAM_IDENTITY = {
    "Type": DYNAMODB_TTL_STREAM_IDENTITY.value["type"],
    "PrincipalId": DYNAMODB_TTL_STREAM_IDENTITY.value["principalId"],
}
"""The stream record's `userIdentity` of a TTL deletion as GetRecords returns it (the Streams
API's `Identity` shape); `emulator.streams.lambda_record` gives Lambda's spelling."""
_ttl_deleting: contextvars.ContextVar[bool] = contextvars.ContextVar("ttl_deleting", default=False)


@contextlib.contextmanager
def ttl_deletions() -> Iterator[None]:
    """Deletes made in this block, in this thread, are DynamoDB TTL's: their stream records
    carry `TTL_STREAM_IDENTITY`. Only in-process requests (the engine's client, `mock_aws`)
    run in the caller's thread; a request over HTTP is served by another and gets none."""
    token = _ttl_deleting.set(True)
    try:
        yield
    finally:
        _ttl_deleting.reset(token)


def add_item_listener(listener: ItemListener) -> Callable[[], None]:
    _item_listeners.append(listener)
    return lambda: _item_listeners.remove(listener) if listener in _item_listeners else None


def add_stream_listener(listener: StreamListener) -> Callable[[], None]:
    _stream_listeners.append(listener)
    return lambda: _stream_listeners.remove(listener) if listener in _stream_listeners else None


def add_object_listener(listener: ObjectListener) -> Callable[[], None]:
    _object_listeners.append(listener)
    return lambda: _object_listeners.remove(listener) if listener in _object_listeners else None


def _object_changed(bucket: str, key: str) -> None:
    for listener in list(_object_listeners):
        listener(bucket, key)


def _reports_object(original: Callable[..., Any]) -> Callable[..., Any]:
    """S3Backend.put_object and delete_object, both `(self, bucket_name, key_name, ...)`."""

    def changes_object(self: Any, bucket_name: str, key_name: str, *args: Any, **kw: Any) -> Any:
        answer = original(self, bucket_name, key_name, *args, **kw)
        _object_changed(bucket_name, key_name)
        return answer

    changes_object.__wrapped__ = original  # type: ignore[attr-defined]
    return changes_object


def _object_tagged(original: Callable[..., Any]) -> Callable[..., Any]:
    def put_object_tagging(self: Any, key: Any, tags: Any) -> Any:
        answer = original(self, key, tags)
        _object_changed(key.bucket_name, key.name)
        return answer

    put_object_tagging.__wrapped__ = original  # type: ignore[attr-defined]
    return put_object_tagging


def _copy_if_match(original: Callable[..., Any]) -> Callable[..., Any]:
    def copy_object(self: Any) -> Any:
        wanted = self.headers.get("x-amz-copy-source-if-match")
        if wanted:
            from urllib.parse import parse_qs, unquote, urlparse

            from moto.s3.exceptions import PreconditionFailed

            source = self.headers.get("x-amz-copy-source")
            if isinstance(source, bytes):
                source = source.decode("utf-8")
            parsed = urlparse(source)
            bucket, key = unquote(parsed.path).lstrip("/").split("/", 1)
            version = parse_qs(parsed.query).get("versionId", [None])[0]
            found = self.backend.get_object(bucket, key, version_id=version)
            if found is not None and found.etag.strip('"') != wanted.strip('"'):
                raise PreconditionFailed(failed_condition="x-amz-copy-source-If-Match")
        return original(self)

    copy_object.__wrapped__ = original  # type: ignore[attr-defined]
    return copy_object


def _item_key(table: Any, hash_value: Any, range_value: Any) -> dict[str, Any]:
    key = {table.hash_key_attr: hash_value.to_json()}
    if table.range_key_attr is not None and range_value is not None:
        key[table.range_key_attr] = range_value.to_json()
    return key


def _written(table: Any, hash_value: Any, range_value: Any) -> None:
    if _item_listeners:
        key = _item_key(table, hash_value, range_value)
        for listener in list(_item_listeners):
            listener(table.name, key)


class _UndoLog:
    """What a transaction changed: each item as it was before, each stream's length."""

    def __init__(self) -> None:
        self.items: list[tuple[Any, Any, Any, Any]] = []
        self.streams: dict[int, tuple[Any, int]] = {}

    def remember(self, table: Any, hash_value: Any, range_value: Any, before: Any) -> None:
        self.items.append((table, hash_value, range_value, copy.deepcopy(before)))
        shard = table.stream_shard
        if shard is not None and id(shard) not in self.streams:
            self.streams[id(shard)] = (shard, shard.starting_sequence_number + len(shard.items))

    def rollback(self) -> None:
        for table, hash_value, range_value, before in reversed(self.items):
            if range_value is None:
                if before is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = before
            else:
                bucket = table.items[hash_value]
                if before is None:
                    bucket.pop(range_value, None)
                    if not bucket:
                        del table.items[hash_value]
                else:
                    bucket[range_value] = before
            _written(table, hash_value, range_value)
        for shard, next_sequence in self.streams.values():
            keep = next_sequence - shard.starting_sequence_number
            if keep >= 0:
                del shard.items[keep:]


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """DynamoDBBackend.transact_write_items with a per-item undo log (see the module)."""
    from moto.dynamodb.exceptions import (
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models.dynamo_type import DynamoType

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    undo = _UndoLog()
    targets: set[tuple[str, str]] = set()
    reasons: list[tuple[Any, Any, Any]] = []
    try:
        for entry in transact_items:
            if len(entry) > 1:
                raise TransactWriteSingleOpException
            reasons.append(_transact_one(self, entry, targets, undo, DynamoType))
    except (MultipleTransactionsException, MockValidationException):
        undo.rollback()
        raise
    if any(code is not None for code, _, _ in reasons):
        undo.rollback()
        raise TransactionCanceledException(reasons)


def _transact_one(
    backend: Any, entry: dict[str, Any], targets: set, undo: _UndoLog, dynamo_type: Any
) -> tuple[Any, Any, Any]:
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
    )

    returned = None
    try:
        kind, op = next(iter(entry.items()))
        if kind not in ("ConditionCheck", "Put", "Delete", "Update"):
            raise ValueError("Unsupported transaction operation")
        name = op["TableName"]
        table = backend.get_table(name)
        if kind == "Put":
            attrs = op["Item"]
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
        else:
            key = op["Key"]
        target = (str(name), str(dict(sorted(key.items()))))
        if target in targets:
            raise MultipleTransactionsException()
        targets.add(target)
        current = backend.get_item(name, key)
        names = op.get("ExpressionAttributeNames")
        values = op.get("ExpressionAttributeValues")
        condition = op.get("ConditionExpression")
        if condition is not None and not get_filter_expression(condition, names, values).expr(
            current
        ):
            if op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current:
                returned = current.to_json()["Attributes"]
            raise ConditionalCheckFailed(item=returned)
        if kind == "ConditionCheck":
            return (None, None, None)
        hash_value = dynamo_type(key[table.hash_key_attr])
        range_value = (
            dynamo_type(key[table.range_key_attr]) if table.range_key_attr is not None else None
        )
        undo.remember(table, hash_value, range_value, current)
        if kind == "Put":
            backend.put_item(name, op["Item"])
        elif kind == "Delete":
            backend.delete_item(name, key)
        else:
            backend.update_item(name, key, op["UpdateExpression"], names, values)
        return (None, None, None)
    except (MultipleTransactionsException, MockValidationException):
        raise
    except ConditionalCheckFailed as error:
        return ("ConditionalCheckFailed", str(error.message), returned)
    except Exception as error:
        return (type(error).__name__, str(error), returned)


def _locked_dispatch(original: Callable[..., Any]) -> Callable[..., Any]:
    def dispatch(self: Any, *args: Any, **kwargs: Any) -> Any:
        with MOTO_LOCK:
            return original(self, *args, **kwargs)

    dispatch.__wrapped__ = original  # type: ignore[attr-defined]
    return dispatch


FAST_ACTIONS = {
    "dynamodb": frozenset(
        {
            "GetItem",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "Query",
            "Scan",
            "BatchGetItem",
            "BatchWriteItem",
            "TransactGetItems",
            "TransactWriteItems",
        }
    ),
    "dynamodbstreams": frozenset({"GetRecords", "GetShardIterator"}),
}
fast_serialise = True
"""Tests turn it off to compare with moto's own serialiser."""


def _epoch(value: Any) -> Any:
    import calendar
    from datetime import datetime

    if isinstance(value, datetime):
        base = calendar.timegm(value.utctimetuple())
        return base + (value.microsecond // 1000) / 1000.0 if value.microsecond else base
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def _fast_serialized(original: Callable[..., Any]) -> Callable[..., Any]:
    import json

    def serialized(self: Any, action_result: Any) -> Any:
        result = getattr(action_result, "result", None)
        actions = FAST_ACTIONS.get(getattr(self, "service_name", None) or "")
        if (
            fast_serialise
            and actions
            and isinstance(result, dict)
            and self._get_action() in actions
        ):
            try:
                body = json.dumps(_without_none(result), default=_epoch)
            except TypeError:
                pass
            else:
                headers = {"Content-Type": "application/x-amz-json-1.0"}
                headers.update(self.response_headers)
                return 200, headers, body
        return original(self, action_result)

    serialized.__wrapped__ = original  # type: ignore[attr-defined]
    return serialized


def _trimmed_data_access(sequence: int) -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(
        "TrimmedDataAccessException",
        f"The sequence number {sequence} is beyond the stream's retention period of "
        f"{DYNAMODB_STREAM_RETENTION.value} seconds; the record was trimmed.",
    )


def _expired_iterator() -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(
        "ExpiredIteratorException",
        f"The shard iterator has expired: iterators are valid for "
        f"{DYNAMODB_SHARD_ITERATOR_LIFETIME.value} seconds after they are issued.",
    )


def _trim_expired(shard: Any) -> None:
    """Drop records older than the retention period; their sequence numbers stay used."""
    now = clock()
    if now - getattr(shard, "_emulator_trim_checked", 0.0) < TRIM_CHECK_SECONDS:
        return
    shard._emulator_trim_checked = now
    horizon = now - DYNAMODB_STREAM_RETENTION.value
    records = shard.items
    cut = 0
    while cut < len(records) and getattr(records[cut], "_emulator_created", now) < horizon:
        cut += 1
    if cut:
        del records[:cut]
        shard.starting_sequence_number += cut


_BYTES = "__emulator_bytes__"
_RECORD_DICTIONARY = (
    b'{"BOOL":false}{"BOOL":true}{"NULL":true}{"M":{}}{"L":[]}{"N":"{"S":"},"OldImage":{'
    b'"NewImage":{"SequenceNumber":"1100000000017454","SizeBytes":"StreamViewType":'
    b'"NEW_AND_OLD_IMAGES"}}{"eventName":"INSERT","eventVersion":"1.0","eventSource":'
    b'"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{"Keys":{"MODIFY"REMOVE"'
)
"""A preset deflate dictionary of what every stream record's JSON repeats (a third less)."""


def _pack_bytes(value: Any) -> Any:
    import base64

    if isinstance(value, bytes | bytearray):
        return {_BYTES: base64.b64encode(value).decode()}
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _unpack_bytes(value: dict[str, Any]) -> Any:
    import base64

    if len(value) == 1 and _BYTES in value:
        return base64.b64decode(value[_BYTES])
    return value


class CompactStreamRecord:
    """A stream record kept as compressed JSON: moto's `StreamRecord` holds the old and new
    images as nested dicts, about 6.5 KB for one chat message, and the stream keeps a day
    of them; this is about a tenth of that. `to_json` gives moto's dict back."""

    __slots__ = ("_created", "_emulator_created", "_packed")

    def __init__(self, record: dict[str, Any], now: float) -> None:
        import json
        import zlib

        body = dict(record)
        dynamodb = dict(body["dynamodb"])
        self._created = dynamodb.pop("ApproximateCreationDateTime", None)
        body["dynamodb"] = dynamodb
        text = json.dumps(body, separators=(",", ":"), default=_pack_bytes)
        packer = zlib.compressobj(1, zlib.DEFLATED, -15, zdict=_RECORD_DICTIONARY)
        self._packed = packer.compress(text.encode()) + packer.flush()
        self._emulator_created = now

    def to_json(self) -> dict[str, Any]:
        import json
        import zlib

        unpacker = zlib.decompressobj(-15, zdict=_RECORD_DICTIONARY)
        text = unpacker.decompress(self._packed) + unpacker.flush()
        record = json.loads(text, object_hook=_unpack_bytes)
        if self._created is not None:
            record["dynamodb"]["ApproximateCreationDateTime"] = self._created
        return record


def _stream_add(original: Callable[..., Any]) -> Callable[..., Any]:
    def add(self: Any, old: Any, new: Any) -> None:
        _trim_expired(self)
        original(self, old, new)
        if self.items:
            record = self.items[-1].to_json()
            if new is None and _ttl_deleting.get():
                record = {**record, "userIdentity": dict(TTL_STREAM_IDENTITY)}
            self.items[-1] = CompactStreamRecord(record, clock())
        for listener in list(_stream_listeners):
            listener(self.table.name)

    add.__wrapped__ = original  # type: ignore[attr-defined]
    return add


def _stream_get(original: Callable[..., Any]) -> Callable[..., Any]:
    def get(self: Any, start: int, quantity: int) -> list[dict[str, Any]]:
        if start < self.starting_sequence_number:
            raise _trimmed_data_access(start)
        return original(self, start, quantity)

    get.__wrapped__ = original  # type: ignore[attr-defined]
    return get


def _expire_iterators(backend: Any) -> None:
    iterators = backend.shard_iterators
    horizon = clock() - DYNAMODB_SHARD_ITERATOR_LIFETIME.value
    while iterators:
        oldest = next(iter(iterators))
        if getattr(iterators[oldest], "_emulator_issued", horizon) >= horizon:
            break
        del iterators[oldest]


def _issue_iterator(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_shard_iterator(self: Any, *args: Any, **kwargs: Any) -> Any:
        _expire_iterators(self)
        iterator = original(self, *args, **kwargs)
        iterator._emulator_issued = clock()
        return iterator

    get_shard_iterator.__wrapped__ = original  # type: ignore[attr-defined]
    return get_shard_iterator


def _read_iterator(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_records(self: Any, iterator_arn: str, limit: int) -> dict[str, Any]:
        _expire_iterators(self)
        if iterator_arn not in self.shard_iterators:
            raise _expired_iterator()
        result = original(self, iterator_arn, limit)
        # moto registers the next iterator inside `get`; stamp it so that it can expire.
        following = self.shard_iterators.get(result.get("NextShardIterator"))
        if following is not None:
            following._emulator_issued = clock()
        return result

    get_records.__wrapped__ = original  # type: ignore[attr-defined]
    return get_records


def _table_put(original: Callable[..., Any]) -> Callable[..., Any]:
    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original(self, *args, **kwargs)
        _written(self, item.hash_key, item.range_key)
        return item

    put_item.__wrapped__ = original  # type: ignore[attr-defined]
    return put_item


def _table_delete(original: Callable[..., Any]) -> Callable[..., Any]:
    def delete_item(self: Any, hash_key: Any, range_key: Any = None) -> Any:
        item = original(self, hash_key, range_key)
        if item is not None:
            _written(self, hash_key, range_key)
        return item

    delete_item.__wrapped__ = original  # type: ignore[attr-defined]
    return delete_item


def _backend_update(original: Callable[..., Any]) -> Callable[..., Any]:
    def update_item(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        item = original(self, table_name, *args, **kwargs)
        _written(self.get_table(table_name), item.hash_key, item.range_key)
        return item

    update_item.__wrapped__ = original  # type: ignore[attr-defined]
    return update_item


def read_items(
    region: str, wanted: list[tuple[str, dict[str, Any]]], account: str = "123456789012"
) -> list[dict[str, Any] | None]:
    """Each (table, key)'s item in DynamoDB JSON (None: absent), read under MOTO_LOCK in one
    go without a request per item (for the `--data-dir` journal)."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[account][region]
    found: list[dict[str, Any] | None] = []
    with MOTO_LOCK:
        for table, key in wanted:
            try:
                item = backend.get_item(table, key)
            except Exception:
                item = None
            found.append(None if item is None else item.to_json()["Attributes"])
    return found


def item_count(region: str, tables: list[str], account: str = "123456789012") -> int:
    """How many items the tables hold (for deciding when to compact the journal)."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[account][region]
    with MOTO_LOCK:
        return sum(
            sum(len(v) if isinstance(v, dict) else 1 for v in backend.tables[t].items.values())
            for t in tables
            if t in backend.tables
        )


def expired_keys(
    region: str, table: str, attribute: str, now: float, account: str = "123456789012"
) -> list[dict[str, Any]]:
    """The keys (DynamoDB JSON) of the table's items whose `attribute` is a number below
    `now`, found in one pass over moto's items (for the TTL sweep).

    A Scan would do, but moto sorts every item of the table for each page it returns: a
    sweep of 100,000 messages held the lock for over a minute, page after page, and the
    emulator's requests and Lambdas waited behind it. The pass holds MOTO_LOCK only to copy
    the table's top-level dict; each partition's dict is copied in one C call (`list`,
    atomic under the GIL), and a value read while a write changes it is harmless, since
    the sweep deletes each item on the condition that it is still expired."""
    from moto.dynamodb.models import dynamodb_backends

    with MOTO_LOCK:
        moto_table = dynamodb_backends[account][region].tables.get(table)
        stored = [] if moto_table is None else list(moto_table.items.values())
    found = []
    for entry in stored:
        for item in list(entry.values()) if isinstance(entry, dict) else (entry,):
            value = item.attrs.get(attribute)
            if value is None or value.type != "N":
                continue
            try:
                expired = float(value.value) < now
            except ValueError:
                continue
            if expired:
                found.append(_item_key(moto_table, item.hash_key, item.range_key))
    return found


def copy_tables(region: str, names: list[str], account: str = "123456789012") -> dict[str, Any]:
    """A deep copy of the named moto tables, for `restore_tables` in a later mock."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[account][region]
    with MOTO_LOCK:
        return copy.deepcopy({name: backend.tables[name] for name in names})


def restore_tables(region: str, tables: dict[str, Any], account: str = "123456789012") -> None:
    """Puts a copy of `copy_tables`' tables into the current mock's backend.

    Creating the chatspec tables through boto3 takes about 50 ms (thirteen CreateTable and
    UpdateTimeToLive round trips through botocore and moto's serialisers); a test suite
    that starts an emulator per test pays it hundreds of times, a copy of the empty tables
    costs under a millisecond."""
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[account][region]
    with MOTO_LOCK:
        backend.tables.update(copy.deepcopy(tables))


SHARED_VALUE_LENGTH = 40
"""String values up to this length (ids, enum values) share one `DynamoType` per value."""


def _interning_dynamo_type(original: Callable[..., Any]) -> Callable[..., Any]:
    import sys

    def __init__(self: Any, type_as_dict: Any) -> None:
        original(self, type_as_dict)
        self.type = sys.intern(self.type)
        self.value = shared(self.value)

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    return __init__


SHARED_SCALARS_LIMIT = 200_000
"""How many distinct scalar values `_canonical` remembers before it starts afresh."""

_SHARED_SCALAR_TYPES = frozenset({"S", "N", "BOOL", "NULL"})
_shared_scalars: dict[tuple[str, Any], Any] = {}


def _canonical(value: Any) -> Any:
    """One `DynamoType` for every stored copy of a short scalar (a room id, a flag, an
    enum value): an item held a `DynamoType` of its own per attribute and per key, about
    90 bytes each, for values most items repeat. moto never changes a scalar `DynamoType`
    in place (updates put a new one; only lists, maps and sets are changed in place), so
    sharing one is safe. The table starts afresh past `SHARED_SCALARS_LIMIT` values, which
    bounds what unique values (message ids) cost it."""
    if value is None or value.type not in _SHARED_SCALAR_TYPES:
        return value
    raw = value.value
    if type(raw) is str:
        if len(raw) > SHARED_VALUE_LENGTH:
            return value
    elif type(raw) is not bool:
        return value
    key = (value.type, raw)
    one = _shared_scalars.get(key)
    if one is None:
        if len(_shared_scalars) >= SHARED_SCALARS_LIMIT:
            _shared_scalars.clear()
        one = _shared_scalars.setdefault(key, value)
    return one


def _interning_item(original: Callable[..., Any]) -> Callable[..., Any]:
    import sys

    def __init__(self: Any, hash_key: Any, range_key: Any, attrs: dict[str, Any]) -> None:
        original(self, hash_key, range_key, attrs)
        # Keys first: the table's index holds the range key object it was given, so that
        # one becomes the shared instance when its value is new.
        self.hash_key = _canonical(self.hash_key)
        self.range_key = _canonical(self.range_key)
        shared = self.attrs.__class__()
        for key, value in self.attrs.items():
            dict.__setitem__(shared, sys.intern(key), _canonical(value))
        self.attrs = shared

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    return __init__


def _backend_by_host(original: Callable[..., Any]) -> Callable[..., Any]:
    """The backend for a host depends on the host alone (moto's package folder and URL
    patterns do not change while it runs); a handful of hosts are ever asked for."""
    found: dict[Any, Any] = {}

    def get_backend_for_host(self: Any, host: Any) -> Any:
        if host not in found:
            found[host] = original(self, host)
        return found[host]

    get_backend_for_host.__wrapped__ = original  # type: ignore[attr-defined]
    return get_backend_for_host


def _untracked_new(untracked: frozenset[type]) -> Any:
    def __new__(cls: type, *args: Any, **kwargs: Any) -> Any:
        instance = object.__new__(cls)
        if cls not in untracked:
            cls.instances_tracked.append(instance)  # type: ignore[attr-defined]
        return instance

    return staticmethod(__new__)


def install() -> None:
    """Apply every change above, once per process (idempotent, thread-safe)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        problems = shape_problems()
        if problems:
            raise RuntimeError(
                f"moto's internals differ from moto {MOTO_VERSION_CHECKED}, which "
                f"emulator/moto_internals.py was written against: {'; '.join(problems)}"
            )
        from moto.core.common_models import BaseModel
        from moto.core.responses import BaseResponse
        from moto.dynamodb.models import DynamoDBBackend
        from moto.dynamodb.models.dynamo_type import DynamoType, Item
        from moto.dynamodb.models.table import StreamRecord, StreamShard, Table
        from moto.dynamodbstreams.models import DynamoDBStreamsBackend, ShardIterator

        BaseModel.__new__ = _untracked_new(frozenset({Item, StreamRecord, ShardIterator}))
        DynamoType.__init__ = _interning_dynamo_type(DynamoType.__init__)
        Item.__init__ = _interning_item(Item.__init__)
        import functools

        import moto.core.responses as responses

        responses.method_names_from_class = functools.lru_cache(maxsize=None)(
            responses.method_names_from_class
        )
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication

        DomainDispatcherApplication.get_backend_for_host = _backend_by_host(
            DomainDispatcherApplication.get_backend_for_host
        )
        BaseResponse._dispatch = _locked_dispatch(BaseResponse._dispatch)
        BaseResponse.serialized = _fast_serialized(BaseResponse.serialized)
        _transact_write_items.__wrapped__ = DynamoDBBackend.transact_write_items  # type: ignore[attr-defined]
        DynamoDBBackend.transact_write_items = _transact_write_items
        DynamoDBBackend.update_item = _backend_update(DynamoDBBackend.update_item)
        Table.put_item = _table_put(Table.put_item)
        Table.delete_item = _table_delete(Table.delete_item)
        StreamShard.add = _stream_add(StreamShard.add)
        StreamShard.get = _stream_get(StreamShard.get)
        DynamoDBStreamsBackend.get_shard_iterator = _issue_iterator(
            DynamoDBStreamsBackend.get_shard_iterator
        )
        DynamoDBStreamsBackend.get_records = _read_iterator(DynamoDBStreamsBackend.get_records)
        from moto.sns.models import SNSBackend

        SNSBackend.set_endpoint_attributes = _boolean_enabled(SNSBackend.set_endpoint_attributes)
        from moto.s3.models import S3Backend

        S3Backend.put_object = _reports_object(S3Backend.put_object)
        S3Backend.delete_object = _reports_object(S3Backend.delete_object)
        S3Backend.put_object_tagging = _object_tagged(S3Backend.put_object_tagging)
        from moto.s3.responses import S3Response

        S3Response.copy_object = _copy_if_match(S3Response.copy_object)
        S3Response.bucket_response = _locked_dispatch(S3Response.bucket_response)
        S3Response.key_response = _locked_dispatch(S3Response.key_response)
        _installed = True


def _boolean_enabled(original: Callable[..., Any]) -> Callable[..., Any]:
    """SNS's `Enabled` endpoint attribute is the text "true"/"false"; moto 5.2 stores the
    text and then treats every endpoint whose value is not the boolean True as disabled
    (so "true" disabled it). Stored as a boolean here, as moto's own default is."""

    def set_endpoint_attributes(self: Any, arn: str, attributes: dict[str, Any]) -> Any:
        fixed = dict(attributes)
        if isinstance(fixed.get("Enabled"), str):
            fixed["Enabled"] = fixed["Enabled"].strip().lower() == "true"
        return original(self, arn, fixed)

    return set_endpoint_attributes


def _parameters(function: Any) -> list[str]:
    import inspect

    return list(inspect.signature(function).parameters)


# Item sizes (the counting is emulator.datasources.dynamodb_limits') --------------------

_item_size_installed = False
_item_size_lock = threading.Lock()


def install_moto_item_size() -> None:
    """Make moto's per-item size check count AWS's way against the registry's limit.

    moto checks an item each time one of its top-level attributes is set
    (`LimitedSizeDict.__setitem__`, limit 405,000 bytes by its own count); the replacement
    keeps that hook and raises the same moto exception, at AWS's number and size.
    """
    global _item_size_installed
    with _item_size_lock:
        if _item_size_installed:
            return
        from moto.dynamodb.exceptions import ItemSizeTooLarge
        from moto.dynamodb.models.dynamo_type import LimitedSizeDict

        def checked_setitem(self: dict, key: str, value: Any) -> None:
            if moto_item_size({**self, key: value}) > DYNAMODB_ITEM_SIZE.value:
                raise ItemSizeTooLarge
            dict.__setitem__(self, key, value)

        LimitedSizeDict.__setitem__ = checked_setitem  # type: ignore[method-assign]
        _item_size_installed = True


def _moto_value_size(attribute: Any) -> int:
    """`value_size` of a moto `DynamoType` (maps and lists hold DynamoTypes)."""
    from emulator.datasources.dynamodb_limits import (
        ELEMENT_OVERHEAD,
        LIST_OR_MAP_OVERHEAD,
        value_size,
    )

    if not hasattr(attribute, "type"):
        return len(str(attribute).encode("utf-8"))
    kind, inner = attribute.type, attribute.value
    if kind == "M":
        return LIST_OR_MAP_OVERHEAD + sum(
            ELEMENT_OVERHEAD + len(k.encode("utf-8")) + _moto_value_size(v)
            for k, v in inner.items()
        )
    if kind == "L":
        return LIST_OR_MAP_OVERHEAD + sum(ELEMENT_OVERHEAD + _moto_value_size(v) for v in inner)
    if kind in ("B", "BS"):
        return value_size(attribute.to_regular_json())
    return value_size({kind: inner})


def moto_item_size(attributes: dict[str, Any]) -> int:
    return sum(
        len(name.encode("utf-8")) + _moto_value_size(value) for name, value in attributes.items()
    )


def key_attributes(client: Any, table: str) -> tuple[list[str], list[str]]:
    """(partition key attributes, sort key attributes) of a moto table, base table first,
    read from the table object (DescribeTable would count as a resolver's request)."""
    moto_table = _moto_table(client, table)
    hashes = [moto_table.hash_key_attr]
    ranges = [moto_table.range_key_attr] if moto_table.range_key_attr else []
    for index in [*moto_table.global_indexes, *moto_table.indexes]:
        for element in index.schema:
            target = hashes if element["KeyType"] == "HASH" else ranges
            if element["AttributeName"] not in target:
                target.append(element["AttributeName"])
    return hashes, ranges


def _moto_table(client: Any, table: str) -> Any:
    from moto.dynamodb.models import dynamodb_backends

    region = client.meta.region_name
    found = [
        backend.tables[table]
        for regions in list(dynamodb_backends.values())
        for name, backend in list(regions.items())
        if name == region and table in backend.tables
    ]
    if len(found) != 1:
        raise LookupError(f"{len(found)} moto tables named {table!r} in {region}")
    return found[0]


def _stored(client: Any, table: str, key: dict[str, dict[str, Any]]) -> tuple[Any, Any, Any]:
    """(hash key, range key or None, the stored moto Item or None) at `key`."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    moto_table = _moto_table(client, table)
    hash_value = DynamoType(key[moto_table.hash_key_attr])
    range_value = DynamoType(key[moto_table.range_key_attr]) if moto_table.range_key_attr else None
    return hash_value, range_value, moto_table.get_item(hash_value, range_value)


def stored_item_size(client: Any, table: str, key: dict[str, dict[str, Any]]) -> int:
    """The size of the item stored at `key` (of the key alone when there is none)."""
    from emulator.datasources.dynamodb_limits import item_size

    stored = _stored(client, table, key)[2]
    return item_size(key) if stored is None else moto_item_size(stored.attrs)


def updated_item(
    client: Any,
    table: str,
    key: dict[str, dict[str, Any]],
    update_expression: str,
    names: dict[str, str],
    values: dict[str, dict[str, Any]],
) -> dict[str, dict[str, Any]] | None:
    """The item as `UpdateItem` would leave it, computed on a copy: nothing is written.

    None when moto would refuse the update for another reason (a bad expression, a type
    mismatch): the real request then reports that, exactly as moto words it.
    """
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.parsing.executors import UpdateExpressionExecutor
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser
    from moto.dynamodb.parsing.validators import UpdateExpressionValidator

    from emulator.datasources.dynamodb_limits import UPDATE_TOO_LARGE, SizeLimitError

    moto_table = _moto_table(client, table)
    hash_value, range_value, stored = _stored(client, table, key)
    if stored is None:
        item = Item(hash_value, range_value, attrs=dict(key))
    else:
        item = copy.deepcopy(stored)
    try:
        tree = UpdateExpressionParser.make(update_expression)
        validated = UpdateExpressionValidator(
            tree,
            expression_attribute_names=names,
            expression_attribute_values=values,
            item=item,
            table=moto_table,
        ).validate()
        validated.normalize()
        UpdateExpressionExecutor(validated, item, names).execute()
    except ItemSizeTooLarge:
        raise SizeLimitError(UPDATE_TOO_LARGE) from None
    except Exception:
        return None
    if moto_item_size(item.attrs) > DYNAMODB_ITEM_SIZE.value:
        raise SizeLimitError(UPDATE_TOO_LARGE)
    return {name: attribute.to_regular_json() for name, attribute in item.attrs.items()}


def shape_problems() -> list[str]:
    """What of moto's internals this module relies on is missing or changed (empty: fine)."""
    import moto
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.core.responses import BaseResponse
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.models.table import StreamRecord, StreamShard, Table
    from moto.dynamodb.parsing.executors import UpdateExpressionExecutor
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser
    from moto.dynamodb.parsing.validators import UpdateExpressionValidator
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend
    from moto.events.models import EventPattern
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.s3.models import S3Backend
    from moto.s3.responses import S3Response
    from moto.sns.models import PlatformEndpoint, SNSBackend, sns_backends

    expected = {
        "S3Backend.put_object": (S3Backend, "put_object", None),
        "S3Backend.delete_object": (
            S3Backend,
            "delete_object",
            ["self", "bucket_name", "key_name", "version_id", "bypass"],
        ),
        "S3Backend.put_object_tagging": (S3Backend, "put_object_tagging", ["self", "key", "tags"]),
        "S3Response.copy_object": (S3Response, "copy_object", ["self"]),
        "S3Response.bucket_response": (
            S3Response,
            "bucket_response",
            ["self", "request", "full_url", "headers"],
        ),
        "S3Response.key_response": (
            S3Response,
            "key_response",
            ["self", "request", "full_url", "headers"],
        ),
        "DomainDispatcherApplication.get_backend_for_host": (
            DomainDispatcherApplication,
            "get_backend_for_host",
            ["self", "host"],
        ),
        "SNSBackend.set_endpoint_attributes": (
            SNSBackend,
            "set_endpoint_attributes",
            ["self", "arn", "attributes"],
        ),
        "EventPattern.__init__": (EventPattern, "__init__", ["self", "raw_pattern", "pattern"]),
        "EventPattern.matches_event": (EventPattern, "matches_event", ["self", "event"]),
        "BaseResponse._dispatch": (
            BaseResponse,
            "_dispatch",
            ["self", "request", "full_url", "headers"],
        ),
        "DynamoDBBackend.transact_write_items": (
            DynamoDBBackend,
            "transact_write_items",
            ["self", "transact_items"],
        ),
        "DynamoDBBackend.get_item": (
            DynamoDBBackend,
            "get_item",
            ["self", "table_name", "keys", "projection_expressions"],
        ),
        "DynamoDBBackend.put_item": (DynamoDBBackend, "put_item", None),
        "DynamoDBBackend.delete_item": (DynamoDBBackend, "delete_item", None),
        "DynamoDBBackend.update_item": (
            DynamoDBBackend,
            "update_item",
            [
                "self",
                "table_name",
                "key",
                "update_expression",
                "expression_attribute_names",
                "expression_attribute_values",
                "attribute_updates",
                "expected",
                "condition_expression",
                "return_values_on_condition_check_failure",
            ],
        ),
        "Table.put_item": (Table, "put_item", None),
        "Table.delete_item": (Table, "delete_item", ["self", "hash_key", "range_key"]),
        "StreamShard.add": (StreamShard, "add", ["self", "old", "new"]),
        "StreamRecord.to_json": (StreamRecord, "to_json", ["self"]),
        "DynamoType.__init__": (DynamoType, "__init__", ["self", "type_as_dict"]),
        "Item.__init__": (Item, "__init__", ["self", "hash_key", "range_key", "attrs"]),
        "StreamShard.get": (StreamShard, "get", ["self", "start", "quantity"]),
        "DynamoDBStreamsBackend.get_shard_iterator": (
            DynamoDBStreamsBackend,
            "get_shard_iterator",
            ["self", "arn", "shard_id", "shard_iterator_type", "sequence_number"],
        ),
        "DynamoDBStreamsBackend.get_records": (
            DynamoDBStreamsBackend,
            "get_records",
            ["self", "iterator_arn", "limit"],
        ),
        "BotocoreStubber.process_request": (
            BotocoreStubber,
            "process_request",
            ["self", "request"],
        ),
        "BaseResponse.serialized": (BaseResponse, "serialized", ["self", "action_result"]),
        "LimitedSizeDict.__setitem__": (LimitedSizeDict, "__setitem__", None),
        "UpdateExpressionParser.make": (UpdateExpressionParser, "make", None),
        "UpdateExpressionValidator.validate": (UpdateExpressionValidator, "validate", None),
        "UpdateExpressionExecutor.execute": (UpdateExpressionExecutor, "execute", None),
        "Table.get_item": (Table, "get_item", None),
    }
    problems = []
    if not isinstance(getattr(PlatformEndpoint, "enabled", None), property):
        problems.append("PlatformEndpoint.enabled is no longer a property")
    if not hasattr(sns_backends, "__getitem__"):
        problems.append("moto.sns.models.sns_backends is not indexable")
    import moto.core.responses as responses
    from moto.core.common_models import BaseModel

    if not callable(getattr(responses, "method_names_from_class", None)):
        problems.append("moto.core.responses.method_names_from_class is missing")

    if "__new__" not in vars(BaseModel) or not isinstance(
        getattr(Item, "instances_tracked", None), list
    ):
        problems.append("BaseModel no longer tracks instances in cls.instances_tracked")
    put_object = getattr(S3Backend.put_object, "__wrapped__", S3Backend.put_object)
    if _parameters(put_object)[:3] != ["self", "bucket_name", "key_name"]:
        problems.append("S3Backend.put_object no longer starts (self, bucket_name, key_name)")
    if moto.__version__ != MOTO_VERSION_CHECKED:
        problems.append(f"moto is {moto.__version__}")
    for label, (owner, name, parameters) in expected.items():
        function = getattr(owner, name, None)
        if function is None:
            problems.append(f"{label} is missing")
            continue
        function = getattr(function, "__wrapped__", function)
        if parameters is not None and _parameters(function) != parameters:
            problems.append(f"{label}{tuple(_parameters(function))} != {tuple(parameters)}")
    return problems


class _InProcessSender:
    """Answers one boto3 client's requests from moto in this process (no HTTP)."""

    def __init__(self) -> None:
        from moto.core.botocore_stubber import BotocoreStubber

        self._stubber = BotocoreStubber()

    def __call__(self, request: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse
        from moto.core.botocore_stubber import MockRawResponse

        response = self._stubber.process_request(request)
        if response is None:
            raise RuntimeError(f"moto serves no endpoint for {request.url}")
        status, headers, body = response
        return AWSResponse(request.url, status, headers, MockRawResponse(body))


_CLIENT_SESSION_LOCK = threading.Lock()
_client_session: Any = None


def in_process_client(service: str, region: str, access_key: str, secret_key: str) -> Any:
    """A boto3 client of `service` whose requests moto answers in process, under MOTO_LOCK.

    It serialises like any client and reaches the same backends as `awsEndpoint`, without
    a socket or a thread hop. It does not sign (SigV4 is a tenth of a request's cost here):
    moto then takes its default account, which is the emulator's (`LOCAL_ACCOUNT`).
    All share one boto3 session, created on first use: a session per client re-read and
    re-parsed botocore's JSON models for each (emulator start: 8.1 -> 7.3 s of CPU). A session is
    not thread-safe, so clients are made under a lock; the clients themselves are.
    """
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    global _client_session
    install()
    with _CLIENT_SESSION_LOCK:
        if _client_session is None:
            _client_session = boto3.session.Session()
        session = _client_session
        client = session.client(
            service,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(
                account_id_endpoint_mode="disabled",
                ignore_configured_endpoint_urls=True,
                retries={"max_attempts": 1},
                signature_version=UNSIGNED,
            ),
        )
    client.meta.events.register_first("before-send", _InProcessSender())
    # botocore rebuilds the User-Agent string twice per request (a tenth of an in-process
    # call); nobody reads it here, so it is built once.
    creator = client._user_agent_creator
    client.meta.events.unregister(
        f"request-created.{client.meta.service_model.service_id.hyphenize()}",
        creator.rebuild_and_replace_user_agent_handler,
    )
    fixed = creator.to_string()
    creator.to_string = lambda: fixed
    return DirectDynamoDb(client) if service == "dynamodb" else client


DIRECT_DYNAMODB_OPERATIONS = (
    "batch_get_item",
    "batch_write_item",
    "delete_item",
    "get_item",
    "put_item",
    "query",
    "scan",
    "transact_get_items",
    "transact_write_items",
    "update_item",
)
"""The data-plane calls the engine makes per GraphQL field; `DirectDynamoDb` answers them."""


def _encode_blob(value: Any) -> str:
    import base64

    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _decode_blobs(value: Any) -> Any:
    """Binary attribute values as botocore gives them (bytes), in place; a dict with the one
    key B (a base64 string) or BS (a list of them) is a binary AttributeValue, since every
    other AttributeValue or structure holding one maps names to dicts."""
    import base64

    if isinstance(value, dict):
        if len(value) == 1:
            ((tag, inner),) = value.items()
            if tag == "B" and isinstance(inner, str):
                value["B"] = base64.b64decode(inner)
                return value
            if tag == "BS" and isinstance(inner, list) and all(isinstance(v, str) for v in inner):
                value["BS"] = [base64.b64decode(v) for v in inner]
                return value
        for inner in value.values():
            _decode_blobs(inner)
    elif isinstance(value, list):
        for inner in value:
            _decode_blobs(inner)
    return value


class DirectDynamoDb:
    """The engine's DynamoDB client: data-plane calls go straight to moto's DynamoDB
    handler, everything else to the boto3 client it wraps.

    Half of each in-process call went to plumbing around moto's work: botocore serialising
    the request, resolving the endpoint ruleset, running its event hooks and parsing the
    answer, and moto matching the URL against every service's patterns. Here the request is
    validated against the same botocore model (a malformed template still gets botocore's
    ParamValidationError), sent to the handler moto registered for the region's DynamoDB
    URL as the JSON DynamoDB's wire protocol carries, and the answer or the error comes back
    as botocore would give it (the modeled `ClientError` with fields such as
    CancellationReasons, binary values as bytes). The client's `before-parameter-build`,
    `before-call` and `after-call` events are emitted as botocore does (tests and
    `bench/round_trips.py` count and alter requests through them; a botocore Stubber
    answers through `before-call`). `tests/emulator/test_direct_dynamodb.py`
    compares both clients call by call.
    """

    def __init__(self, client: Any) -> None:
        import re

        import moto.backends as backends
        from botocore.parsers import create_parser
        from botocore.validate import ParamValidator
        from moto.core import DEFAULT_ACCOUNT_ID

        self._client = client
        self.meta = client.meta
        region = client.meta.region_name
        self._url = f"https://dynamodb.{region}.amazonaws.com/"
        backend = backends.get_backend("dynamodb")[DEFAULT_ACCOUNT_ID][region]
        handlers = [h for url, h in backend.urls.items() if re.compile(url).match(self._url)]
        if not handlers:
            raise LookupError(f"moto serves no DynamoDB handler for {self._url}")
        self._handler = handlers[0]
        self._model = client.meta.service_model
        self._validator = ParamValidator()
        self._parser = create_parser(self._model.protocol)
        self._service = self._model.service_id.hyphenize()
        self._target = self._model.metadata["targetPrefix"]
        self._content_type = f"application/x-amz-json-{self._model.metadata['jsonVersion']}"
        self._operations = {
            name: self._model.operation_model(client.meta.method_to_api_mapping[name])
            for name in DIRECT_DYNAMODB_OPERATIONS
        }

    def __getattr__(self, name: str) -> Any:
        operation = self._operations.get(name)
        if operation is None:
            return getattr(self._client, name)
        return lambda **params: self._send(operation, params)

    def _send(self, operation: Any, params: dict[str, Any]) -> dict[str, Any]:
        import json

        from botocore.exceptions import ParamValidationError

        events, event = self._client.meta.events, f"{self._service}.{operation.name}"
        context: dict[str, Any] = {}
        events.emit(
            f"before-parameter-build.{event}", params=params, model=operation, context=context
        )
        report = self._validator.validate(params, operation.input_shape)
        if report.has_errors():
            raise ParamValidationError(report=report.generate_report())
        body = json.dumps(params, default=_encode_blob).encode()
        request_dict = {
            "url_path": "/",
            "query_string": "",
            "method": "POST",
            "headers": {
                "X-Amz-Target": f"{self._target}.{operation.name}",
                "Content-Type": self._content_type,
            },
            "body": body,
            "context": context,
        }
        _, stubbed = events.emit_until_response(
            f"before-call.{event}",
            model=operation,
            params=request_dict,
            request_signer=None,
            context=context,
        )
        if stubbed is not None:
            status, parsed = stubbed[0].status_code, stubbed[1]
        else:
            status, parsed = self._dispatch(operation, request_dict)
        events.emit(
            f"after-call.{event}",
            http_response=None,
            parsed=parsed,
            model=operation,
            context=context,
        )
        if status >= 300:
            code = parsed.get("Error", {}).get("Code", "")
            raise self._client.exceptions.from_code(code)(parsed, operation.name)
        return parsed

    def _dispatch(self, operation: Any, request_dict: dict[str, Any]) -> tuple[int, dict]:
        import json

        from botocore.awsrequest import AWSPreparedRequest
        from moto.core.request import normalize_request

        request = normalize_request(
            AWSPreparedRequest(
                method="POST",
                url=self._url,
                headers=request_dict["headers"],
                body=request_dict["body"],
                stream_output=False,
            )
        )
        status, headers, body = self._handler(request, request.raw_url, request.headers)
        status = int(status)
        if status < 300:
            parsed = _decode_blobs(json.loads(body)) if body else {}
            return status, {**parsed, "ResponseMetadata": {"HTTPStatusCode": status}}
        raw = {
            "status_code": status,
            "headers": headers,
            "body": body if isinstance(body, bytes) else body.encode(),
        }
        error = self._parser.parse(raw, operation.output_shape)
        shape = self._model.shape_for_error_code(error.get("Error", {}).get("Code", ""))
        if shape is not None:
            modeled = self._parser.parse(raw, shape)
            modeled.pop("ResponseMetadata", None)
            error.update(modeled)
        return status, error


def event_pattern_matches(pattern: dict[str, Any], event: dict[str, Any]) -> bool:
    """Whether `event` matches the EventBridge `pattern`, by moto's own matcher.

    moto's `EventPattern` is what its `PutEvents` and `TestEventPattern` use (exact
    values, `prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `wildcard`,
    `equals-ignore-case`, `$or`); reused here so the local bus and the local Pipes need
    no matcher of their own and no round trip through the FIFO lock per event.
    `tests/emulator/test_event_patterns.py` checks the operators the chat uses against
    EventBridge's documented behaviour.
    """
    from moto.events.models import EventPattern

    return EventPattern(None, pattern).matches_event(event)


def mobile_push_deliveries(region: str, account: str = "123456789012") -> list[dict[str, Any]]:
    """Every message moto's SNS accepted for a platform endpoint still registered, with
    the endpoint's ARN, token and application (moto keeps them on the endpoint object;
    no public SNS API lists what was published to an endpoint)."""
    from moto.sns.models import sns_backends

    backend = sns_backends[account][region]
    found = []
    with MOTO_LOCK:
        for endpoint in list(backend.platform_endpoints.values()):
            for message_id, message in list(endpoint.messages.items()):
                found.append(
                    {
                        "endpointArn": endpoint.arn,
                        "token": endpoint.token,
                        "applicationArn": endpoint.application.arn,
                        "messageId": message_id,
                        "message": message,
                    }
                )
    return found
