"""Highlighting, close to OpenSearch's default unified highlighter for short texts.

A field's text is cut into sentences, and sentences longer than `fragment_size` into
word-bounded pieces of at most that size; the pieces holding a query term are returned
in text order (`order: none`), at most `number_of_fragments` of them (0 returns the
whole field), with every matching word wrapped in the tags. `encoder: html` escapes
the text around the tags as Lucene's SimpleHTMLEncoder does.
"""

from __future__ import annotations

import re
from typing import Any

from emulator.opensearch.analysis import Token, tokens
from emulator.opensearch.errors import bad_request

_SENTENCE_END = re.compile(r"[.!?]+\s+")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "/": "&#x2F;"}


def _encode(text: str, encoder: str) -> str:
    if encoder == "html":
        return "".join(_HTML.get(ch, ch) for ch in text)
    return text


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end_match in _SENTENCE_END.finditer(text):
        spans.append((start, end_match.end()))
        start = end_match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _pieces(text: str, all_tokens: list[Token], fragment_size: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    for start, end in _sentences(text):
        if end - start <= fragment_size:
            pieces.append((start, end))
            continue
        piece_start = start
        for token in all_tokens:
            if token.start < piece_start or token.end > end:
                continue
            if token.end - piece_start > fragment_size and token.start > piece_start:
                pieces.append((piece_start, token.start))
                piece_start = token.start
        pieces.append((piece_start, end))
    return pieces


def _mark(
    text: str, start: int, end: int, hits: list[Token], pre: str, post: str, encoder: str
) -> str:
    out, cursor = [], start
    for token in hits:
        if token.start < start or token.end > end:
            continue
        out.append(_encode(text[cursor : token.start], encoder))
        out.append(pre + _encode(text[token.start : token.end], encoder) + post)
        cursor = token.end
    out.append(_encode(text[cursor:end], encoder))
    return "".join(out).strip()


def highlight_field(text: str, wanted: set[str], options: dict[str, Any]) -> list[str]:
    pre = (options.get("pre_tags") or ["<em>"])[0]
    post = (options.get("post_tags") or ["</em>"])[0]
    encoder = options.get("encoder", "default")
    if encoder not in ("default", "html"):
        raise bad_request(f"Unknown encoder [{encoder}]")
    count = int(options.get("number_of_fragments", 5))
    size = int(options.get("fragment_size", 100))
    all_tokens = tokens(text)
    hits = [t for t in all_tokens if t.term in wanted]
    if not hits:
        return []
    if count == 0:
        return [_mark(text, 0, len(text), hits, pre, post, encoder)]
    fragments = []
    for start, end in _pieces(text, all_tokens, size):
        if any(start <= t.start and t.end <= end for t in hits):
            fragments.append(_mark(text, start, end, hits, pre, post, encoder))
        if len(fragments) == count:
            break
    return fragments


def highlight(
    source: dict[str, Any], wanted_by_field: dict[str, set[str]], spec: dict[str, Any]
) -> dict[str, list[str]]:
    """The `highlight` section of one hit (fields without a match are left out)."""
    if not isinstance(spec, dict) or not isinstance(spec.get("fields"), dict | list):
        raise bad_request("[highlight] requires [fields]", "parsing_exception")
    fields = spec["fields"]
    if isinstance(fields, list):
        fields = {k: v for entry in fields for k, v in entry.items()}
    shared = {k: v for k, v in spec.items() if k != "fields"}
    result: dict[str, list[str]] = {}
    for path, own in fields.items():
        value = source.get(path)
        wanted = wanted_by_field.get(path, set())
        if not isinstance(value, str) or not wanted:
            continue
        fragments = highlight_field(value, wanted, {**shared, **(own or {})})
        if fragments:
            result[path] = fragments
    return result
