"""The stand-in's external versions, aliases, aggregations and injected faults, through
opensearch-py, checked against what OpenSearch documents for each."""

from __future__ import annotations

import itertools
import json

import pytest
import requests
from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import NotFoundError, RequestError, TransportError

from emulator.opensearch import OpenSearchStandin

MAPPING = {"mappings": {"properties": {"roomId": {"type": "keyword"}, "content": {"type": "text"}}}}
_names = itertools.count()


@pytest.fixture(scope="module")
def standin():
    with OpenSearchStandin() as running:
        yield running


@pytest.fixture
def client(standin):
    standin.faults.clear()
    yield OpenSearch(hosts=[standin.url], timeout=5, max_retries=0)
    standin.faults.clear()


@pytest.fixture
def index(client):
    name = f"versions-{next(_names)}"
    client.indices.create(index=name, body=MAPPING)
    return name


def put(client, index, doc_id, version, content="x", version_type="external"):
    meta = {"_id": doc_id, "version": version, "version_type": version_type}
    return client.bulk(body=[{"index": meta}, {"roomId": "r", "content": content}], index=index)


def item(response):
    ((_, result),) = response["items"][0].items()
    return result


def test_an_external_version_is_taken_when_greater_and_refused_with_409_otherwise(client, index):
    assert item(put(client, index, "m1", 5, "five"))["_version"] == 5
    assert item(put(client, index, "m1", 7, "seven"))["_version"] == 7

    for older in (7, 6):
        answer = put(client, index, "m1", older, "stale")
        assert answer["errors"] is True
        result = item(answer)
        assert result["status"] == 409
        assert result["error"]["type"] == "version_conflict_engine_exception"
        assert result["error"]["reason"] == (
            f"[m1]: version conflict, current version [7] is higher or equal to the one"
            f" provided [{older}]"
        )
        assert result["error"]["index"] == index

    hits = client.search(index=index, body={"version": True})["hits"]["hits"]
    assert [(h["_id"], h["_version"], h["_source"]["content"]) for h in hits] == [
        ("m1", 7, "seven")
    ]


def test_external_gte_accepts_an_equal_version(client, index):
    put(client, index, "m1", 3)
    assert item(put(client, index, "m1", 3, version_type="external_gte"))["status"] == 200
    assert item(put(client, index, "m1", 2, version_type="external_gte"))["status"] == 409


def test_versioning_requests_are_validated_like_opensearch(client, index):
    def refused(meta: dict, op: str = "index") -> str:
        body = [{op: {"_id": "v", **meta}}, {"content": "x"}]
        with pytest.raises(RequestError) as error:
            client.bulk(body=body, index=index)
        return error.value.info["error"]["reason"]

    assert "illegal version value [-3] for version type [EXTERNAL]" in refused(
        {"version_type": "external"}
    )
    assert "illegal version value [-1]" in refused({"version": -1, "version_type": "external"})
    assert "internal versioning can not be used" in refused({"version": 2})
    assert "create operations only support internal versioning" in refused(
        {"version": 2, "version_type": "external"}, op="create"
    )
    assert "unknown parameter [_version]" in refused({"_version": 2})


def test_a_delete_is_remembered_only_for_gc_deletes(client):
    forgetful = f"versions-{next(_names)}"
    client.indices.create(index=forgetful, body={**MAPPING, "settings": {"index.gc_deletes": "0s"}})
    put(client, forgetful, "m1", 3)
    deleted = client.bulk(
        body=[{"delete": {"_id": "m1", "version": 4, "version_type": "external"}}], index=forgetful
    )
    assert item(deleted)["result"] == "deleted"
    # gc_deletes elapsed: a late, older write brings the document back, as in OpenSearch.
    assert item(put(client, forgetful, "m1", 1, "late"))["status"] == 201


def test_a_recent_delete_refuses_an_older_external_write(client, index):
    put(client, index, "m1", 3)
    client.bulk(
        body=[{"delete": {"_id": "m1", "version": 4, "version_type": "external"}}], index=index
    )
    assert item(put(client, index, "m1", 2))["status"] == 409


def test_an_alias_reads_and_writes_its_index_and_switches_atomically(client):
    old, new = f"old-{next(_names)}", f"new-{next(_names)}"
    client.indices.create(index=old, body={**MAPPING, "aliases": {"chat": {}}})
    client.indices.create(index=new, body=MAPPING)
    assert client.indices.exists(index="chat") is True
    put(client, "chat", "a", 1, "written through the alias")
    assert client.search(index="chat")["hits"]["hits"][0]["_index"] == old
    assert client.indices.get_alias(name="chat") == {old: {"aliases": {"chat": {}}}}

    put(client, new, "b", 1)
    client.indices.update_aliases(
        body={
            "actions": [
                {"add": {"index": new, "alias": "chat"}},
                {"remove": {"index": old, "alias": "chat"}},
            ]
        }
    )
    assert [h["_id"] for h in client.search(index="chat")["hits"]["hits"]] == ["b"]

    with pytest.raises(NotFoundError):
        client.indices.update_aliases(
            body={
                "actions": [
                    {"add": {"index": old, "alias": "chat"}},
                    {"add": {"index": "missing", "alias": "chat"}},
                ]
            }
        )
    assert list(client.indices.get_alias(name="chat")) == [new]  # nothing was applied


def test_an_alias_of_two_indices_needs_a_write_index(client):
    first, second = f"one-{next(_names)}", f"two-{next(_names)}"
    for name in (first, second):
        client.indices.create(index=name, body={**MAPPING, "aliases": {"both": {}}})
    result = item(put(client, "both", "x", 1))
    assert result["status"] == 400
    assert "no write index is defined for alias [both]" in result["error"]["reason"]


