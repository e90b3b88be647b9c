"""The OpenSearch stand-in, driven with opensearch-py as the Lambdas drive a real cluster."""

from __future__ import annotations

import itertools
import json
import threading

import pytest
from opensearchpy import OpenSearch
from opensearchpy.exceptions import NotFoundError, RequestError

from emulator.opensearch import OpenSearchStandin, start_standin
from tests.support.fresh_interpreter import in_fresh_interpreter, traced_bytes

MAPPING = {
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "roomId": {"type": "keyword"},
            "content": {"type": "text"},
            "createdAt": {"type": "date"},
            "pinned": {"type": "boolean"},
            "reactions": {"type": "object", "enabled": False},
        },
    }
}


@pytest.fixture(scope="module")
def standin():
    with OpenSearchStandin() as running:
        yield running


@pytest.fixture
def client(standin):
    return OpenSearch(hosts=[standin.url], timeout=5)


_names = itertools.count()


@pytest.fixture
def index(client):
    name = f"index-{next(_names)}"
    client.indices.create(index=name, body=MAPPING)
    return name


def doc(room: str, content: str, created: str = "2026-11-02T10:00:00Z") -> dict:
    return {"roomId": room, "content": content, "createdAt": created}


def load(client: OpenSearch, index: str, docs: dict[str, dict]) -> dict:
    body = []
    for doc_id, source in docs.items():
        body += [{"index": {"_id": doc_id}}, source]
    return client.bulk(body=body, index=index)


def ids(response: dict) -> list[str]:
    return [h["_id"] for h in response["hits"]["hits"]]


def test_start_standin_is_a_loopback_one_liner():
    url, stop = start_standin()
    try:
        assert url.startswith("http://127.0.0.1:")
        assert OpenSearch(hosts=[url]).indices.exists(index="nothing") is False
    finally:
        stop()


def test_index_exists_and_create(client):
    assert client.indices.exists(index="fresh") is False
    assert client.indices.create(index="fresh", body=MAPPING)["acknowledged"] is True
    assert client.indices.exists(index="fresh") is True
    with pytest.raises(RequestError) as error:
        client.indices.create(index="fresh", body=MAPPING)
    assert error.value.error == "resource_already_exists_exception"


def test_invalid_index_names_and_mapping_types_are_refused(client):
    with pytest.raises(RequestError) as bad_name:
        client.indices.create(index="Upper")
    assert bad_name.value.error == "invalid_index_name_exception"
    with pytest.raises(RequestError) as bad_type:
        client.indices.create(
            index="badtype", body={"mappings": {"properties": {"x": {"type": "nope"}}}}
        )
    assert bad_type.value.error == "mapper_parsing_exception"


def test_bulk_reports_each_item_and_the_errors_flag(client, index):
    response = client.bulk(
        index=index,
        body=[
            {"index": {"_id": "a"}},
            doc("r1", "first"),
            {"index": {"_id": "a"}},
            doc("r1", "first again"),
            {"index": {"_id": "b"}},
            {"roomId": "r1", "content": "x", "createdAt": "2026-11-02T10:00:00Z", "extra": 1},
            {"index": {"_id": "c"}},
            doc("r1", "bad date", created="yesterday"),
            {"delete": {"_id": "a"}},
            {"delete": {"_id": "zzz"}},
        ],
    )

    assert response["errors"] is True
    items = [
        (op, r["_id"], r["status"], r.get("result"))
        for i in response["items"]
        for op, r in i.items()
    ]
    assert items == [
        ("index", "a", 201, "created"),
        ("index", "a", 200, "updated"),
        ("index", "b", 400, None),
        ("index", "c", 400, None),
        ("delete", "a", 200, "deleted"),
        ("delete", "zzz", 404, "not_found"),
    ]
    errors = [r.get("error", {}).get("type") for i in response["items"] for r in i.values()]
    assert errors[2:4] == ["strict_dynamic_mapping_exception", "mapper_parsing_exception"]
    assert "error" not in response["items"][5]["delete"]


def test_a_clean_bulk_has_errors_false_and_a_delete_in_a_missing_index_fails(client):
    ok = client.bulk(index="autocreated", body=[{"index": {"_id": "1"}}, {"anything": "goes"}])
    assert ok["errors"] is False
    gone = client.bulk(body=[{"delete": {"_index": "missing-index", "_id": "1"}}])
    assert gone["errors"] is True
    assert gone["items"][0]["delete"]["status"] == 404
    assert gone["items"][0]["delete"]["error"]["type"] == "index_not_found_exception"


def test_bulk_needs_a_final_newline_and_known_actions(client, index):
    with pytest.raises(RequestError) as no_newline:
        client.transport.perform_request(
            "POST", f"/{index}/_bulk", body='{"index":{"_id":"1"}}\n{"content":"x"}'
        )
    assert "terminated by a newline" in no_newline.value.info["error"]["reason"]
    with pytest.raises(RequestError) as update:
        client.bulk(index=index, body=[{"update": {"_id": "1"}}, {"doc": {}}])
    assert update.value.error == "illegal_argument_exception"


