"""Rendering one AppSync mapping template: text in, JSON value (or `#return` value) out."""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import airspeed
from airspeed import operators as av

from emulator.vtl import patches
from emulator.vtl.errors import BreakSignal, ReturnSignal, TemplateError
from emulator.vtl.extensions import Extensions
from emulator.vtl.util import Util

patches.apply()

_CACHE_SIZE = 512


@dataclass
class Rendered:
    """The outcome of one template: its text, or the value of an early `#return`."""

    text: str
    returned: bool = False
    return_value: Any = None

    def value(self) -> Any:
        """The JSON the template produced; a `#return(value)` wins over the text."""
        if self.returned:
            return self.return_value
        stripped = self.text.strip()
        if not stripped:
            return None
        try:
            return json.loads(stripped)
        except ValueError as exc:
            raise TemplateError(
                f"Unable to parse the JSON document: {exc.args[0]} in {_excerpt(stripped)!r}"
            ) from exc


_SYNTAX_SNIPPET = re.compile(r", got: .*$", re.S)
"""airspeed quotes the template text after a syntax error; the error names the position."""


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def execution_error(name: str, text: str, exc: av.TemplateExecutionError) -> TemplateError:
    """An evaluation failure as the client sees it: the template, a position, the cause.

    airspeed's own message quotes the failing expression's source; a client must never
    see template source, so the message is rebuilt from the position and the cause.
    """
    cause = exc.__cause__
    where = f"{name} at {_position(text, exc.start)}"
    if isinstance(cause, TemplateError):
        return TemplateError(f"error in {where}: {cause}")
    return TemplateError(f"error in {where}: {type(cause).__name__}: {cause}")


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


class TemplateCache:
    """Compiled templates by source text; airspeed parsing dominates evaluation cost."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._size = size
        self._templates: OrderedDict[str, airspeed.Template] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, name: str = "<template>") -> airspeed.Template:
        with self._lock:
            template = self._templates.get(text)
            if template is not None:
                self._templates.move_to_end(text)
                return template
        template = airspeed.Template(text, filename=name)
        try:
            template.ensure_compiled()
        except av.TemplateSyntaxError as exc:
            expected = _SYNTAX_SNIPPET.sub("", str(exc))
            raise TemplateError(f"syntax error in {name}: {expected}") from exc
        with self._lock:
            self._templates[text] = template
            if len(self._templates) > self._size:
                self._templates.popitem(last=False)
        return template


_DEFAULT_CACHE = TemplateCache()


def render(
    text: str,
    context: dict[str, Any],
    *,
    util: Util,
    extensions: Extensions | None = None,
    name: str = "<template>",
) -> Rendered:
    """Evaluate `text` with `$ctx`/`$context`, `$util`/`$utils` and `$extensions`.

    `$util.error` (a `UtilError`) propagates to the caller; evaluation failures become
    `TemplateError` naming the template.
    """
    template = _DEFAULT_CACHE.get(text, name)
    namespace = {
        "ctx": context,
        "context": context,
        "util": util,
        "utils": util,
        "extensions": extensions if extensions is not None else Extensions(),
    }
    stream = av.StoppableStream()
    try:
        template.merge_to(namespace, stream)
    except ReturnSignal as signal:
        return Rendered(stream.getvalue(), returned=True, return_value=signal.value)
    except BreakSignal:
        pass
    except av.TemplateExecutionError as exc:
        raise execution_error(name, text, exc) from exc
    return Rendered(stream.getvalue())
