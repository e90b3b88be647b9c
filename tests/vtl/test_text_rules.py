"""The character classes of chatspec.rules, run in the emulator's regex engine (the Java
syntax AppSync receives), against Python's unicodedata and the `emoji` package's RGI list."""

from __future__ import annotations

import unicodedata

import emoji
import pytest

from chatspec import rules
from emulator.vtl.java import java_regex


def expected_invisible(code_point: int) -> bool:
    in_ignorable = any(low <= code_point <= high for low, high in rules.DEFAULT_IGNORABLE_RANGES)
    category = unicodedata.category(chr(code_point))
    return (
        category in rules.INVISIBLE_CATEGORIES
        or in_ignorable
        or code_point in rules.EXTRA_INVISIBLE
    )


def test_blank_is_decided_by_category_for_every_code_point():
    if unicodedata.unidata_version != rules.INVISIBLE_UNICODE_VERSION:
        pytest.skip(f"ranges are of Unicode {rules.INVISIBLE_UNICODE_VERSION}")
    blank = java_regex(rules.BLANK_PATTERN)
    wrong = [
        hex(cp)
        for cp in range(0x110000)
        if (blank.fullmatch(chr(cp)) is not None) != expected_invisible(cp)
    ]
    assert wrong == []


def test_only_tab_and_newline_of_the_control_characters_pass():
    allowed = java_regex(rules.NO_REFUSED_CONTROL_PATTERN)
    passing = [cp for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cc"]
    assert [cp for cp in passing if allowed.fullmatch(chr(cp))] == [0x09, 0x0A]


def test_every_fully_qualified_rgi_emoji_is_a_reaction():
    reaction = java_regex(rules.REACTION_PATTERN)
    qualified = [
        e for e, v in emoji.EMOJI_DATA.items() if v["status"] == emoji.STATUS["fully_qualified"]
    ]
    assert len(qualified) > 3000
    assert [e for e in qualified if not reaction.fullmatch(e)] == []


@pytest.mark.parametrize("text", ["a", "1", "ab", "👍👍", " ", "\u200d", "a\u0301", "中"])
def test_text_is_no_reaction(text):
    assert java_regex(rules.REACTION_PATTERN).fullmatch(text) is None


def test_java_code_point_escapes_are_translated():
    assert java_regex(r"[\x{1F600}]").fullmatch("😀")
    assert java_regex(r"\uD83D\uDE00").fullmatch("😀")
    assert java_regex(r"\\x{41}").fullmatch("\\x{41}") is None
