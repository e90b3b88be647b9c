"""A loopback stand-in for the subset of OpenSearch the search and indexer Lambdas use.

No OpenSearch can run here, so the emulator serves this instead; `--opensearch-url`
points the Lambdas at a real cluster. What it answers (anything else gets OpenSearch's
error shape, status 400, or 404 for a missing index):

- `HEAD /<index>`, `PUT /<index>` (settings ignored, mappings honoured);
- `POST|PUT /_bulk`, `/<index>/_bulk`: NDJSON `index`, `create`, `delete` actions with
  per-item results and the `errors` flag;
- `DELETE /<index>/_doc/<id>`;
- `GET|POST /<index>/_search`: `query` (bool must/filter/should/must_not, match,
  multi_match, term, terms, match_all), `sort`, `size`, `from`, `search_after`,
  `track_total_hits`, `track_scores`, `_source`, `highlight`.

Text is analysed as lowercase word tokens; relevance is Lucene's BM25 (k1 1.2, b 0.75,
one shard). Everything is in memory and every request holds one lock.
"""

from emulator.opensearch.server import OpenSearchStandin, start_standin

__all__ = ["OpenSearchStandin", "start_standin"]
