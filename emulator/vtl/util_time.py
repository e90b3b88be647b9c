"""`$util.time`: AppSync's time helpers, with Java date patterns translated to strftime.

The clock is injectable so the engine can be driven deterministically; AppSync renders
ISO 8601 instants in UTC with millisecond precision (`2018-02-06T19:01:35.749Z`).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from emulator.vtl.errors import UtilError

_JAVA_TOKENS = re.compile(r"'[^']*'|y+|M+|d+|H+|h+|m+|s+|S+|a|E+|Z+|X+|z+|u|D+")


def _format(moment: datetime, pattern: str) -> str:
    """Java DateTimeFormatter patterns (the subset AppSync examples use)."""

    def token(match: re.Match[str]) -> str:
        t = match.group(0)
        if t.startswith("'"):
            return t[1:-1] if len(t) > 2 else "'"
        head, width = t[0], len(t)
        if head == "y":
            return f"{moment.year % 100:02d}" if width == 2 else f"{moment.year:0{width}d}"
        if head == "M":
            if width >= 4:
                return moment.strftime("%B")
            return moment.strftime("%b") if width == 3 else f"{moment.month:0{width}d}"
        if head == "d":
            return f"{moment.day:0{width}d}"
        if head == "D":
            return f"{moment.timetuple().tm_yday:0{width}d}"
        if head == "H":
            return f"{moment.hour:0{width}d}"
        if head == "h":
            return f"{(moment.hour % 12) or 12:0{width}d}"
        if head == "m":
            return f"{moment.minute:0{width}d}"
        if head == "s":
            return f"{moment.second:0{width}d}"
        if head == "S":
            return f"{moment.microsecond:06d}"[:width].ljust(width, "0")
        if head == "a":
            return "AM" if moment.hour < 12 else "PM"
        if head == "E":
            return moment.strftime("%A") if width >= 4 else moment.strftime("%a")
        if head == "u":
            return str(moment.isoweekday())
        if head == "z":
            return moment.tzname() or "UTC"
        offset = moment.utcoffset()
        seconds = int(offset.total_seconds()) if offset else 0
        if head == "X" and seconds == 0:
            return "Z"
        sign = "+" if seconds >= 0 else "-"
        hours, minutes = divmod(abs(seconds) // 60, 60)
        if head == "X" and width == 1:
            return f"{sign}{hours:02d}"
        if (head == "X" and width >= 3) or (head == "Z" and width >= 4):
            return f"{sign}{hours:02d}:{minutes:02d}"
        return f"{sign}{hours:02d}{minutes:02d}"

    return _JAVA_TOKENS.sub(token, pattern)


def _zone(name: str | None) -> ZoneInfo | type[UTC] | object:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except Exception as exc:
        raise UtilError(f"Unknown time zone {name!r}", "InvalidTimeZone") from exc


def _iso(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso8601(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except (ValueError, AttributeError) as exc:
        raise UtilError(f"Unable to parse {text!r} as an ISO 8601 date-time") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class TimeUtil:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def nowISO8601(self) -> str:
        return _iso(self._now())

    def nowEpochSeconds(self) -> int:
        return int(self._clock())

    def nowEpochMilliSeconds(self) -> int:
        return int(self._clock() * 1000)

    def nowFormatted(self, pattern: str, zone: str | None = None) -> str:
        return _format(self._now().astimezone(_zone(zone)), pattern)

    def parseISO8601ToEpochMilliSeconds(self, text: str) -> int:
        return int(parse_iso8601(text).timestamp() * 1000)

    def parseFormattedToEpochMilliSeconds(
        self, text: str, pattern: str, zone: str | None = None
    ) -> int:
        python_pattern = _JAVA_TOKENS.sub(_strptime_token, pattern)
        try:
            moment = datetime.strptime(text, python_pattern)
        except ValueError as exc:
            raise UtilError(f"Unable to parse {text!r} with pattern {pattern!r}") from exc
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_zone(zone))
        return int(moment.timestamp() * 1000)

    def epochMilliSecondsToSeconds(self, millis: int) -> int:
        return int(millis) // 1000

    def epochMilliSecondsToISO8601(self, millis: int) -> str:
        return _iso(datetime.fromtimestamp(int(millis) / 1000, tz=UTC))

    def epochMilliSecondsToFormatted(
        self, millis: int, pattern: str, zone: str | None = None
    ) -> str:
        moment = datetime.fromtimestamp(int(millis) / 1000, tz=UTC).astimezone(_zone(zone))
        return _format(moment, pattern)


_STRPTIME = {"y": "%Y", "M": "%m", "d": "%d", "H": "%H", "m": "%M", "s": "%S", "S": "%f"}


def _strptime_token(match: re.Match[str]) -> str:
    t = match.group(0)
    if t.startswith("'"):
        return t[1:-1]
    if t[0] in "ZX":
        return "%z"
    if t[0] == "y" and len(t) == 2:
        return "%y"
    return _STRPTIME.get(t[0], t)
