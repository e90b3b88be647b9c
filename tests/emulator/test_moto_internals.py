"""What `emulator.moto_internals` changes in moto, checked against DynamoDB's documented
behaviour, and a guard that fails when moto's internals change shape.

DynamoDB references: TransactWriteItems ("If any condition is not met, the entire
transaction is cancelled and no changes are made"), DynamoDB Streams ("stream records
are kept for 24 hours"), GetShardIterator ("A shard iterator expires 15 minutes after it
is returned to the requester").
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws

from chatspec.aws_limits import (
    DYNAMODB_SHARD_ITERATOR_LIFETIME,
    DYNAMODB_STREAM_RETENTION,
    DYNAMODB_TTL_STREAM_IDENTITY,
    S3_COPY_SOURCE_IF_MATCH,
)
from emulator import moto_internals
from emulator.fair_lock import FairLock
from emulator.streams import lambda_record
from emulator.testing import KEEP_BOTO3_SESSION
from tests.emulator.moto_mock import corrected_moto, create_pk_sk_table

TABLE = "t-rollback"
REGION = "us-east-1"


@pytest.fixture
def clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    with corrected_moto(monkeypatch):
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_pk_sk_table(
            dynamodb,
            TABLE,
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )
        streams = boto3.client(
            "dynamodbstreams",
            region_name=REGION,
            config=Config(account_id_endpoint_mode="disabled"),
        )
        yield dynamodb, streams


def _key(sk: str) -> dict[str, Any]:
    return {"pk": {"S": "p"}, "sk": {"S": sk}}


def _put(sk: str, value: str, condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": TABLE, "Item": {**_key(sk), "v": {"S": value}}}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def _records(dynamodb: Any, streams: Any) -> list[dict[str, Any]]:
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return streams.get_records(ShardIterator=iterator)["Records"]


def _backend_table() -> Any:
    from moto.dynamodb.models import dynamodb_backends

    return dynamodb_backends["123456789012"][REGION].tables[TABLE]


def test_moto_has_the_shape_this_module_was_written_against():
    assert moto_internals.shape_problems() == []


def test_a_cancelled_transaction_changes_no_item_and_no_stream_record(clients):
    dynamodb, streams = clients
    dynamodb.put_item(TableName=TABLE, Item={**_key("a"), "v": {"S": "old"}, "n": {"N": "1"}})
    dynamodb.put_item(TableName=TABLE, Item={**_key("c"), "v": {"S": "keep"}})
    table, shard = _backend_table(), _backend_table().stream_shard
    before = _records(dynamodb, streams)
    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": _key("a"),
                        "UpdateExpression": "SET v = :v ADD n :one",
                        "ExpressionAttributeValues": {":v": {"S": "new"}, ":one": {"N": "1"}},
                    }
                },
                _put("b", "created"),
                {"Delete": {"TableName": TABLE, "Key": _key("c")}},
                _put("a2", "x", condition="attribute_exists(pk)"),
            ]
        )
    error = cancelled.value.response
    assert error["Error"]["Code"] == "TransactionCanceledException"
    assert [r["Code"] for r in error["CancellationReasons"]] == [
        "None",
        "None",
        "None",
        "ConditionalCheckFailed",
    ]
    items = {i["sk"]["S"]: i for i in dynamodb.scan(TableName=TABLE)["Items"]}
    assert set(items) == {"a", "c"}
    assert items["a"]["v"] == {"S": "old"} and items["a"]["n"] == {"N": "1"}
    assert _records(dynamodb, streams) == before
    # Rolled back in place: the table and its stream are the objects readers already hold.
    assert _backend_table() is table and table.stream_shard is shard


def test_a_transaction_copies_no_table(clients, monkeypatch):
    """moto's own transact_write_items deep-copies each table; the per-item one never does."""
    from moto.dynamodb.models.table import Table

    dynamodb, _ = clients

    def refuse(self: Any, memo: Any) -> Any:
        raise AssertionError("a transaction copied a whole table")

    monkeypatch.setattr(Table, "__deepcopy__", refuse, raising=False)
    dynamodb.transact_write_items(TransactItems=[_put("a", "1"), _put("b", "2")])
    with pytest.raises(ClientError):
        dynamodb.transact_write_items(
            TransactItems=[_put("c", "3"), _put("a", "x", condition="attribute_not_exists(pk)")]
        )
    assert sorted(i["sk"]["S"] for i in dynamodb.scan(TableName=TABLE)["Items"]) == ["a", "b"]


