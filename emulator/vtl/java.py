"""The Java methods and `toString` renderings that AppSync templates rely on.

AppSync evaluates VTL on the JVM, so a template calls Java methods on the values it
handles (`$name.trim()`, `$map.entrySet()`, `$list.add(...)`) and renders values with
Java's `toString` (`{a=1}`, `[x, y]`, `true`, `null`). airspeed leaks Python methods and
Python reprs instead; this module is the one table of Java behaviour the patched engine
dispatches to, and an unknown method fails loudly rather than yielding a silent null.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

import regex


class MapEntry:
    """`Map.Entry` as `entrySet()` yields it: `$e.key`, `$e.getKey()`, `$e.value`."""

    __slots__ = ("key", "value")

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value

    def getKey(self) -> Any:
        return self.key

    def getValue(self) -> Any:
        return self.value

    def __repr__(self) -> str:
        return f"{java_str(self.key)}={java_str(self.value)}"


def java_str(value: Any) -> str:
    """`String.valueOf(value)` as the JVM would print it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        if math.isfinite(value) and (value == 0 or 1e-3 <= abs(value) < 1e7):
            return repr(value)
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        mantissa, exponent = f"{value:.16E}".split("E")
        mantissa = mantissa.rstrip("0")
        mantissa = mantissa + "0" if mantissa.endswith(".") else mantissa
        return f"{mantissa}E{int(exponent)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{java_str(k)}={java_str(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        return "[" + ", ".join(java_str(v) for v in value) + "]"
    if isinstance(value, MapEntry):
        return repr(value)
    return str(value)


_SURROGATE = regex.compile("[\ud800-\udfff]")


def escape_surrogates(json_text: str) -> str:
    """Write each surrogate code point left in JSON text as a `\\uXXXX` escape.

    A Java string may hold a lone surrogate (a JSON `"\\ud800"` decodes to one); UTF-8
    cannot encode it, and Jackson's UTF-8 generator, which AppSync's JSON goes through,
    writes every surrogate char as an escape (FasterXML/jackson-core#223). Python keeps
    surrogate pairs as one code point, so only lone surrogates remain to escape here.
    """
    try:
        json_text.encode("utf-8")  # fails exactly on a surrogate; C speed, holds the GIL
    except UnicodeEncodeError:
        return _SURROGATE.sub(
            lambda match: f"\\u{ord(match.group()):04X}", json_text, concurrent=False
        )
    return json_text


