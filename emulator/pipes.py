"""EventBridge Pipes, as the emulator runs the chat's (`chatspec.events.PIPES`).

moto 5.2 stores pipes (`CreatePipe`, `DescribePipe`) but runs none, so this is written by
hand, for the subset the chat's pipes use, each step as the Pipes user guide describes it:

- filtering (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html):
  a record passes if any pattern of FilterCriteria matches it, matched against the
  record as Pipes hands it over (the Lambda stream record shape) with EventBridge's
  pattern syntax (moto's matcher, `emulator.moto_internals.event_pattern_matches`);
- input transformation (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-input-transformation.html):
  `<$.path>` (dot notation, array indices) and the reserved variables
  `<aws.pipes.event>`/`<aws.pipes.event.json>`, `<aws.pipes.pipe-name>`,
  `<aws.pipes.pipe-arn>`, `<aws.pipes.source-arn>`, `<aws.pipes.event.ingestion-time>`,
  replaced by the JSON of the value (so the template writes quotes around a string
  only where it means a string);
- enrichment (https://docs.aws.amazon.com/eventbridge/latest/userguide/pipes-enrichment.html):
  invoked synchronously with the batch as a JSON array; an empty answer (`""`, `{}`,
  `[]`) invokes no target;
- target parameters (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-target.html):
  a string parameter that is a whole JSON path (`$.detailType`) is read from the
  payload the target receives (the enrichment's answer), never from the transformed input.

`LocalPipe.handle` has a stream Lambda's signature, so the emulator's stream feeder
(`emulator.streams.StreamFeeder`) reads the stream for it exactly as for the indexer:
the Pipe is that stream's second reader. A failure of the enrichment raises, and the
feeder retries the batch as Pipes retries it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chatspec.events import Pipe, event_source
from emulator.moto_internals import event_pattern_matches

Enrichment = Callable[[Any, Any], Any]
_PLACEHOLDER = re.compile(r"<(\$[^<>]*|aws\.pipes\.[a-z.\-]+)>")
_STEP = re.compile(r"\.([A-Za-z0-9_\-/]+)|\[(\d+)\]")
_MISSING = object()


def json_path(payload: Any, path: str) -> Any:
    """The value at `path` (`$`, `$.a.b`, `$.a[0]`), or a sentinel when absent."""
    if path == "$":
        return payload
    if not path.startswith("$"):
        raise ValueError(f"not a JSON path: {path!r}")
    value = payload
    position = 1
    for match in _STEP.finditer(path, 1):
        if match.start() != position:
            raise ValueError(f"unsupported JSON path syntax in {path!r}")
        position = match.end()
        key, index = match.groups()
        if key is not None:
            if not isinstance(value, dict) or key not in value:
                return _MISSING
            value = value[key]
        else:
            if not isinstance(value, list) or int(index) >= len(value):
                return _MISSING
            value = value[int(index)]
    if position != len(path):
        raise ValueError(f"unsupported JSON path syntax in {path!r}")
    return value


def render_input_template(template: str, payload: Any, reserved: dict[str, Any]) -> Any:
    """The payload an input template makes of `payload`, parsed when it is JSON."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("$"):
            value = json_path(payload, name)
            return "null" if value is _MISSING else json.dumps(value)
        if name in ("aws.pipes.event", "aws.pipes.event.json"):
            return json.dumps(payload)
        if name not in reserved:
            raise ValueError(f"unknown reserved variable <{name}>")
        return json.dumps(reserved[name])

    text = _PLACEHOLDER.sub(replace, template)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def dynamic_parameter(value: str, payload: Any) -> Any:
    """A target parameter: a whole JSON path is read from `payload`, anything else is literal."""
    if value.startswith("$."):
        found = json_path(payload, value)
        return None if found is _MISSING else found
    return value


def _empty(answer: Any) -> bool:
    return answer in ("", None, {}, [])


class LocalPipe:
    """One chat Pipe: stream batch -> filter -> enrichment -> `put_events` on the bus."""

    def __init__(
        self,
        spec: Pipe,
        *,
        prefix: str,
        enrichment: Enrichment,
        put_events: Callable[[list[dict[str, Any]]], Any],
        pipe_arn: str,
    ) -> None:
        self.spec = spec
        self.source = event_source(prefix)
        self._enrichment = enrichment
        self._put_events = put_events
        self._arn = pipe_arn
        self.filtered_out = 0

    def matches(self, record: dict[str, Any]) -> bool:
        return any(event_pattern_matches(pattern, record) for pattern in self.spec.filters)

    def handle(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """A stream batch as a stream Lambda receives it; raises if the batch must be retried."""
        records = event.get("Records") or []
        passed = [r for r in records if self.matches(r)]
        self.filtered_out += len(records) - len(passed)
        if not passed:
            return {}
        reserved = {
            "aws.pipes.pipe-name": self.spec.name,
            "aws.pipes.pipe-arn": self._arn,
            "aws.pipes.source-arn": passed[0].get("eventSourceARN"),
            "aws.pipes.event.ingestion-time": datetime.now(UTC).isoformat(),
        }
        template = self.spec.enrichment_input_template
        batch = [render_input_template(template, record, reserved) for record in passed]
        answer = self._enrichment(batch, context)
        if _empty(answer):
            return {}
        items = answer if isinstance(answer, list) else [answer]
        entries = []
        for item in items:
            detail_type = dynamic_parameter(self.spec.detail_type_path, item)
            detail = render_input_template(self.spec.input_template, item, reserved)
            entries.append(
                {"Source": self.source, "DetailType": detail_type, "Detail": json.dumps(detail)}
            )
        self._put_events(entries)
        return {}
