"""moto and the search stand-in hold one copy of a short message's text between them."""

from __future__ import annotations

import json

from emulator.opensearch import server
from emulator.opensearch.store import Store
from emulator.shared_strings import SHARED_STRING_LENGTH, shared
from tests.emulator.test_moto_internals import TABLE, _backend_table, _key, clients

__all__ = ["clients"]


def test_a_short_text_is_one_object_in_moto_and_in_the_search_index(clients):
    dynamodb, _ = clients
    text = "".join(["a short chat message of fifty-odd characters, ", "typed"])
    dynamodb.put_item(TableName=TABLE, Item={**_key("a"), "content": {"S": text}})
    [partition] = _backend_table().items.values()
    [item] = partition.values()
    store = Store()
    server.route(store, "PUT", "/m", json.dumps({"mappings": {"properties": {}}}).encode())
    body = json.dumps({"index": {"_id": "1"}}) + "\n" + json.dumps({"content": text}) + "\n"
    server.route(store, "POST", "/m/_bulk", body.encode())
    indexed = store._indices["m"].docs["1"].values["content"][0]
    assert item.attrs["content"].value is indexed
    assert indexed == text and indexed is not text


def test_only_short_strings_are_shared():
    short, long = "x" * SHARED_STRING_LENGTH, "y" * (SHARED_STRING_LENGTH + 1)
    assert shared("".join(list(short))) is shared("".join(list(short)))
    assert shared("".join(list(long))) is not shared("".join(list(long)))
    assert shared(7) == 7
