"""Readers for raw stack configuration values, each failing with the key, the value and the rule.

Values arrive two ways: typed, from `Pulumi.<stack>.yaml` read by the emulator and the
tests, or as strings, from `pulumi.Config` (the engine hands every value over as text and
objects as JSON). Every reader accepts both so that one validation serves both paths.
No library covers this: pydantic would add a dependency for a dozen checks and its error
messages do not name the Pulumi config key the user has to edit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

PROJECT = "realtime-chat"


class SettingsError(ValueError):
    """A stack setting is missing or wrong; the message names the key, value and what is allowed."""


def full_key(key: str) -> str:
    return f"{PROJECT}:{key}"


def fail(key: str, value: Any, allowed: str) -> SettingsError:
    return SettingsError(f"{full_key(key)} = {value!r} is not allowed: {allowed}")


def missing(key: str, allowed: str) -> SettingsError:
    return SettingsError(f"{full_key(key)} is required but missing: {allowed}")


def as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise fail(key, value, "expected true or false")


def as_int(key: str, value: Any, low: int, high: int) -> int:
    parsed: int | None = None
    if isinstance(value, bool):
        parsed = None
    elif isinstance(value, int):
        parsed = value
    elif isinstance(value, float) and value.is_integer():
        parsed = int(value)
    elif isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        parsed = int(value.strip())
    if parsed is None or not low <= parsed <= high:
        raise fail(key, value, f"expected a whole number from {low} to {high}")
    return parsed


def as_choice(key: str, value: Any, choices: Iterable[Any]) -> Any:
    options = tuple(choices)
    for option in options:
        if value == option or (isinstance(value, str) and str(option) == value.strip()):
            return option
    raise fail(key, value, "expected one of " + ", ".join(str(o) for o in options))


def as_text(key: str, value: Any, pattern: str, allowed: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise fail(key, value, allowed)
    return value


def _structured(key: str, value: Any, kind: type, expected: str) -> Any:
    """`value` as given (YAML) or decoded from the JSON text Pulumi hands over."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise fail(key, value, f"expected {expected} ({error.msg})") from None
    if not isinstance(value, kind):
        raise fail(key, value, f"expected {expected}")
    return value


def as_object(key: str, value: Any) -> dict[str, Any]:
    return dict(_structured(key, value, Mapping, "an object"))


def as_list(key: str, value: Any) -> list[Any]:
    return list(_structured(key, value, list, "a list"))


def reject_unknown(key: str, given: Mapping[str, Any], known: Iterable[str]) -> None:
    """Typos must not silently fall back to defaults."""
    known_set = set(known)
    unknown = sorted(set(given) - known_set)
    if unknown:
        where = full_key(f"{key}.{unknown[0]}" if key else unknown[0])
        raise SettingsError(
            f"{where} is not a known setting; known keys"
            f"{' of ' + full_key(key) if key else ''}: {', '.join(sorted(known_set))}"
        )