def java_equals(left: Any, right: Any) -> bool:
    """Velocity's `==`: numbers compare by value, other mixed types by their strings."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right if isinstance(left, bool) and isinstance(right, bool) else False
    if isinstance(left, int | float | Decimal) and isinstance(right, int | float | Decimal):
        return left == right
    if type(left) is type(right) or (isinstance(left, dict) and isinstance(right, dict)):
        return left == right
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return list(left) == list(right)
    return java_str(left) == java_str(right)


_JAVA_ESCAPE = regex.compile(
    r"\\(?:x\{([0-9A-Fa-f]{1,6})\}|u([Dd][89ABab][0-9A-Fa-f]{2})\\u([Dd][C-Fc-f][0-9A-Fa-f]{2}))"
)


def _translate_escapes(pattern: str) -> str:
    """Java's code point escapes the `regex` module spells differently.

    `\\x{h..h}` (Java 7+) and an escaped surrogate pair `\\uD83D\\uDE00` (one code point
    for java.util.regex) become `\\Uhhhhhhhh`; an escaped backslash is left alone.
    """
    out: list[str] = []
    index = 0
    while index < len(pattern):
        if pattern[index] != "\\":
            out.append(pattern[index])
            index += 1
            continue
        match = _JAVA_ESCAPE.match(pattern, index, concurrent=False)
        if match is None:
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if match.group(1) is not None:
            value = int(match.group(1), 16)
        else:
            high, low = int(match.group(2), 16), int(match.group(3), 16)
            value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        out.append(f"\\U{value:08X}")
        index = match.end()
    return "".join(out)


class JavaPattern:
    """A compiled pattern whose matching keeps the GIL.

    `regex` releases the GIL while it matches a `str`. In the emulator's threaded server,
    taking it back waits for the interpreter's switch interval (5 ms) whenever another
    thread is busy: with one busy thread beside it, a search of 100 characters took 0.9 ms
    instead of 0.7 µs. Matching here is short, so holding the GIL (`concurrent=False`,
    regex's documented switch) is what costs least."""

    __slots__ = ("_compiled",)

    def __init__(self, compiled: Any) -> None:
        self._compiled = compiled

    def match(self, text: str) -> Any:
        return self._compiled.match(text, concurrent=False)

    def fullmatch(self, text: str) -> Any:
        return self._compiled.fullmatch(text, concurrent=False)

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self._compiled.split(text, maxsplit=maxsplit, concurrent=False)

    def sub(self, replacement: str, text: str, count: int = 0) -> str:
        return self._compiled.sub(replacement, text, count=count, concurrent=False)


@lru_cache(maxsize=512)
def java_regex(pattern: str) -> JavaPattern:
    """Compile a Java regular expression; `regex` knows `\\X`, possessive quantifiers etc."""
    translated = _translate_escapes(pattern)
    flags = regex.VERSION1 if "&&" in pattern else regex.VERSION0
    return JavaPattern(regex.compile(translated, flags))


_GROUP_REFERENCE = regex.compile(r"\$(\d+|\{\w+\})")


def _java_replacement(replacement: str) -> str:
    """Java's `$1`/`${name}` group references in replaceAll, as `regex` templates."""
    out: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        if char == "\\" and index + 1 < len(replacement):
            nxt = replacement[index + 1]
            out.append("\\\\" if nxt == "\\" else nxt)
            index += 2
            continue
        if char == "$":
            match = _GROUP_REFERENCE.match(replacement, index, concurrent=False)
            if not match:
                raise ValueError(f"illegal group reference in replacement {replacement!r}")
            group = match.group(1).strip("{}")
            out.append(f"\\g<{group}>")
            index += len(match.group(0))
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _split(text: str, pattern: str, limit: int = 0) -> list[str]:
    if limit > 0:
        parts = java_regex(pattern).split(text, maxsplit=limit - 1)
    else:
        parts = java_regex(pattern).split(text)
    if parts and parts[0] == "" and text and java_regex(pattern).match(text) is not None:
        match = java_regex(pattern).match(text)
        if match is not None and match.end() > 0:
            parts = parts[1:]
    if limit == 0:
        while parts and parts[-1] == "":
            parts.pop()
    return parts


def _compare(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


_JAVA_TRIM = "".join(chr(code) for code in range(0x21))
"""`String.trim()`: "whitespace" is every code point up to and including U+0020."""

_JAVA_SPACE_CONTROLS = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_JAVA_NON_BREAKING = frozenset("\u00a0\u2007\u202f")


def java_is_whitespace(char: str) -> bool:
    """`Character.isWhitespace`: Unicode space separators except the no-break spaces,
    plus nine ASCII controls; unlike Python's `str.isspace`, not U+0085 or U+00A0."""
    if char in _JAVA_SPACE_CONTROLS:
        return True
    if char in _JAVA_NON_BREAKING:
        return False
    return unicodedata.category(char) in ("Zs", "Zl", "Zp")


def java_trim(text: str) -> str:
    return text.strip(_JAVA_TRIM)


def java_strip(text: str) -> str:
    """`String.strip()` (Java 11): both ends, `Character.isWhitespace`."""
    start, end = 0, len(text)
    while start < end and java_is_whitespace(text[start]):
        start += 1
    while end > start and java_is_whitespace(text[end - 1]):
        end -= 1
    return text[start:end]


def java_is_blank(text: str) -> bool:
    return all(java_is_whitespace(char) for char in text)


def utf16(text: str) -> bytes:
    """A Java string's UTF-16 code units (big-endian); lone surrogates are legal there."""
    return text.encode("utf-16-be", "surrogatepass")


def from_utf16(units: bytes) -> str:
    """Back from code units; a half of a split pair stays a lone surrogate, as in Java."""
    return units.decode("utf-16-be", "surrogatepass")


def java_length(text: str) -> int:
    """`String.length()` counts UTF-16 units: a character outside the BMP counts 2."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _find_unit(haystack: bytes, needle: bytes, start: int) -> int:
    position = haystack.find(needle, start)
    while position != -1 and position % 2:
        position = haystack.find(needle, position + 1)
    return -1 if position == -1 else position // 2


def _rfind_unit(haystack: bytes, needle: bytes, end: int) -> int:
    position = haystack.rfind(needle, 0, end)
    while position != -1 and position % 2:
        position = haystack.rfind(needle, 0, position + len(needle) - 1)
    return -1 if position == -1 else position // 2


def _index_of(text: str, part: Any, start: int = 0) -> int:
    return _find_unit(utf16(text), utf16(java_str(part)), 2 * max(start, 0))


def _last_index_of(text: str, part: Any, start: int | None = None) -> int:
    units, needle = utf16(text), utf16(java_str(part))
    last = len(units) // 2 if start is None else min(start, len(units) // 2)
    if last < 0:
        return -1
    return _rfind_unit(units, needle, 2 * last + len(needle))


def _starts_with(text: str, prefix: str, offset: int = 0) -> bool:
    units = utf16(text)
    if offset < 0 or 2 * offset > len(units):
        return False
    return units[2 * offset :].startswith(utf16(prefix))


def _char_at(text: str, index: int) -> str:
    units = utf16(text)
    if not 0 <= index < len(units) // 2:
        raise IndexError(f"String index out of range: {index}")
    return from_utf16(units[2 * index : 2 * index + 2])


def _substring(text: str, start: int, end: int | None = None) -> str:
    units = utf16(text)
    length = len(units) // 2
    stop = length if end is None else end
    if start < 0 or stop > length or start > stop:
        raise IndexError(f"begin {start}, end {stop}, length {length}")
    return from_utf16(units[2 * start : 2 * stop])


STRING_METHODS: dict[str, Callable[..., Any]] = {
    "length": java_length,
    "isEmpty": lambda s: len(s) == 0,
    "isBlank": java_is_blank,
    "trim": java_trim,
    "strip": java_strip,
    "equals": lambda s, other: isinstance(other, str) and s == other,
    "equalsIgnoreCase": lambda s, o: isinstance(o, str) and s.lower() == o.lower(),
    "compareTo": lambda s, other: _java_compare_to(s, other),
    "compareToIgnoreCase": lambda s, other: _java_compare_to(s.lower(), other.lower()),
    "contains": lambda s, part: java_str(part) in s,
    "startsWith": _starts_with,
    "endsWith": lambda s, suffix: s.endswith(suffix),
    "indexOf": _index_of,
    "lastIndexOf": _last_index_of,
    "charAt": _char_at,
    "substring": _substring,
    "toLowerCase": str.lower,
    "toUpperCase": str.upper,
    "replace": lambda s, old, new: s.replace(java_str(old), java_str(new)),
    "replaceAll": lambda s, p, r: java_regex(p).sub(_java_replacement(r), s),
    "replaceFirst": lambda s, p, r: java_regex(p).sub(_java_replacement(r), s, count=1),
    "split": _split,
    "matches": lambda s, p: java_regex(p).fullmatch(s) is not None,
    "concat": lambda s, other: s + other,
    "toString": lambda s: s,
    "hashCode": lambda s: _java_string_hash(s),
}


def _java_compare_to(left: str, right: str) -> int:
    """Java's String.compareTo: first differing UTF-16 unit, else length difference."""
    a, b = utf16(left), utf16(right)
    units_a = [int.from_bytes(a[i : i + 2], "big") for i in range(0, len(a), 2)]
    units_b = [int.from_bytes(b[i : i + 2], "big") for i in range(0, len(b), 2)]
    for unit_a, unit_b in zip(units_a, units_b, strict=False):
        if unit_a != unit_b:
            return unit_a - unit_b
    return len(units_a) - len(units_b)


def _java_string_hash(text: str) -> int:
    result = 0
    data = utf16(text)
    for i in range(0, len(data), 2):
        result = (31 * result + int.from_bytes(data[i : i + 2], "big")) & 0xFFFFFFFF
    return result - (1 << 32) if result >= 1 << 31 else result


VOID = ""
"""What Velocity 1.7's ASTMethod yields for a `void` method: "" (it renders nothing),
where a method that returns null renders the reference's literal text."""


def _void(method: Callable[..., Any]) -> Callable[..., str]:
    def call(*args: Any) -> str:
        method(*args)
        return VOID

    return call


def _list_add(items: list, *args: Any) -> bool | str:
    """`add(E)` returns true; `add(int, E)` is void."""
    if len(args) == 2:
        items.insert(args[0], args[1])
        return VOID
    items.append(args[0])
    return True


def _list_remove(items: list, target: Any) -> Any:
    """`List.remove(int)` removes by index, `remove(Object)` by value, as Java overloads."""
    if isinstance(target, int) and not isinstance(target, bool):
        return items.pop(target)
    for index, item in enumerate(items):
        if java_equals(item, target):
            del items[index]
            return True
    return False


def _list_set(items: list, index: int, value: Any) -> Any:
    previous = items[index]
    items[index] = value
    return previous


def _list_index_of(items: list, target: Any) -> int:
    for index, item in enumerate(items):
        if java_equals(item, target):
            return index
    return -1


LIST_METHODS: dict[str, Callable[..., Any]] = {
    "add": _list_add,
    "addAll": lambda items, more: (items.extend(more or []), True)[1],
    "get": lambda items, index: items[index],
    "set": _list_set,
    "size": len,
    "isEmpty": lambda items: len(items) == 0,
    "contains": lambda items, value: any(java_equals(i, value) for i in items),
    "containsAll": lambda items, values: all(any(java_equals(i, v) for i in items) for v in values),
    "indexOf": _list_index_of,
    "remove": _list_remove,
    "removeAll": lambda items, values: _remove_all(items, values),
    "clear": _void(list.clear),
    "subList": lambda items, start, end: items[start:end],
    "equals": lambda items, other: java_equals(items, other),
    "toString": java_str,
}


def _remove_all(items: list, values: list) -> bool:
    before = len(items)
    items[:] = [i for i in items if not any(java_equals(i, v) for v in values)]
    return len(items) != before


def _map_put(mapping: dict, key: Any, value: Any) -> Any:
    previous = mapping.get(key)
    mapping[key] = value
    return previous


MAP_METHODS: dict[str, Callable[..., Any]] = {
    "put": _map_put,
    "putAll": _void(lambda mapping, other: mapping.update(other or {})),
    "get": lambda mapping, key: mapping.get(key),
    "getOrDefault": lambda mapping, key, default: mapping.get(key, default),
    "containsKey": lambda mapping, key: key in mapping,
    "containsValue": lambda mapping, value: any(java_equals(v, value) for v in mapping.values()),
    "keySet": lambda mapping: list(mapping.keys()),
    "values": lambda mapping: list(mapping.values()),
    "entrySet": lambda mapping: [MapEntry(k, v) for k, v in mapping.items()],
    "size": len,
    "isEmpty": lambda mapping: len(mapping) == 0,
    "remove": lambda mapping, key: mapping.pop(key, None),
    "clear": _void(dict.clear),
    "equals": lambda mapping, other: java_equals(mapping, other),
    "toString": java_str,
}

NUMBER_METHODS: dict[str, Callable[..., Any]] = {
    "toString": java_str,
    "intValue": int,
    "longValue": int,
    "doubleValue": float,
    "floatValue": float,
    "equals": java_equals,
    "compareTo": _compare,
}

BOOLEAN_METHODS: dict[str, Callable[..., Any]] = {
    "toString": java_str,
    "booleanValue": bool,
    "equals": java_equals,
}

ENTRY_METHODS: dict[str, Callable[..., Any]] = {
    "getKey": lambda entry: entry.key,
    "getValue": lambda entry: entry.value,
    "toString": java_str,
}


def methods_for(value: Any) -> tuple[str, dict[str, Callable[..., Any]]] | None:
    """The Java type name and method table of a template value, None for host objects."""
    if isinstance(value, bool):
        return "Boolean", BOOLEAN_METHODS
    if isinstance(value, str):
        return "String", STRING_METHODS
    if isinstance(value, int | float | Decimal):
        return "Number", NUMBER_METHODS
    if isinstance(value, list):
        return "List", LIST_METHODS
    if isinstance(value, dict):
        return "Map", MAP_METHODS
    if isinstance(value, MapEntry):
        return "Map.Entry", ENTRY_METHODS
    return None
