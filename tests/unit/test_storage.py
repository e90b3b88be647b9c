"""Every table of the specification, with the stack's data protection."""

from __future__ import annotations

import chatspec
from components.naming import table_name

TABLE = "aws:dynamodb/table:Table"


def tables_by_name(run):
    return {t.inputs["name"]: t for t in run.of_type(TABLE)}


def test_every_spec_table_is_deployed_on_demand_with_its_keys(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    deployed = tables_by_name(stack)
    assert set(deployed) == {table_name(prefix, t.name) for t in chatspec.TABLES}
    for spec in chatspec.TABLES:
        inputs = deployed[table_name(prefix, spec.name)].inputs
        assert inputs["billingMode"] == "PAY_PER_REQUEST"
        assert inputs["hashKey"] == spec.hash_key.name
        assert inputs.get("rangeKey") == (spec.range_key.name if spec.range_key else None)
        declared = {a["name"]: a["type"] for a in inputs["attributes"]}
        for index in spec.indexes:
            assert declared[index.hash_key.name] == index.hash_key.type
        indexes = {i["name"]: i for i in inputs.get("globalSecondaryIndexes", [])}
        assert set(indexes) == {i.name for i in spec.indexes}
        for index in spec.indexes:
            recorded = indexes[index.name]
            assert "hashKey" not in recorded and "rangeKey" not in recorded
            schema = {k["keyType"]: k["attributeName"] for k in recorded["keySchemas"]}
            assert schema["HASH"] == index.hash_key.name
            assert schema.get("RANGE") == (index.range_key.name if index.range_key else None)
            assert recorded["projectionType"] == index.projection


def test_streams_and_ttl_follow_the_spec(stack, settings_of):
    deployed = tables_by_name(stack)
    prefix = settings_of[stack.stack].prefix
    assert any(t.stream for t in chatspec.TABLES) and any(t.ttl_attribute for t in chatspec.TABLES)
    for spec in chatspec.TABLES:
        inputs = deployed[table_name(prefix, spec.name)].inputs
        assert bool(inputs.get("streamEnabled")) == spec.stream
        if spec.stream:
            assert inputs["streamViewType"] == "NEW_AND_OLD_IMAGES"
        if spec.ttl_attribute:
            assert inputs["ttl"] == {"attributeName": spec.ttl_attribute, "enabled": True}
        else:
            assert "ttl" not in inputs


def test_prod_tables_are_protected_with_the_stack_key(prod):
    key_arn = prod.one("aws:kms/key:Key").state["arn"]
    for table in prod.of_type(TABLE):
        assert table.inputs["pointInTimeRecovery"]["enabled"] is True
        assert table.inputs["deletionProtectionEnabled"] is True
        assert table.inputs["serverSideEncryption"] == {"enabled": True, "kmsKeyArn": key_arn}
        assert table.protect and table.retain_on_delete


def test_dev_tables_have_none_of_the_prod_protection(dev):
    assert dev.of_type("aws:kms/key:Key") == []
    for table in dev.of_type(TABLE):
        assert table.inputs["pointInTimeRecovery"]["enabled"] is False
        assert table.inputs["deletionProtectionEnabled"] is False
        assert "serverSideEncryption" not in table.inputs
        assert not table.protect and not table.retain_on_delete


def test_prod_key_rotates(prod):
    key = prod.one("aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.protect and key.retain_on_delete
