"""A failing batch is split so that one bad record does not block its neighbours."""

from .._support import dig, is_true, resource_policy
from . import MAPPING, reads_a_stream


def _check(args):
    if reads_a_stream(args.props) and not is_true(dig(args.props, "bisectBatchOnFunctionError")):
        yield "bisectBatchOnFunctionError is not true."


POLICY = resource_policy(
    name="stream-mapping-bisect-on-error",
    description=(
        "Without bisecting, one message the indexer cannot handle fails its whole batch on "
        "every retry, and the shard stops moving."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping bisects failing batches",
    remediation="set bisect_batch_on_function_error=True.",
    check=_check,
)
