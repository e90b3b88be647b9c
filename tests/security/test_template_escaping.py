"""No resolver template writes a value into a JSON string literal by hand.

A template that renders `"content": "$ctx.args.content"` lets a quote in the content end
the string and add keys of the caller's choosing to the DynamoDB request; every value must
reach the request through `$util.toJson` / `$util.dynamodb.toDynamoDBJson`, which escape
it. Directives (`#set`, `#if`) and `$util` statement lines are VTL, not JSON output, and
`#if(...)` conditions inside a literal only choose constant text.
"""

from __future__ import annotations

import re

import pytest

from chatspec.templates import VTL_DIR

_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
_CONDITION = re.compile(r"#(?:else)?if\((?:[^()]|\([^()]*\))*\)")
_VTL_STATEMENT = re.compile(r"^\s*(#|\$util\.|\$ctx\.stash\.put|\$extensions\.)")


def interpolations_in_json_strings(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        if _VTL_STATEMENT.match(line):
            continue
        for literal in _STRING_LITERAL.findall(line):
            if "$" in _CONDITION.sub("", literal):
                found.append(line.strip())
    return found


TEMPLATES = sorted(VTL_DIR.rglob("*.vtl"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(VTL_DIR)))
def test_template_never_interpolates_inside_a_json_string(path):
    assert interpolations_in_json_strings(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_value_written_inside_quotes():
    unsafe = '{\n  "key": {"roomId": {"S": "$ctx.args.roomId"}},\n  "name": "${name}"\n}'
    assert len(interpolations_in_json_strings(unsafe)) == 2


def test_the_check_allows_conditions_and_escaped_values():
    safe = (
        '{\n  "expression": "SET #a = :a#if($hasName), #n = :n#end",\n'
        '  "roomId": $util.dynamodb.toDynamoDBJson($ctx.args.roomId)\n}\n'
        '#set($id = "direct#${a}#${b}")'
    )
    assert interpolations_in_json_strings(safe) == []


def test_every_template_is_checked():
    assert len(TEMPLATES) > 50