def test_return_values_on_condition_check_failure_carry_the_item(clients):
    dynamodb, _ = clients
    dynamodb.put_item(TableName=TABLE, Item={**_key("a"), "v": {"S": "there"}})
    put = _put("a", "again", condition="attribute_not_exists(pk)")
    put["Put"]["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    with pytest.raises(ClientError) as cancelled:
        dynamodb.transact_write_items(TransactItems=[put])
    reason = cancelled.value.response["CancellationReasons"][0]
    assert reason["Code"] == "ConditionalCheckFailed"
    assert reason["Item"]["v"] == {"S": "there"}


def test_two_operations_on_one_item_are_a_validation_error_and_write_nothing(clients):
    dynamodb, streams = clients
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(TransactItems=[_put("a", "1"), _put("a", "2")])
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert dynamodb.scan(TableName=TABLE)["Items"] == []
    assert _records(dynamodb, streams) == []


def test_stream_records_past_retention_are_trimmed(clients, monkeypatch):
    dynamodb, streams = clients
    now = [1_000_000.0]
    monkeypatch.setattr(moto_internals, "clock", lambda: now[0])
    dynamodb.put_item(TableName=TABLE, Item={**_key("old"), "v": {"S": "1"}})
    (old,) = _records(dynamodb, streams)
    now[0] += DYNAMODB_STREAM_RETENTION.value - 1
    dynamodb.put_item(TableName=TABLE, Item={**_key("kept"), "v": {"S": "2"}})
    assert len(_records(dynamodb, streams)) == 2
    now[0] += 2 + moto_internals.TRIM_CHECK_SECONDS
    dynamodb.put_item(TableName=TABLE, Item={**_key("new"), "v": {"S": "3"}})
    remaining = _records(dynamodb, streams)
    assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in remaining] == ["kept", "new"]
    assert int(remaining[0]["dynamodb"]["SequenceNumber"]) > int(old["dynamodb"]["SequenceNumber"])
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn,
        ShardId=shard,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=old["dynamodb"]["SequenceNumber"],
    )["ShardIterator"]
    with pytest.raises(streams.exceptions.TrimmedDataAccessException):
        streams.get_records(ShardIterator=iterator)


def test_shard_iterators_expire_and_are_forgotten(clients, monkeypatch):
    from moto.dynamodbstreams.models import dynamodbstreams_backends

    dynamodb, streams = clients
    now = [2_000_000.0]
    monkeypatch.setattr(moto_internals, "clock", lambda: now[0])
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")[
        "ShardIterator"
    ]
    for _ in range(50):
        iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
    issued = dynamodbstreams_backends["123456789012"][REGION].shard_iterators
    now[0] += DYNAMODB_SHARD_ITERATOR_LIFETIME.value + 1
    with pytest.raises(streams.exceptions.ExpiredIteratorException):
        streams.get_records(ShardIterator=iterator)
    assert len(issued) == 0


def test_writes_and_stream_records_reach_the_listeners(clients):
    dynamodb, _ = clients
    written: list[tuple[str, dict]] = []
    streamed: list[str] = []
    remove_items = moto_internals.add_item_listener(lambda t, k: written.append((t, k)))
    remove_streams = moto_internals.add_stream_listener(streamed.append)
    try:
        dynamodb.put_item(TableName=TABLE, Item={**_key("a"), "v": {"S": "1"}})
        dynamodb.update_item(
            TableName=TABLE,
            Key=_key("a"),
            UpdateExpression="SET v = :v",
            ExpressionAttributeValues={":v": {"S": "2"}},
        )
        dynamodb.delete_item(TableName=TABLE, Key=_key("a"))
    finally:
        remove_items()
        remove_streams()
    assert [k for _, k in written] == [_key("a")] * 3
    assert streamed == [TABLE] * 3


