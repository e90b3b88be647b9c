"""Local stand-ins for Amazon Bedrock (Converse) and Amazon Comprehend (DetectToxicContent),
served on the emulator's AWS endpoint, so the assistant and the toxicity checker run the
same code as deployed: their boto3 clients reach `awsEndpoint` (the Lambdas' AWS_ENDPOINT_URL)
and this WSGI layer answers the two operations before moto (which implements neither).

Neither is a model. Both answer deterministically so tests can assert on what they say:
- Converse answers with `STANDIN_MARK` first (it says it is a stand-in), then what it
  was asked, computed from the prompt the assistant built: a question is repeated with
  the number of room messages it was given, a summary lists the first words of each
  message, a translation repeats the text. Tokens are counted as words. A request
  holding `THROTTLE_MARK` answers 429 ThrottlingException, as Bedrock does when busy.
- DetectToxicContent scores a segment 0.95 when it holds a word of `TOXIC_WORDS`
  (labels INSULT / PROFANITY), 0.02 otherwise.
The request shapes are checked against botocore's service models by the function tests
(`Stubber`); these stand-ins only have to parse what botocore sends.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

STANDIN_MARK = "[local stand-in model, not Amazon Bedrock]"
THROTTLE_MARK = "[[throttle]]"
TOXIC_WORDS = frozenset({"idiot", "moron", "stupid", "hate", "loser"})
COMPREHEND_TARGET = "Comprehend_20171127.DetectToxicContent"
CONVERSE_PATH = re.compile(r"^/model/[^/]+/converse$")
_WORD = re.compile(r"[\w']+")


def converse_answer(request: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(status, body, headers) for a Converse request body."""
    prompt = "".join(
        block.get("text", "")
        for message in request.get("messages", [])
        for block in message.get("content", [])
    )
    if THROTTLE_MARK in prompt:
        return (
            429,
            {"message": "Too many requests (stand-in)"},
            {"x-amzn-ErrorType": "ThrottlingException"},
        )
    block, _, tail = prompt.partition("</room_messages>")
    lines = [line for line in block.splitlines() if line.startswith("[")]
    contents = [line.split(": ", 1)[1] if ": " in line else line for line in lines]
    ask = tail.split("Request:", 1)[-1].strip()
    if ask.startswith("Summarize"):
        gist = "; ".join(" ".join(c.split()[:5]) for c in contents[:5])
        text = f"Summary of {len(contents)} messages: {gist}"
    elif ask.startswith("Translate"):
        language = ask.removeprefix("Translate the message into ").split(".", 1)[0]
        text = f"Translation into {language}: {contents[0] if contents else ''}"
    else:
        question = ask.removeprefix("Using the messages as context, answer my question: ")
        text = f"You asked: {question} I was given {len(contents)} messages of this room."
    answer = f"{STANDIN_MARK} {text}"
    inputs = len(_WORD.findall(prompt)) + 1
    outputs = min(
        len(_WORD.findall(answer)), int(request.get("inferenceConfig", {}).get("maxTokens", 512))
    )
    body = {
        "output": {"message": {"role": "assistant", "content": [{"text": answer}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": inputs, "outputTokens": outputs, "totalTokens": inputs + outputs},
        "metrics": {"latencyMs": 1},
    }
    return 200, body, {}


def toxicity_answer(request: dict[str, Any]) -> dict[str, Any]:
    results = []
    for segment in request.get("TextSegments", []):
        words = {w.lower() for w in _WORD.findall(segment.get("Text", ""))}
        toxic = bool(words & TOXIC_WORDS)
        score = 0.95 if toxic else 0.02
        labels = [
            {"Name": "INSULT", "Score": score},
            {"Name": "PROFANITY", "Score": round(score * 0.6, 2)},
        ]
        results.append({"Toxicity": score, "Labels": labels})
    return {"ResultList": results}


class AiStandIns:
    """WSGI middleware in front of moto (`AwsBackend.wrap_requests`)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self._app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if environ.get("REQUEST_METHOD") == "POST" and CONVERSE_PATH.match(path):
            status, body, headers = converse_answer(self._body(environ))
            return self._reply(start_response, status, body, "application/json", headers)
        if target == COMPREHEND_TARGET:
            body = toxicity_answer(self._body(environ))
            return self._reply(start_response, 200, body, "application/x-amz-json-1.1", {})
        return self._app(environ, start_response)

    @staticmethod
    def _body(environ: dict) -> dict[str, Any]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(raw)
        try:
            document = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return document if isinstance(document, dict) else {}

    @staticmethod
    def _reply(
        start_response: Callable, status: int, body: dict, content_type: str, headers: dict
    ) -> list[bytes]:
        payload = json.dumps(body).encode()
        reason = {200: "OK", 429: "Too Many Requests"}[status]
        start_response(
            f"{status} {reason}",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(payload))),
                *headers.items(),
            ],
        )
        return [payload]


def install(backend: Any) -> None:
    backend.wrap_requests(AiStandIns)
