"""The part of the stack settings one component uses, and nothing else.

A component's args carry a view (`components.api.ApiSettings`, ...) instead of the whole
`StackSettings`, so its signature says which settings can change what it deploys, and a
new setting reaches only the components that declare it. A view's fields are named like
the `StackSettings` attributes they copy; `View.of(settings)` copies them.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Self


class View:
    """Base of the frozen dataclasses that hold a component's slice of the settings."""

    @classmethod
    def of(cls, settings: Any) -> Self:
        """The slice of `settings` (a `StackSettings`, or a wider view) this view names."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})  # type: ignore[arg-type]
