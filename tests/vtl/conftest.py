"""Render helpers for VTL tests: a template plus a context, as one resolver would see it."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.vtl import Extensions, Util, render


class Renderer:
    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self.extensions = Extensions()

    def util(self, auth_type: str = "AMAZON_COGNITO_USER_POOLS") -> Util:
        return Util(
            field_name="getRoom",
            parent_type_name="Query",
            auth_type=auth_type,
            errors=self.errors,
            clock=lambda: 1_700_000_000.123,
        )

    def text(self, template: str, **context: Any) -> str:
        return self.rendered(template, **context).text

    def value(self, template: str, **context: Any) -> Any:
        return self.rendered(template, **context).value()

    def rendered(self, template: str, auth_type: str = "AMAZON_COGNITO_USER_POOLS", **context: Any):
        ctx = {"arguments": {}, "args": {}, "stash": {}, "identity": None, **context}
        if "arguments" in context:
            ctx["args"] = context["arguments"]
        return render(template, ctx, util=self.util(auth_type), extensions=self.extensions)


@pytest.fixture
def vtl() -> Renderer:
    return Renderer()
