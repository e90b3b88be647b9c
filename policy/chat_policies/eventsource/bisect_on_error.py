"""A failing batch is split so that one bad record does not block its neighbours."""

from pulumi_policy import Severity

from .._support import require_true, resource_policy
from . import MAPPING, is_stream_mapping

POLICY = resource_policy(
    name="stream-mapping-bisect-on-error",
    description=(
        "Without bisecting, one message the indexer cannot handle fails its whole batch on "
        "every retry, and the shard stops moving."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping bisects failing batches",
    remediation="set bisect_batch_on_function_error=True.",
    check=require_true("bisectBatchOnFunctionError", applies=is_stream_mapping),
    severity=Severity.MEDIUM,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html",
)