def test_delete_document(client, index):
    load(client, index, {"a": doc("r1", "hello")})
    assert client.delete(index=index, id="a")["result"] == "deleted"
    with pytest.raises(NotFoundError) as again:
        client.delete(index=index, id="a")
    assert again.value.info["result"] == "not_found"
    with pytest.raises(NotFoundError) as no_index:
        client.delete(index="no-index", id="a")
    assert no_index.value.error == "index_not_found_exception"


def test_search_ranks_by_bm25_and_filters_by_room(client, index):
    load(
        client,
        index,
        {
            "once": doc("r1", "the cat sat on a very long mat with many other words here"),
            "twice": doc("r1", "cat cat"),
            "other-room": doc("r2", "cat"),
            "no-match": doc("r1", "dog"),
        },
    )

    response = client.search(
        index=index,
        body={
            "query": {
                "bool": {
                    "must": [{"multi_match": {"query": "CAT", "fields": ["content"]}}],
                    "filter": [{"terms": {"roomId": ["r1"]}}],
                }
            }
        },
    )

    assert ids(response) == ["twice", "once"]
    scores = [h["_score"] for h in response["hits"]["hits"]]
    assert scores[0] > scores[1] > 0
    assert response["hits"]["total"] == {"value": 2, "relation": "eq"}


def test_rarer_terms_weigh_more(client, index):
    load(client, index, {str(i): doc("r1", "common words") for i in range(5)})
    load(client, index, {"rare": doc("r1", "rare"), "common": doc("r1", "common")})

    response = client.search(index=index, body={"query": {"match": {"content": "rare common"}}})

    assert ids(response)[0] == "rare"


def test_bool_must_not_should_and_term(client, index):
    load(
        client, index, {"a": doc("r1", "alpha beta"), "b": doc("r2", "alpha"), "c": doc("r3", "x")}
    )

    response = client.search(
        index=index,
        body={
            "query": {
                "bool": {
                    "should": [{"match": {"content": "alpha"}}, {"term": {"roomId": "r3"}}],
                    "must_not": [{"term": {"roomId": "r2"}}],
                }
            },
            "sort": [{"_id": "asc"}],
        },
    )

    assert ids(response) == ["a", "c"]


def test_sort_by_date_gives_epoch_millis_and_search_after_pages(client, index):
    load(
        client,
        index,
        {f"m{i}": doc("r1", "same words", created=f"2026-11-02T10:00:0{i}Z") for i in range(5)},
    )
    body = {
        "query": {"match": {"content": "words"}},
        "sort": [{"_score": {"order": "desc"}}, {"createdAt": {"order": "desc"}}],
        "size": 2,
    }

    first = client.search(index=index, body=body)
    assert ids(first) == ["m4", "m3"]
    assert first["hits"]["hits"][0]["sort"][1] == 1793613604000
    second = client.search(
        index=index, body={**body, "search_after": first["hits"]["hits"][-1]["sort"]}
    )
    assert ids(second) == ["m2", "m1"]
    paged = client.search(index=index, body={**body, "from": 4})
    assert ids(paged) == ["m0"]


def test_sort_without_score_leaves_scores_null(client, index):
    load(
        client,
        index,
        {"a": doc("r1", "x", "2026-01-01T00:00:00Z"), "b": doc("r1", "x", "2026-01-02T00:00:00Z")},
    )

    response = client.search(index=index, body={"sort": [{"createdAt": "asc"}]})

    assert ids(response) == ["a", "b"]
    assert [h["_score"] for h in response["hits"]["hits"]] == [None, None]


def test_total_hits_tracking(client, index):
    load(client, index, {str(i): doc("r1", "x") for i in range(4)})

    limited = client.search(index=index, body={"track_total_hits": 2, "size": 0})
    assert limited["hits"]["total"] == {"value": 2, "relation": "gte"}
    untracked = client.search(index=index, body={"track_total_hits": False})
    assert "total" not in untracked["hits"]


def test_highlight_wraps_matches_escapes_html_and_cuts_fragments(client, index):
    text = "Nothing here. A <b>cat</b> & a dog! Another sentence about the cat."
    load(client, index, {"a": doc("r1", text)})
    highlight = {
        "pre_tags": ["<em>"],
        "post_tags": ["</em>"],
        "encoder": "html",
        "fields": {"content": {}},
    }

    response = client.search(
        index=index, body={"query": {"match": {"content": "cat"}}, "highlight": highlight}
    )

    assert response["hits"]["hits"][0]["highlight"] == {
        "content": [
            "A &lt;b&gt;<em>cat</em>&lt;&#x2F;b&gt; &amp; a dog!",
            "Another sentence about the <em>cat</em>.",
        ]
    }
    whole = {"fields": {"content": {"number_of_fragments": 0}}}
    plain = client.search(
        index=index, body={"query": {"match": {"content": "dog"}}, "highlight": whole}
    )
    assert plain["hits"]["hits"][0]["highlight"]["content"] == [text.replace("dog", "<em>dog</em>")]


