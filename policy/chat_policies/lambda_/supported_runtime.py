"""Functions run on a runtime AWS still patches."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import FUNCTION

SUPPORTED_RUNTIMES = frozenset(
    {"python3.11", "python3.12", "python3.13", "python3.14", "nodejs20.x", "nodejs22.x"}
)


def _check(args):
    if dig(args.props, "packageType") == "Image":
        return
    runtime = dig(args.props, "runtime")
    if runtime not in SUPPORTED_RUNTIMES:
        yield f"runtime {runtime!r} is not one of {sorted(SUPPORTED_RUNTIMES)}."


POLICY = resource_policy(
    name="lambda-supported-runtime",
    description=(
        "A deprecated runtime stops receiving security patches and, later, blocks updates "
        "to the function."
    ),
    resource_types=[FUNCTION],
    checks="the function uses a supported runtime",
    remediation='set runtime="python3.12" (the version the handlers are tested with).',
    check=_check,
    severity=Severity.HIGH,
    tags=("patching",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html#runtimes-deprecated",
)