def test_deletes_of_the_ttl_sweep_carry_dynamodbs_ttl_identity_and_no_others_do(clients):
    """DYNAMODB_TTL_STREAM_IDENTITY: TTL's deletions carry userIdentity, a user's none."""
    dynamodb, streams = clients
    for sk in ("by-ttl", "by-user"):
        dynamodb.put_item(TableName=TABLE, Item={**_key(sk), "v": {"S": "1"}})
    with moto_internals.ttl_deletions():
        dynamodb.delete_item(TableName=TABLE, Key=_key("by-ttl"))
        dynamodb.put_item(TableName=TABLE, Item={**_key("put-meanwhile"), "v": {"S": "1"}})
    dynamodb.delete_item(TableName=TABLE, Key=_key("by-user"))
    records = _records(dynamodb, streams)
    identities = {
        (r["eventName"], r["dynamodb"]["Keys"]["sk"]["S"]): r.get("userIdentity") for r in records
    }
    assert identities[("REMOVE", "by-ttl")] == {
        "Type": DYNAMODB_TTL_STREAM_IDENTITY.value["type"],
        "PrincipalId": DYNAMODB_TTL_STREAM_IDENTITY.value["principalId"],
    }
    assert identities[("REMOVE", "by-user")] is None
    assert identities[("INSERT", "put-meanwhile")] is None
    arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
    [ttl_record] = [r for r in records if r.get("userIdentity")]
    assert lambda_record(ttl_record, arn)["userIdentity"] == DYNAMODB_TTL_STREAM_IDENTITY.value


def test_the_fair_lock_serves_waiters_in_arrival_order():
    lock = FairLock()
    order: list[int] = []
    lock.acquire()
    threads = []
    for n in range(8):
        thread = threading.Thread(
            target=lambda n=n: (lock.acquire(), order.append(n), lock.release())
        )
        thread.start()
        threads.append(thread)
        while lock.waiting < n + 1:  # the thread is queued before the next one starts
            threading.Event().wait(0.001)
    lock.release()
    for thread in threads:
        thread.join(timeout=30)
    assert order == list(range(8))


def test_the_fair_lock_is_reentrant_for_its_owner_only():
    lock = FairLock()
    with lock, lock:
        pass
    with pytest.raises(RuntimeError):
        lock.release()


def test_the_fast_serialiser_answers_what_motos_serialiser_answers(clients, monkeypatch):
    dynamodb, streams = clients
    dynamodb.put_item(
        TableName=TABLE,
        Item={
            **_key("a"),
            "n": {"N": "1.50"},
            "b": {"B": b"\x00\xffbytes"},
            "l": {"L": [{"S": "x"}, {"NULL": True}, {"BOOL": False}]},
            "m": {"M": {"inner": {"SS": ["p", "q"]}}},
        },
    )
    dynamodb.put_item(TableName=TABLE, Item={**_key("b"), "v": {"S": "2"}})

    def calls() -> list[Any]:
        answers = [
            dynamodb.get_item(TableName=TABLE, Key=_key("a")),
            dynamodb.get_item(TableName=TABLE, Key=_key("missing")),
            dynamodb.query(
                TableName=TABLE,
                KeyConditionExpression="pk = :p",
                ExpressionAttributeValues={":p": {"S": "p"}},
                Limit=1,
            ),
            dynamodb.scan(TableName=TABLE),
            dynamodb.batch_get_item(RequestItems={TABLE: {"Keys": [_key("a"), _key("b")]}}),
            dynamodb.transact_get_items(
                TransactItems=[{"Get": {"TableName": TABLE, "Key": _key("a")}}]
            ),
            dynamodb.update_item(
                TableName=TABLE,
                Key=_key("b"),
                UpdateExpression="SET v = :v",
                ExpressionAttributeValues={":v": {"S": "2"}},
                ReturnValues="ALL_NEW",
            ),
            _records(dynamodb, streams),
        ]
        for answer in answers:
            if isinstance(answer, dict):
                answer.pop("ResponseMetadata", None)
        return answers

    fast = calls()
    monkeypatch.setattr(moto_internals, "fast_serialise", False)
    slow = calls()
    for record in fast[-1] + slow[-1]:
        record.pop("eventID")
    slow[-1] = slow[-1][: len(fast[-1])]  # the first round's UpdateItem added a record
    assert fast == slow


def test_items_and_stream_records_are_not_kept_by_instance_tracking(clients):
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import StreamRecord

    dynamodb, streams = clients
    items, records = len(Item.instances_tracked), len(StreamRecord.instances_tracked)
    for n in range(20):
        dynamodb.put_item(TableName=TABLE, Item={**_key(str(n)), "v": {"S": "1"}})
        dynamodb.update_item(
            TableName=TABLE,
            Key=_key(str(n)),
            UpdateExpression="SET v = :v",
            ExpressionAttributeValues={":v": {"S": "2"}},
        )
    _records(dynamodb, streams)
    assert (len(Item.instances_tracked), len(StreamRecord.instances_tracked)) == (items, records)


