"""The handler reports which records failed, so successes are not re-processed."""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import MAPPING, reads_a_stream


def _check(args):
    if not reads_a_stream(args.props):
        return
    if "ReportBatchItemFailures" not in as_list(dig(args.props, "functionResponseTypes")):
        yield "functionResponseTypes does not include ReportBatchItemFailures."


POLICY = resource_policy(
    name="stream-mapping-partial-batch-response",
    description=(
        "Without partial batch responses one failed document re-sends the whole batch, "
        "duplicating work and hiding which record is at fault."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping accepts partial batch responses",
    remediation=(
        'set function_response_types=["ReportBatchItemFailures"] and return batchItemFailures '
        "(Powertools BatchProcessor) from the handler."
    ),
    check=_check,
    severity=Severity.MEDIUM,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html",
)
