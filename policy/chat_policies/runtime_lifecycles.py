"""AWS's published dates for the managed Lambda runtimes this project could deploy.

Kept in the policy pack, not in `chatspec`, because `pulumi preview --policy-pack policy`
runs the pack on its own (its directory is all it has); `tests/policy` checks that the
runtime the artifact targets is listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

LAMBDA_RUNTIMES_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"


@dataclass(frozen=True)
class RuntimeLifecycle:
    """One managed Lambda runtime's published dates (ISO): from `deprecated` on, AWS stops
    patching it; from `block_create` no new function may use it; from `block_update` no
    existing one may be updated. As the runtimes page at `source` lists them."""

    runtime: str
    deprecated: str
    block_create: str
    block_update: str
    source: str = LAMBDA_RUNTIMES_DOC


LAMBDA_RUNTIME_LIFECYCLES: tuple[RuntimeLifecycle, ...] = (
    RuntimeLifecycle("python3.11", "2027-06-30", "2027-07-31", "2027-08-31"),
    RuntimeLifecycle("python3.12", "2028-10-31", "2028-11-30", "2029-01-10"),
    RuntimeLifecycle("python3.13", "2029-06-30", "2029-07-31", "2029-08-31"),
    RuntimeLifecycle("python3.14", "2029-06-30", "2029-07-31", "2029-08-31"),
    RuntimeLifecycle("nodejs20.x", "2026-04-30", "2027-02-01", "2027-03-03"),
    RuntimeLifecycle("nodejs22.x", "2027-04-30", "2027-06-01", "2027-07-01"),
    RuntimeLifecycle("nodejs24.x", "2028-04-30", "2028-06-01", "2028-07-01"),
)
"""Only runtimes this project could deploy; a runtime absent here is treated as unsupported."""


def runtime_lifecycle(runtime: str) -> RuntimeLifecycle | None:
    for entry in LAMBDA_RUNTIME_LIFECYCLES:
        if entry.runtime == runtime:
            return entry
    return None
