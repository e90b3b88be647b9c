"""Java methods templates call on strings, maps and lists (AppSync runs VTL on the JVM)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"  hi ".trim()', "hi"),
        ('"Hello".length()', "5"),
        ('"".isEmpty()', "true"),
        ('"abc".contains("b")', "true"),
        ('"abc".startsWith("ab")', "true"),
        ('"abc".endsWith("bc")', "true"),
        ('"abcdef".substring(2)', "cdef"),
        ('"abcdef".substring(1, 3)', "bc"),
        ('"AbC".toLowerCase()', "abc"),
        ('"AbC".toUpperCase()', "ABC"),
        ('"a.b.c".replace(".", "-")', "a-b-c"),
        ('"a1b22c".replaceAll("[0-9]+", "#")', "a#b#c"),
        ('"john smith".replaceAll("(\\w+) (\\w+)", "$2 $1")', "smith john"),
        ('"a,b,,c,,".split(",")', "[a, b, , c]"),
        ('"abc".matches("a.c")', "true"),
        ('"abc".matches("b")', "false"),
        ('"b".compareTo("a")', "1"),
        ('"a".compareTo("abc")', "-2"),
        ('"x".equals("x")', "true"),
        ('"abc".indexOf("c")', "2"),
        ('"abc".charAt(1)', "b"),
    ],
)
def test_string_methods(vtl, expression, expected):
    """java.lang.String semantics: split drops trailing empty strings, replaceAll takes a
    regex and `$n` group references, compareTo returns the code-unit difference."""
    literal, call = (
        expression.split(".", 1)
        if expression.startswith('""')
        else (
            expression[: expression.index('".') + 1],
            expression[expression.index('".') + 2 :],
        )
    )
    assert vtl.text(f"#set($s = {literal})#set($r = $s.{call})$r") == expected


def test_map_methods(vtl):
    """java.util.Map: put returns the previous value, entrySet yields entries with
    getKey/getValue, keySet and values are collections."""
    template = (
        '#set($m = {"a": 1})'
        '#set($old = $m.put("a", 2))'
        '$util.qr($m.put("b", 3))'
        "$old $m.get('a') $m.containsKey('b') $m.size() $m.isEmpty() "
        "#foreach($e in $m.entrySet())$e.key=$e.getValue();#end "
        "$m.keySet() $m.values() $m.remove('a') $m"
    )
    assert vtl.text(template) == "1 2 true 2 false a=2;b=3; [a, b] [2, 3] 2 {b=3}"


def test_list_methods(vtl):
    """java.util.List: add returns true, remove(int) removes by index, remove(Object) by value."""
    template = (
        "#set($l = [])"
        "$l.add('x') $util.qr($l.addAll(['y', 'z', 'w'])) $l.size() $l.get(0) "
        "$l.contains('y') $l.isEmpty() $l.remove(0) $l.remove('z') $l"
    )
    assert vtl.text(template) == "true  4 x true false x true [y, w]"


def test_map_literal_with_nested_values(vtl):
    """#set map and list literals build real maps and lists the template can mutate."""
    assert vtl.value('#set($m = {"l": [1, {"x": true}]})$util.qr($m.l.add(2))$util.toJson($m)') == {
        "l": [1, {"x": True}, 2]
    }


def test_property_access_on_maps_and_bean_getters(vtl):
    """Velocity: `$map.key` reads the key; `$list.empty` calls isEmpty()."""
    assert vtl.text('#set($m = {"size": 3})$m.size #set($l = [])$l.empty') == "3 true"


def test_string_length_counts_utf16_code_units(vtl):
    """java.lang.String.length() counts UTF-16 code units: an emoji outside the BMP is 2."""
    assert vtl.text('#set($s = "a👍")$s.length()') == "3"
