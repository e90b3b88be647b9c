"""Functions run on a runtime AWS still patches, by the dates AWS publishes for each."""

from datetime import date

from pulumi_policy import Severity

from .._support import dig, resource_policy
from ..runtime_lifecycles import LAMBDA_RUNTIMES_DOC, runtime_lifecycle
from . import FUNCTION


def today() -> date:
    """The day the policy judges by (a function, so tests can fix it)."""
    return date.today()


def _check(args):
    if dig(args.props, "packageType") == "Image":
        return
    runtime = dig(args.props, "runtime")
    lifecycle = runtime_lifecycle(runtime) if isinstance(runtime, str) else None
    if lifecycle is None:
        yield f"runtime {runtime!r} is not a runtime this project knows AWS's dates for."
    elif date.fromisoformat(lifecycle.deprecated) <= today():
        yield (
            f"runtime {runtime!r} is deprecated since {lifecycle.deprecated} (no security "
            f"patches); new functions are blocked from {lifecycle.block_create}, updates "
            f"from {lifecycle.block_update}."
        )


POLICY = resource_policy(
    name="lambda-supported-runtime",
    description=(
        "A deprecated runtime stops receiving security patches and, later, blocks updates "
        "to the function."
    ),
    resource_types=[FUNCTION],
    checks="the function uses a runtime AWS has not deprecated",
    remediation=(
        "set runtime to artifact.targets.LAMBDA_RUNTIME, the interpreter the handlers are "
        "built and tested with."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("patching",),
    link=LAMBDA_RUNTIMES_DOC,
)
