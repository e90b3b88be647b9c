"""Reads of messages filter what TTL has expired but DynamoDB has not deleted yet
(`chatspec.aws_limits.DYNAMODB_TTL_DELETION_DELAY`): every Query template on the messages
table that serves history, threads or pins carries the filter, and a broken copy is found."""

from __future__ import annotations

import re

import pytest

from chatspec import PIPELINE_FUNCTIONS, aws_limits, table
from chatspec.templates import load_template

STEPS = {f.name: f for f in PIPELINE_FUNCTIONS}

FILTERED_READS = ("msgListMessages", "msgThreadReplies", "msgListPinned")
TTL_FILTER = re.compile(
    r'"filter":\s*\{\s*"expression":\s*"attribute_not_exists\(#expiresAt\) OR '
    r'#expiresAt > :now"'
)


def has_ttl_filter(text: str) -> bool:
    return bool(TTL_FILTER.search(text)) and "$util.time.nowEpochSeconds()" in text


def test_the_messages_table_has_the_ttl_attribute_the_filter_names():
    assert table("messages").ttl_attribute == "expiresAt"
    assert aws_limits.limit("dynamodb.ttlDeletionDelay").source.startswith("https://docs.aws")


@pytest.mark.parametrize("name", FILTERED_READS)
def test_message_reads_filter_expired_items(name):
    function = STEPS[name]
    assert any(g.table == "messages" and "dynamodb:Query" in g.actions for g in function.grants)
    assert has_ttl_filter(load_template(function.request))


def test_a_copy_without_the_filter_is_found():
    text = load_template(STEPS["msgListMessages"].request)
    assert not has_ttl_filter(text.replace("#expiresAt > :now", "#expiresAt > :then"))
