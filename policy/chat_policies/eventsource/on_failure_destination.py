"""Records that exhaust their retries land somewhere they can be replayed from."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from . import MAPPING, reads_a_stream


def _check(args):
    if reads_a_stream(args.props) and not dig(
        args.props, "destinationConfig.onFailure.destinationArn"
    ):
        yield "destinationConfig.onFailure.destinationArn is missing."


POLICY = resource_policy(
    name="stream-mapping-on-failure-destination",
    description=(
        "With bounded retries, a record that still fails is dropped unless an on-failure "
        "destination keeps it for replay."
    ),
    resource_types=[MAPPING],
    checks="the stream mapping has an on-failure destination",
    remediation=(
        "set destination_config=EventSourceMappingDestinationConfigArgs(on_failure="
        "EventSourceMappingDestinationConfigOnFailureArgs(destination_arn=<DLQ arn>))."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability",),
    link="https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html",
)