def test_tables_copied_from_an_earlier_mock_work_in_a_new_one(monkeypatch: pytest.MonkeyPatch):
    with corrected_moto(monkeypatch):
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        create_pk_sk_table(
            dynamodb,
            TABLE,
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
        dynamodb.update_time_to_live(
            TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
        )
        saved = moto_internals.copy_tables(REGION, [TABLE])
        dynamodb.put_item(TableName=TABLE, Item=_key("first mock"))
    with mock_aws(config=KEEP_BOTO3_SESSION):
        dynamodb = boto3.client("dynamodb", region_name=REGION)
        moto_internals.restore_tables(REGION, saved)
        assert dynamodb.scan(TableName=TABLE)["Items"] == []
        ttl = dynamodb.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
        dynamodb.put_item(TableName=TABLE, Item=_key("second mock"))
        streams = boto3.client(
            "dynamodbstreams",
            region_name=REGION,
            config=Config(account_id_endpoint_mode="disabled"),
        )
        records = _records(dynamodb, streams)
        assert [r["dynamodb"]["Keys"]["sk"]["S"] for r in records] == ["second mock"]
    assert saved[TABLE].items == {}


def test_stored_items_share_one_value_object_per_short_scalar(clients):
    dynamodb, _ = clients
    shared = {"room": {"S": "r1"}, "n": {"N": "7"}, "flag": {"BOOL": False}}
    for sk in ("a", "b"):
        dynamodb.put_item(TableName=TABLE, Item={**_key(sk), **shared, "text": {"S": "x" * 41}})
    [partition] = _backend_table().items.values()
    first, second = (partition[k] for k in sorted(partition, key=lambda k: k.value))
    assert all(first.attrs[name] is second.attrs[name] for name in ("pk", "room", "n", "flag"))
    assert first.attrs["sk"] is first.range_key and first.hash_key is first.attrs["pk"]
    assert first.attrs["text"] is not second.attrs["text"]  # long text is not shared


def test_changing_one_item_leaves_the_items_sharing_its_values_unchanged(clients):
    dynamodb, _ = clients
    shared = {"room": {"S": "r1"}, "n": {"N": "7"}, "flag": {"BOOL": False}}
    for sk in ("a", "b"):
        dynamodb.put_item(TableName=TABLE, Item={**_key(sk), **shared})
    dynamodb.update_item(
        TableName=TABLE,
        Key=_key("a"),
        UpdateExpression="SET room = :r, flag = :t ADD n :one",
        ExpressionAttributeValues={":r": {"S": "r2"}, ":t": {"BOOL": True}, ":one": {"N": "1"}},
    )
    add_to_b = {
        "TableName": TABLE,
        "Key": _key("b"),
        "UpdateExpression": "ADD n :one SET room = :r",
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":r": {"S": "r3"}},
    }
    with pytest.raises(ClientError, match="TransactionCanceled"):
        dynamodb.transact_write_items(
            TransactItems=[{"Update": add_to_b}, _put("a", "v", "attribute_not_exists(pk)")]
        )
    a = dynamodb.get_item(TableName=TABLE, Key=_key("a"))["Item"]
    b = dynamodb.get_item(TableName=TABLE, Key=_key("b"))["Item"]
    assert (a["room"], a["n"], a["flag"]) == ({"S": "r2"}, {"N": "8"}, {"BOOL": True})
    assert (b["room"], b["n"], b["flag"]) == ({"S": "r1"}, {"N": "7"}, {"BOOL": False})


def test_the_server_finds_each_hosts_backend_once_and_as_moto_does(monkeypatch):
    import moto.backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    moto_internals.install()
    dispatcher = DomainDispatcherApplication(lambda service: None)
    original = DomainDispatcherApplication.get_backend_for_host.__wrapped__
    hosts = [
        "dynamodb.us-east-1.amazonaws.com",
        "streams.dynamodb.eu-west-1.amazonaws.com",
        "sns.eu-west-1.amazonaws.com",
        "cognito-idp.eu-west-1.amazonaws.com",
        "s3",
    ]
    assert [dispatcher.get_backend_for_host(h) for h in hosts] == [
        original(dispatcher, h) for h in hosts
    ]
    listings = []
    real_listdir = moto.backends.os.listdir
    monkeypatch.setattr(
        moto.backends.os, "listdir", lambda p: listings.append(p) or real_listdir(p)
    )
    assert dispatcher.get_backend_for_host("dynamodb.us-east-1.amazonaws.com") == "dynamodb"
    assert listings == []


