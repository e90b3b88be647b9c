"""create_tables builds every chatspec table in moto as the storage component would."""

from __future__ import annotations

from chatspec import TABLES
from emulator.tables import create_tables


def test_every_table_with_keys_indexes_ttl_and_streams(dynamodb):
    names = create_tables(dynamodb, prefix="unit")
    assert names == {t.name: t.deployed_name("unit") for t in TABLES}
    for table in TABLES:
        described = dynamodb.describe_table(TableName=names[table.name])["Table"]
        keys = {k["KeyType"]: k["AttributeName"] for k in described["KeySchema"]}
        assert keys["HASH"] == table.hash_key.name
        assert keys.get("RANGE") == (table.range_key.name if table.range_key else None)
        indexes = {i["IndexName"]: i for i in described.get("GlobalSecondaryIndexes", [])}
        assert set(indexes) == {i.name for i in table.indexes}
        for index in table.indexes:
            projection = indexes[index.name]["Projection"]
            assert projection["ProjectionType"] == index.projection
            assert sorted(projection.get("NonKeyAttributes", [])) == sorted(index.include)
        stream = described.get("StreamSpecification", {})
        assert bool(stream.get("StreamEnabled")) is table.stream
        if table.stream:
            assert stream["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        ttl = dynamodb.describe_time_to_live(TableName=names[table.name])
        ttl = ttl["TimeToLiveDescription"]
        if table.ttl_attribute:
            assert ttl["TimeToLiveStatus"] == "ENABLED"
            assert ttl["AttributeName"] == table.ttl_attribute
        else:
            assert ttl["TimeToLiveStatus"] == "DISABLED"


def test_existing_tables_are_kept(dynamodb):
    names = create_tables(dynamodb, prefix="keep")
    dynamodb.put_item(TableName=names["rooms"], Item={"roomId": {"S": "r"}})
    assert create_tables(dynamodb, prefix="keep") == names
    assert dynamodb.get_item(TableName=names["rooms"], Key={"roomId": {"S": "r"}}).get("Item")