def test_remove_index_lets_an_alias_take_the_name_of_the_index_it_replaces(client):
    legacy, rebuilt = f"legacy-{next(_names)}", f"rebuilt-{next(_names)}"
    client.indices.create(index=legacy, body=MAPPING)
    client.indices.create(index=rebuilt, body=MAPPING)
    with pytest.raises(RequestError) as error:
        client.indices.update_aliases(
            body={"actions": [{"add": {"index": rebuilt, "alias": legacy}}]}
        )
    assert error.value.error == "invalid_alias_name_exception"
    client.indices.update_aliases(
        body={
            "actions": [
                {"add": {"index": rebuilt, "alias": legacy}},
                {"remove_index": {"index": legacy}},
            ]
        }
    )
    assert client.indices.get_alias(name=legacy) == {rebuilt: {"aliases": {legacy: {}}}}


def test_a_missing_alias_is_404(client):
    with pytest.raises(NotFoundError):
        client.indices.get_alias(name="no-such-alias")


def test_put_mapping_adds_fields_and_refuses_a_type_change(client, index):
    client.indices.put_mapping(index=index, body={"properties": {"isDeleted": {"type": "boolean"}}})
    with pytest.raises(RequestError):
        client.indices.put_mapping(index=index, body={"properties": {"roomId": {"type": "long"}}})


def test_composite_aggregation_pages_counts_per_term(client, index):
    body = []
    for doc_id, room in (("1", "a"), ("2", "b"), ("3", "b"), ("4", "c")):
        body += [{"index": {"_id": doc_id}}, {"roomId": room, "content": "x"}]
    client.bulk(body=body, index=index)
    aggs = {
        "rooms": {"composite": {"size": 2, "sources": [{"room": {"terms": {"field": "roomId"}}}]}}
    }

    first = client.search(index=index, body={"size": 0, "aggs": aggs})["aggregations"]["rooms"]
    assert first["buckets"] == [
        {"key": {"room": "a"}, "doc_count": 1},
        {"key": {"room": "b"}, "doc_count": 2},
    ]
    aggs["rooms"]["composite"]["after"] = first["after_key"]
    rest = client.search(index=index, body={"size": 0, "aggs": aggs})["aggregations"]["rooms"]
    assert rest["buckets"] == [{"key": {"room": "c"}, "doc_count": 1}]
    assert client.count(index=index, body={"query": {"term": {"roomId": "b"}}})["count"] == 2


def test_fault_down_closes_the_connection_until_cleared(standin, client, index):
    requests.put(f"{standin.url}/_emulator/faults", json={"mode": "down"}, timeout=5)
    with pytest.raises(OpenSearchConnectionError):
        client.search(index=index)
    assert requests.get(f"{standin.url}/_emulator/faults", timeout=5).json()["fault"]["mode"] == (
        "down"
    )
    requests.delete(f"{standin.url}/_emulator/faults", timeout=5)
    assert client.search(index=index)["hits"]["hits"] == []


def test_fault_error_answers_the_status_for_count_requests_only(standin, client, index):
    standin.faults.set({"mode": "error", "status": 503, "count": 2})
    for _ in range(2):
        with pytest.raises(TransportError) as error:
            client.search(index=index)
        assert error.value.status_code == 503
    assert client.search(index=index)["hits"]["hits"] == []  # the fault ended by itself


def test_fault_scoped_to_bulk_leaves_search_alone(standin, client, index):
    standin.faults.set({"mode": "error", "status": 500, "only": "bulk"})
    assert client.search(index=index)["hits"]["hits"] == []
    with pytest.raises(TransportError):
        put(client, index, "m1", 1)


def test_item_faults_fail_the_chosen_items_and_apply_the_rest(standin, client, index):
    standin.faults.set({"mode": "items", "ids": ["m2"], "status": 429})
    body = []
    for doc_id in ("m1", "m2", "m3"):
        body += [{"index": {"_id": doc_id}}, {"roomId": "r", "content": doc_id}]
    answer = client.bulk(body=body, index=index)
    statuses = [next(iter(i.values()))["status"] for i in answer["items"]]
    assert answer["errors"] is True and statuses == [201, 429, 201]
    assert answer["items"][1]["index"]["error"]["type"] == "es_rejected_execution_exception"
    assert sorted(h["_id"] for h in client.search(index=index)["hits"]["hits"]) == ["m1", "m3"]


def test_a_bad_fault_is_refused(standin):
    answer = requests.put(f"{standin.url}/_emulator/faults", json={"mode": "melt"}, timeout=5)
    assert answer.status_code == 400
    assert "fault mode must be one of" in answer.json()["error"]["reason"]


def test_the_fault_command_sets_shows_and_clears_a_fault(standin, client, index, tmp_path, capsys):
    from emulator.search_faults import main

    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"searchEndpoint": standin.url}))
    assert main(["error", "--status", "503", "--only", "search", "--outputs", str(outputs)]) == 0
    with pytest.raises(TransportError):
        client.search(index=index)
    assert main(["show", "--outputs", str(outputs)]) == 0
    assert '"mode": "error"' in capsys.readouterr().out
    assert main(["items", "--outputs", str(outputs)]) == 1  # neither --every nor --ids
    assert main(["clear", "--outputs", str(outputs)]) == 0
    assert client.search(index=index)["hits"]["hits"] == []