def test_the_ttl_sweep_finds_expired_items_without_a_scan(clients):
    """moto sorts the whole table for every Scan page, so a sweep of 100,000 messages by
    Scan held the lock for a minute; `expired_keys` is one pass. DynamoDB's TTL deletes only
    items whose TTL attribute is a Number in the past (a String is ignored)."""
    from emulator.ttl import sweep

    dynamodb, _ = clients
    values = {
        "old": {"N": "100"},
        "older": {"N": "150.5"},
        "later": {"N": "300"},
        "text": {"S": "100"},
        "none": None,
    }
    for sk, value in values.items():
        item = {**_key(sk), "v": {"S": sk}}
        if value is not None:
            item["expiresAt"] = value
        dynamodb.put_item(TableName=TABLE, Item=item)
    assert sorted(
        k["sk"]["S"] for k in moto_internals.expired_keys(REGION, TABLE, "expiresAt", 200)
    ) == [
        "old",
        "older",
    ]
    scans = []
    dynamodb.meta.events.register("before-call.dynamodb.Scan", lambda **kw: scans.append(kw))
    assert sweep(dynamodb, {"presence": TABLE}, now=200) == {"presence": 2}
    assert scans == []
    left = dynamodb.scan(TableName=TABLE)["Items"]
    assert sorted(i["sk"]["S"] for i in left) == ["later", "none", "text"]


def test_copy_object_copies_only_while_the_source_has_the_etag_asked_for(clients):
    """S3's CopyObject: "Copies the object if its entity tag (ETag) matches the specified
    tag"; otherwise 412 Precondition Failed and nothing copied (S3_COPY_SOURCE_IF_MATCH)."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="test-bucket")
    etag = s3.put_object(Bucket="test-bucket", Key="src", Body=b"checked")["ETag"]
    s3.copy_object(
        Bucket="test-bucket",
        Key="dst",
        CopySource={"Bucket": "test-bucket", "Key": "src"},
        CopySourceIfMatch=etag,
    )
    assert s3.get_object(Bucket="test-bucket", Key="dst")["Body"].read() == b"checked"
    s3.put_object(Bucket="test-bucket", Key="src", Body=b"replaced")
    with pytest.raises(ClientError) as refused:
        s3.copy_object(
            Bucket="test-bucket",
            Key="dst2",
            CopySource={"Bucket": "test-bucket", "Key": "src"},
            CopySourceIfMatch=etag,
        )
    expected = S3_COPY_SOURCE_IF_MATCH.value
    assert refused.value.response["Error"]["Code"] == expected["code"]
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == expected["failure"]
    assert "dst2" not in {o["Key"] for o in s3.list_objects_v2(Bucket="test-bucket")["Contents"]}


def test_stored_deleted_and_tagged_objects_reach_the_listeners(clients):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="test-bucket")
    seen: list[tuple[str, str]] = []
    remove = moto_internals.add_object_listener(lambda b, k: seen.append((b, k)))

    def reported(step: Any) -> set[tuple[str, str]]:
        seen.clear()
        step()
        return set(seen)

    try:
        assert reported(lambda: s3.put_object(Bucket="test-bucket", Key="k", Body=b"1")) == {
            ("test-bucket", "k")
        }
        tags = {"TagSet": [{"Key": "t", "Value": "v"}]}
        assert reported(
            lambda: s3.put_object_tagging(Bucket="test-bucket", Key="k", Tagging=tags)
        ) == {("test-bucket", "k")}
        copied = reported(
            lambda: s3.copy_object(
                Bucket="test-bucket", Key="c", CopySource={"Bucket": "test-bucket", "Key": "k"}
            )
        )
        assert ("test-bucket", "c") in copied
        both = {"Objects": [{"Key": "k"}, {"Key": "c"}]}
        assert reported(lambda: s3.delete_objects(Bucket="test-bucket", Delete=both)) == {
            ("test-bucket", "k"),
            ("test-bucket", "c"),
        }
    finally:
        remove()


def test_s3_requests_run_under_the_moto_lock_like_every_other_moto_request(clients):
    """moto's S3 routes bypass BaseResponse._dispatch; without the lock an S3 request ran
    beside DynamoDB's and beside a `--data-dir` step reading the object it was storing."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="test-bucket")
    held: list[bool] = []
    remove = moto_internals.add_object_listener(
        lambda b, k: held.append(moto_internals.MOTO_LOCK.held_here)
    )
    try:
        s3.put_object(Bucket="test-bucket", Key="k", Body=b"1")
        s3.delete_object(Bucket="test-bucket", Key="k")
    finally:
        remove()
    assert held and all(held)
