"""AWS's documented limits that this project relies on, each written once with its source.

Templates, the specification, the Pulumi components, the Lambdas and the emulator take the
numbers from here; contract tests check every place a limit applies (each with a negative
test on a broken copy), and the emulator enforces the same values, so a limit that AWS
documents is never a number typed twice or a behaviour found only after `pulumi up`.

Plain data: no pulumi, no boto3.
"""

from __future__ import annotations

from dataclasses import dataclass

APPSYNC_FILTERS_DOC = "https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html"
APPSYNC_QUOTAS_DOC = "https://docs.aws.amazon.com/general/latest/gr/appsync.html"
DYNAMODB_QUOTAS_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html"
)
DYNAMODB_STREAMS_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html"
)

DYNAMODB_STREAMS_API_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html"


@dataclass(frozen=True)
class AwsLimit:
    """One documented limit: `value` in `unit`, as the page at `source` states it."""

    key: str
    value: int
    unit: str
    what: str
    source: str


SUBSCRIPTION_FILTER_GROUPS = AwsLimit(
    "appsync.subscriptionFilterGroups",
    10,
    "filter groups",
    "filter groups in one enhanced subscription filter",
    APPSYNC_FILTERS_DOC,
)
SUBSCRIPTION_FILTERS_PER_GROUP = AwsLimit(
    "appsync.subscriptionFiltersPerGroup",
    5,
    "filters",
    "filters in one filter group",
    APPSYNC_FILTERS_DOC,
)
SUBSCRIPTION_IN_VALUES = AwsLimit(
    "appsync.subscriptionInValues",
    5,
    "values",
    "values in the list of an `in` or `notIn` filter",
    APPSYNC_FILTERS_DOC,
)
DYNAMODB_ITEM_SIZE = AwsLimit(
    "dynamodb.itemSize",
    400 * 1024,
    "bytes",
    "size of one item, attribute names included",
    DYNAMODB_QUOTAS_DOC,
)
DYNAMODB_STREAM_RETENTION = AwsLimit(
    "dynamodb.streamRetention",
    24 * 3600,
    "seconds",
    "how long a stream keeps a record",
    DYNAMODB_STREAMS_DOC,
)
DYNAMODB_SHARD_ITERATOR_LIFETIME = AwsLimit(
    "dynamodb.shardIteratorLifetime",
    15 * 60,
    "seconds",
    "how long a shard iterator stays valid after GetShardIterator/GetRecords returns it",
    DYNAMODB_STREAMS_API_DOC,
)

LIMITS: tuple[AwsLimit, ...] = (
    SUBSCRIPTION_FILTER_GROUPS,
    SUBSCRIPTION_FILTERS_PER_GROUP,
    SUBSCRIPTION_IN_VALUES,
    DYNAMODB_ITEM_SIZE,
    DYNAMODB_STREAM_RETENTION,
    DYNAMODB_SHARD_ITERATOR_LIFETIME,
)