def test_long_sentences_are_cut_near_fragment_size(client, index):
    words = " ".join(f"w{i}" for i in range(60)) + " needle " + " ".join(f"v{i}" for i in range(60))
    load(client, index, {"a": doc("r1", words)})

    response = client.search(
        index=index,
        body={
            "query": {"match": {"content": "needle"}},
            "highlight": {"fields": {"content": {"fragment_size": 40, "number_of_fragments": 1}}},
        },
    )

    (fragment,) = response["hits"]["hits"][0]["highlight"]["content"]
    assert "<em>needle</em>" in fragment
    assert len(fragment) <= 40 + len("<em></em>")


@pytest.mark.parametrize(
    ("body", "error_type"),
    [
        ({"query": {"fuzzy": {"content": "x"}}}, "parsing_exception"),
        ({"aggs": {"rooms": {"terms": {"field": "roomId"}}}}, "parsing_exception"),
        ({"sort": [{"content": "asc"}]}, "illegal_argument_exception"),
        ({"sort": [{"_score": "desc"}], "search_after": [1, 2]}, "illegal_argument_exception"),
        ({"size": 10001}, "illegal_argument_exception"),
    ],
)
def test_unsupported_or_invalid_searches_get_opensearch_errors(client, index, body, error_type):
    with pytest.raises(RequestError) as error:
        client.search(index=index, body=body)
    assert error.value.error == error_type
    assert error.value.info["status"] == 400
    assert error.value.info["error"]["root_cause"][0]["type"] == error_type


def test_search_of_a_missing_index_is_index_not_found(client):
    with pytest.raises(NotFoundError) as error:
        client.search(index="never-created", body={})
    assert error.value.error == "index_not_found_exception"


def test_anything_outside_the_subset_gets_the_error_shape(client):
    with pytest.raises(RequestError) as error:
        client.transport.perform_request("GET", "/_cat/indices")
    info = error.value.info
    assert set(info) == {"error", "status"}
    assert info["error"]["type"] == "illegal_argument_exception"
    assert "no handler found for uri [/_cat/indices]" in info["error"]["reason"]


def test_concurrent_bulks_lose_nothing(client, index):
    def writer(n: int) -> None:
        load(
            OpenSearch(hosts=[client.transport.hosts[0]]),
            index,
            {f"{n}-{i}": doc("r1", "x") for i in range(20)},
        )

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    response = client.search(index=index, body={"size": 0})
    assert response["hits"]["total"]["value"] == 160
    assert json.dumps(response)  # answers are plain JSON


def test_chat_messages_are_held_compactly_and_come_back_exactly():
    """100,000 messages must fit beside moto's copy (issue 12: emulator RSS at most
    600 MB): a message document of the real mapping costs under 1,370 bytes (1,310 with
    its source packed against the mapping's field names and its id shared; 1,430 without)."""
    held_per_message, comes_back_exactly = in_fresh_interpreter(_index_2000_messages)
    assert held_per_message < 1370, f"{held_per_message:.0f} bytes a message"
    assert comes_back_exactly


def _index_2000_messages() -> tuple[float, bool]:
    from emulator.opensearch import server
    from emulator.opensearch.store import Store
    from functions.indexer.mapping import INDEX_BODY

    store = Store()
    server.route(store, "PUT", "/messages-000001", json.dumps(INDEX_BODY).encode())

    def message(n: int) -> dict:
        return {
            "messageId": f"01JEXAMPLEMESSAGE{n:09d}",
            "roomId": f"0{n % 100:025d}",
            "authorId": "c1f2e3d4-0000-4000-8000-000000000001",
            "content": f"stored message {n} of the test, a sentence of ordinary length",
            "type": "TEXT",
            "createdAt": "2026-12-01T12:00:00.000Z",
            "seq": n,
            "isEdited": False,
            "pinned": False,
            "reactions": {"👍": ["u1"]},
            "version": 1,
        }

    def bulk(messages: list[dict]) -> None:
        lines = []
        for m in messages:
            lines += [json.dumps({"index": {"_id": m["messageId"]}}), json.dumps(m)]
        server.route(store, "POST", "/messages-000001/_bulk", "\n".join(lines).encode() + b"\n")

    def bulk_all() -> None:
        for start in range(0, len(messages), 100):
            bulk(messages[start : start + 100])

    bulk([message(n) for n in range(-50, 0)])
    messages = [message(n) for n in range(2000)]
    held = traced_bytes(bulk_all)
    index = store._indices["messages-000001"]
    return held / len(messages), index.docs[messages[7]["messageId"]].source == messages[7]
