"""Every template that writes a message raises its version and sets its change key in the
same request, so search (external versions) and catch-up (byRoomChange) see every change.

Found from the specification, not listed by hand: any pipeline function granted PutItem or
UpdateItem on the messages table is a message write. Each check also runs on a broken copy
of a template, so it cannot pass vacuously.
"""

from __future__ import annotations

import re

import pytest

import chatspec
from chatspec.templates import load_template

WRITE_ACTIONS = {"dynamodb:PutItem", "dynamodb:UpdateItem"}


def message_writes() -> list[chatspec.model.PipelineFunction]:
    return [
        f
        for f in chatspec.PIPELINE_FUNCTIONS
        if any(g.table == "messages" and WRITE_ACTIONS & set(g.actions) for g in f.grants)
    ]


MESSAGE_PUT = re.compile(r'"table": \$util\.toJson\(\$tables\.messages\),\s*"operation": "PutItem"')
"""A transaction that puts a new message (its other actions may update other tables)."""


def problems(text: str) -> list[str]:
    found = []
    if "UpdateItem" in text and not MESSAGE_PUT.search(text):
        expression = re.search(r'"expression":\s*"([^"]*(?:SET|ADD|REMOVE|DELETE)[^"]*)"', text)
        update = expression.group(1) if expression else ""
        if not re.search(r"ADD [^\"]*#version :one", update):
            found.append("the update does not ADD 1 to version")
        if "#changeKey = :changeKey" not in update:
            found.append("the update does not SET changeKey")
        if '"#version": "version"' not in text or '"#changeKey": "changeKey"' not in text:
            found.append("version/changeKey are not named through expressionNames")
    else:
        if '"version": 1' not in text:
            found.append("the new message does not start at version 1")
        if '#set($changeKey = "${changedAt}#${messageId}")' not in text or (
            '"changeKey": $changeKey' not in text
        ):
            found.append("the new message has no changeKey")
    if "$util.time.nowEpochMilliSeconds()" not in text:
        found.append("the change key is not stamped with the epoch milliseconds")
    return found


def test_message_writes_are_found():
    names = {f.name for f in message_writes()}
    assert {"msgSendWrite", "msgEditWrite", "msgDeleteWrite", "msgPin", "msgUnpin"} <= names
    assert {"msgAddReaction", "msgRemoveReaction"} <= names


@pytest.mark.parametrize("function", message_writes(), ids=lambda f: f.name)
def test_every_message_write_raises_the_version_and_moves_the_change_key(function):
    assert problems(load_template(function.request)) == []


@pytest.mark.parametrize("function", message_writes(), ids=lambda f: f.name)
def test_the_check_fails_on_a_template_without_the_version(function):
    text = load_template(function.request)
    broken = text.replace(" ADD #version :one", "").replace(", #version :one", "")
    broken = broken.replace('"version": 1,', "")
    assert problems(broken) != []
