"""AWS's documented limits that this project relies on, each written once with its source.

Templates, the specification, the Pulumi components, the Lambdas and the emulator take the
numbers from here; contract tests check every place a limit applies (each with a negative
test on a broken copy), and the emulator enforces the same values, so a limit that AWS
documents is never a number typed twice or a behaviour found only after `pulumi up`.

Plain data: no pulumi, no boto3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

APPSYNC_FILTERS_DOC = "https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html"
APPSYNC_EXTENSIONS_DOC = "https://docs.aws.amazon.com/appsync/latest/devguide/extensions.html"
APPSYNC_QUOTAS_DOC = "https://docs.aws.amazon.com/general/latest/gr/appsync.html"
APPSYNC_API_DOC = (
    "https://docs.aws.amazon.com/appsync/latest/APIReference/API_CreateGraphqlApi.html"
)
APPSYNC_LIMITS_DOC = "https://docs.aws.amazon.com/appsync/latest/devguide/configuration-limits.html"
DYNAMODB_QUOTAS_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html"
)
DYNAMODB_ITEM_SIZE_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html"
)
DYNAMODB_TRANSACT_WRITE_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html"
)
DYNAMODB_BATCH_GET_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html"
)
COGNITO_SIGN_UP_DOC = (
    "https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SignUp.html"
)
DYNAMODB_STREAMS_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html"
)
DYNAMODB_GET_RECORDS_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html"
)
LAMBDA_DDB_PARAMS_DOC = "https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html"
LAMBDA_ESM_API_DOC = (
    "https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html"
)
SQS_QUOTAS_DOC = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html"

COGNITO_TRIGGERS_DOC = "https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html"
APPSYNC_RESOLVER_API_DOC = (
    "https://docs.aws.amazon.com/appsync/latest/APIReference/API_Resolver.html"
)

COMPREHEND_TOXIC_DOC = (
    "https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectToxicContent.html"
)
PIPES_FILTER_CRITERIA_DOC = (
    "https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_FilterCriteria.html"
)
PIPES_TARGET_PARAMETERS_DOC = (
    "https://docs.aws.amazon.com/eventbridge/latest/pipes-reference/API_PipeTargetParameters.html"
)
DYNAMODB_TTL_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ttl-expired-items.html"
)
DYNAMODB_TTL_API_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html"
)
DYNAMODB_STREAMS_API_DOC = "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html"
DYNAMODB_TTL_STREAMS_DOC = (
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html"
)
LAMBDA_EVENT_FILTERING_DOC = (
    "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html"
)


@dataclass(frozen=True)
class AwsLimit:
    """One documented limit: `value` in `unit`, as the page at `source` states it."""

    key: str
    value: int
    unit: str
    what: str
    source: str


# Verification (2026-12, with this machine's documentation search): the invalidation limit
# (5 unique calls per request) is quoted from APPSYNC_EXTENSIONS_DOC; the partition/sort key
# lengths from DYNAMODB_QUOTAS_DOC ("Partition keys and sort keys"); the size rules from
# DYNAMODB_ITEM_SIZE_DOC. The search served only the opening of APPSYNC_FILTERS_DOC, not the
# passage with its numbers, so 10 filter groups, 5 filters per group and 5 values per
# `in`/`notIn` are not yet re-read on AWS's page: they agree with what the lambda-appsync
# crate (third party) enforces as AppSync's rules. Confirm on the page before relying on more.
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
SUBSCRIPTION_INVALIDATIONS = AwsLimit(
    "appsync.invalidationsPerRequest",
    5,
    "calls",
    "unique `$extensions.invalidateSubscriptions()` calls in one request",
    APPSYNC_EXTENSIONS_DOC,
)
DYNAMODB_ITEM_SIZE = AwsLimit(
    "dynamodb.itemSize",
    400 * 1024,
    "bytes",
    "size of one item, attribute names included (1 KB = 1024 bytes)",
    DYNAMODB_QUOTAS_DOC,
)
DYNAMODB_PARTITION_KEY_SIZE = AwsLimit(
    "dynamodb.partitionKeySize",
    2048,
    "bytes",
    "length of a partition key value (UTF-8 bytes for a string)",
    DYNAMODB_QUOTAS_DOC,
)
DYNAMODB_SORT_KEY_SIZE = AwsLimit(
    "dynamodb.sortKeySize",
    1024,
    "bytes",
    "length of a sort key value (UTF-8 bytes for a string)",
    DYNAMODB_QUOTAS_DOC,
)
DYNAMODB_TRANSACTION_ITEMS = AwsLimit(
    "dynamodb.transactionItems",
    100,
    "actions",
    "actions in one TransactWriteItems (or TransactGetItems) request",
    DYNAMODB_TRANSACT_WRITE_DOC,
)
DYNAMODB_BATCH_GET_ITEMS = AwsLimit(
    "dynamodb.batchGetItems",
    100,
    "keys",
    "items one BatchGetItem request may ask for",
    DYNAMODB_BATCH_GET_DOC,
)
DYNAMODB_STREAM_RETENTION = AwsLimit(
    "dynamodb.streamRetention",
    24 * 3600,
    "seconds",
    "how long a stream keeps a record",
    DYNAMODB_STREAMS_DOC,
)
# Verification (2026-12): the readers-per-shard limit is also the Streams API's
# LimitExceededException: "More than 2 processes are reading from the same streams shard at
# the same time. Exceeding this limit may result in request throttling." (quoted from the
# DynamoDB Streams API reference through the documentation search). A Pipe or an event
# source mapping is one such process; `chatspec.events.fan_out_problems` counts them.
DYNAMODB_STREAM_READERS_PER_SHARD = AwsLimit(
    "dynamodb.streamReadersPerShard",
    2,
    "readers",
    "processes reading one stream shard at the same time (more get throttled)",
    DYNAMODB_STREAMS_DOC,
)
DYNAMODB_GET_RECORDS_MAX = AwsLimit(
    "dynamodb.getRecordsMax",
    1000,
    "records",
    "stream records one GetRecords call returns at most (and at most 1 MB)",
    DYNAMODB_GET_RECORDS_DOC,
)
LAMBDA_STREAM_MAX_RETRY_ATTEMPTS = AwsLimit(
    "lambda.streamMaximumRetryAttempts",
    10_000,
    "retries",
    "largest finite MaximumRetryAttempts of a stream event source mapping (-1 is infinite)",
    LAMBDA_DDB_PARAMS_DOC,
)
LAMBDA_STREAM_MIN_RECORD_AGE = AwsLimit(
    "lambda.streamMinimumRecordAge",
    60,
    "seconds",
    "smallest MaximumRecordAgeInSeconds of a stream event source mapping besides -1",
    LAMBDA_ESM_API_DOC,
)
SQS_MAX_MESSAGE_RETENTION = AwsLimit(
    "sqs.maximumMessageRetention",
    14 * 24 * 3600,
    "seconds",
    "longest a queue keeps a message",
    SQS_QUOTAS_DOC,
)
SQS_RECEIVE_MAX_MESSAGES = AwsLimit(
    "sqs.receiveMaxMessages",
    10,
    "messages",
    "messages one ReceiveMessage call returns at most",
    SQS_QUOTAS_DOC,
)

APPSYNC_RESOLVER_TIMEOUT = AwsLimit(
    "appsync.resolverTimeout",
    30,
    "seconds",
    "how long AppSync waits for one resolver's data source (a Lambda's work must end sooner)",
    APPSYNC_QUOTAS_DOC,
)
APPSYNC_QUERY_DEPTH_LIMIT = AwsLimit(
    "appsync.queryDepthLimit",
    75,
    "nested levels",
    "the largest queryDepthLimit an API takes (1 to 75; 0 means no limit); deeper fields "
    "resolve to null with a limit error",
    APPSYNC_API_DOC,
)
APPSYNC_RESOLVER_COUNT_LIMIT = AwsLimit(
    "appsync.resolverCountLimit",
    10_000,
    "resolvers",
    "the largest resolverCountLimit an API takes (1 to 10000; 0 means 10000): resolvers "
    "invoked in one request",
    APPSYNC_API_DOC,
)
DYNAMODB_SHARD_ITERATOR_LIFETIME = AwsLimit(
    "dynamodb.shardIteratorLifetime",
    15 * 60,
    "seconds",
    "how long a shard iterator stays valid after GetShardIterator/GetRecords returns it",
    DYNAMODB_STREAMS_API_DOC,
)

PIPES_FILTERS = AwsLimit(
    "pipes.filtersPerPipe",
    5,
    "filters",
    "event patterns in one pipe's FilterCriteria (a record passes if any matches)",
    PIPES_FILTER_CRITERIA_DOC,
)
PIPES_INPUT_TEMPLATE_LENGTH = AwsLimit(
    "pipes.inputTemplateLength",
    8192,
    "characters",
    "length of a pipe's InputTemplate (target or enrichment); quoted: 'Maximum length of 8192'",
    PIPES_TARGET_PARAMETERS_DOC,
)

COGNITO_SUB_LENGTH = AwsLimit(
    "cognito.subLength",
    36,
    "characters",
    "a user pool user's `sub` (UserSub), a UUID such as a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    COGNITO_SIGN_UP_DOC,
)

APPSYNC_MAX_BATCH_SIZE = AwsLimit(
    "appsync.maxBatchSize",
    2000,
    "invocations",
    'a resolver\'s maxBatchSize ("Valid Range: Minimum value of 0. Maximum value of 2000."): '
    "the field's invocations of one request AppSync sends a Lambda as one BatchInvoke",
    APPSYNC_RESOLVER_API_DOC,
)

COGNITO_TRIGGER_TIMEOUT = AwsLimit(
    "cognito.triggerTimeout",
    5,
    "seconds",
    "Cognito invokes a user pool trigger synchronously and waits at most this long for its "
    "answer before it retries or fails the user's request",
    COGNITO_TRIGGERS_DOC,
)

S3_DELETE_OBJECTS_KEYS = AwsLimit(
    "s3.deleteObjectsKeys",
    1000,
    "keys",
    "A DeleteObjects request contains a list of up to 1,000 keys to delete; a key that does "
    "not exist is reported as deleted",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html",
)

S3_PRESIGNED_URL_MAX_EXPIRY = AwsLimit(
    "s3.presignedUrlMaxExpiry",
    7 * 24 * 60 * 60,
    "seconds",
    "A presigned URL signed with Signature Version 4 is valid for at most seven days, and "
    "never longer than the credentials that signed it (a Lambda role's session)",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html",
)

# Verification (2026-12, documentation search): DYNAMODB_TTL_API_DOC (UpdateTimeToLive):
# "If the epoch time value stored in the attribute is less than the current time, the item
# is marked as expired and subsequently deleted ... DynamoDB typically deletes expired items
# within two days of expiration ... Items that have expired and not been deleted will still
# show up in reads, queries, and scans." DYNAMODB_TTL_DOC: "a filter expression can filter
# out expired items that are pending deletion", and TTL deletions appear in the stream.
DYNAMODB_TTL_DELETION_DELAY = AwsLimit(
    "dynamodb.ttlDeletionDelay",
    2,
    "days",
    "how long after expiry DynamoDB typically deletes an item; reads return it until then, "
    "so every read of a table with a TTL filters `ttl > now` (retention, presence, retries)",
    DYNAMODB_TTL_API_DOC,
)
# Quoted from COMPREHEND_TOXIC_DOC (2026-12, documentation search): "TextSegments: A list
# of up to 10 text strings. Each string has a maximum size of 1 KB, and the maximum size of
# the list is 10 KB."
COMPREHEND_TOXIC_SEGMENTS = AwsLimit(
    "comprehend.toxicSegments",
    10,
    "text segments",
    "DetectToxicContent: text segments per request",
    COMPREHEND_TOXIC_DOC,
)
COMPREHEND_TOXIC_SEGMENT_BYTES = AwsLimit(
    "comprehend.toxicSegmentBytes",
    1024,
    "bytes",
    "DetectToxicContent: one text segment (1 KB)",
    COMPREHEND_TOXIC_DOC,
)

# Verification (2026-12, documentation search; the archived awsdocs guides on GitHub for the
# older wording): LAMBDA_EVENT_FILTERING_DOC: "You can define up to five different filters for
# a single event source"; "Metadata properties are the fields of the event object" and, for
# DynamoDB, "the data key is `dynamodb`"; "For Lambda to consider the event a match, the event
# must contain all the field names included in a filter"; "Lambda supports the same set of
# syntax and rules as Amazon EventBridge"; a stream record no filter matches is passed over
# ("the streams iterator advances past this record"). One current edition of the Lambda
# page adds "DynamoDB event source mappings only support filtering on the dynamodb key",
# which the DynamoDB guide's TTL page (filtering TTL deletions by userIdentity) contradicts;
# not verifiable without an account. Should a deployed mapping's TTL filter never match,
# removing `stream_filters` is safe: the file check skips every record that is not a TTL
# removal of an unclaimed upload itself (`functions/filecheck/expired.py`).
LAMBDA_FILTERS_PER_MAPPING = AwsLimit(
    "lambda.filtersPerMapping",
    5,
    "filters",
    "filters in one event source mapping's FilterCriteria (a record passes if any matches)",
    LAMBDA_EVENT_FILTERING_DOC,
)

LIMITS: tuple[AwsLimit, ...] = (
    APPSYNC_RESOLVER_TIMEOUT,
    APPSYNC_QUERY_DEPTH_LIMIT,
    APPSYNC_RESOLVER_COUNT_LIMIT,
    SUBSCRIPTION_FILTER_GROUPS,
    SUBSCRIPTION_FILTERS_PER_GROUP,
    SUBSCRIPTION_IN_VALUES,
    SUBSCRIPTION_INVALIDATIONS,
    DYNAMODB_ITEM_SIZE,
    DYNAMODB_PARTITION_KEY_SIZE,
    DYNAMODB_SORT_KEY_SIZE,
    DYNAMODB_TRANSACTION_ITEMS,
    DYNAMODB_BATCH_GET_ITEMS,
    DYNAMODB_STREAM_RETENTION,
    DYNAMODB_STREAM_READERS_PER_SHARD,
    DYNAMODB_GET_RECORDS_MAX,
    LAMBDA_STREAM_MAX_RETRY_ATTEMPTS,
    LAMBDA_STREAM_MIN_RECORD_AGE,
    SQS_MAX_MESSAGE_RETENTION,
    SQS_RECEIVE_MAX_MESSAGES,
    DYNAMODB_SHARD_ITERATOR_LIFETIME,
    COGNITO_SUB_LENGTH,
    APPSYNC_MAX_BATCH_SIZE,
    COGNITO_TRIGGER_TIMEOUT,
    S3_DELETE_OBJECTS_KEYS,
    S3_PRESIGNED_URL_MAX_EXPIRY,
    COMPREHEND_TOXIC_SEGMENTS,
    COMPREHEND_TOXIC_SEGMENT_BYTES,
    PIPES_FILTERS,
    PIPES_INPUT_TEMPLATE_LENGTH,
    DYNAMODB_TTL_DELETION_DELAY,
    LAMBDA_FILTERS_PER_MAPPING,
)


@dataclass(frozen=True)
class AwsBehaviour:
    """One documented behaviour that is a value rather than a number: `value` (plain JSON) is
    what the page at `source` shows, `what` says where it appears and what relies on it."""

    key: str
    value: Any
    what: str
    source: str


# Verification (2026-12, documentation search): DYNAMODB_TTL_STREAMS_DOC: "Items that are
# deleted by the Time to Live process after expiration have the following fields:
# Records[<index>].userIdentity.type "Service", Records[<index>].userIdentity.principalId
# "dynamodb.amazonaws.com"" (a Lambda event record); the Streams API's `Identity` shape spells
# the same members `Type` and `PrincipalId` ("For Time To Live, the type is "Service"").
# "When you use TTL in a global table, the region the TTL was performed in will have the
# userIdentity field set" (not the replicas). The same page archives TTL deletions with a
# Lambda whose event source mapping filters the stream so that only those invoke it.
DYNAMODB_TTL_STREAM_IDENTITY = AwsBehaviour(
    "dynamodb.ttlStreamIdentity",
    {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
    "the userIdentity of the stream REMOVE record of an item the TTL process deleted, as a "
    "Lambda event carries it; a delete by anyone else carries none. The uploads cleanup "
    "mapping filters on it (`chatspec.lambdas.TTL_REMOVALS`)",
    DYNAMODB_TTL_STREAMS_DOC,
)

S3_COPY_SOURCE_IF_MATCH = AwsBehaviour(
    "s3.copySourceIfMatch",
    {"header": "x-amz-copy-source-if-match", "failure": 412, "code": "PreconditionFailed"},
    "CopyObject copies the source object only if its entity tag (ETag) matches the one given "
    "in x-amz-copy-source-if-match; otherwise S3 answers 412 Precondition Failed and copies "
    "nothing. The file check copies what it checked on this condition "
    "(`functions.filecheck.check.keep_checked_copy`)",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html",
)

S3_MISSING_KEY_STATUS = AwsBehaviour(
    "s3.missingKeyStatus",
    {"withListBucket": 404, "withoutListBucket": 403},
    "HeadObject (and GetObject) of a key that does not exist answers 404 Not Found to a caller "
    "with s3:ListBucket on the bucket and 403 Forbidden to one without; the file check's role "
    "has no ListBucket (`functions.filecheck.check.MISSING`)",
    "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html",
)

DYNAMODB_TRANSACTION_CONFLICT = AwsBehaviour(
    "dynamodb.transactionConflict",
    {"exception": "TransactionCanceledException", "reason": "TransactionConflict"},
    "a TransactWriteItems that meets another transaction on one of its items is cancelled "
    "with this reason code; botocore does not retry it, so the push-targets writes do "
    "(`functions.common.push_targets`)",
    DYNAMODB_TRANSACT_WRITE_DOC,
)

GUARDDUTY_S3_SCAN_RESULTS_DOC = "https://docs.aws.amazon.com/guardduty/latest/ug/monitoring-malware-protection-s3-scans-gdu.html"
GUARDDUTY_S3_EVENTS_DOC = "https://docs.aws.amazon.com/guardduty/latest/ug/monitor-with-eventbridge-s3-malware-protection.html"
GUARDDUTY_S3_ROLE_DOC = "https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-iam-policy-prerequisite.html"

# Verification (2026-12, documentation search): GUARDDUTY_S3_SCAN_RESULTS_DOC lists the
# result values (NO_THREATS_FOUND, THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED, FAILED) and
# says that with tagging enabled "the tag value will have one of the following scan result
# values"; the tagging page: "any newly uploaded object that gets scanned, will have an
# associated tag in the following key-value pair format: GuardDutyMalwareScanStatus:
# Scan-Result-Status". GUARDDUTY_S3_EVENTS_DOC: "The S3 object scan result gets published to
# your default EventBridge event bus"; EventBridge's event reference lists the detail-type
# "GuardDuty Malware Protection Object Scan Result" (source aws.guardduty); the event names
# the plan in `resources` and the object in `detail.s3ObjectDetails` (bucketName,
# objectKey, eTag, versionId), the result in `detail.scanResultDetails.scanResultStatus`.
# GUARDDUTY_S3_ROLE_DOC: the plan's role is assumed by the service principal
# malware-protection-plan.guardduty.amazonaws.com and needs the permissions
# `components.malware_protection.role_statements` grants (one statement per documented Sid).
GUARDDUTY_SCAN_STATUS_TAG = AwsBehaviour(
    "guardduty.s3ScanStatusTag",
    {
        "key": "GuardDutyMalwareScanStatus",
        "values": ["NO_THREATS_FOUND", "THREATS_FOUND", "UNSUPPORTED", "ACCESS_DENIED", "FAILED"],
    },
    "the object tag Malware Protection for S3 writes on a scanned object (tagging enabled), "
    "and its possible values; the file check reads it (`chatspec.malware`)",
    GUARDDUTY_S3_SCAN_RESULTS_DOC,
)
GUARDDUTY_SCAN_RESULT_EVENT = AwsBehaviour(
    "guardduty.s3ScanResultEvent",
    {
        "source": "aws.guardduty",
        "detail-type": "GuardDuty Malware Protection Object Scan Result",
        "bus": "default",
    },
    "the event each scan result is published as, on the account's default event bus; a rule "
    "there invokes the file check (`chatspec.malware.scan_result_pattern`)",
    GUARDDUTY_S3_EVENTS_DOC,
)
GUARDDUTY_MALWARE_PLAN_PRINCIPAL = AwsBehaviour(
    "guardduty.malwareProtectionPlanPrincipal",
    "malware-protection-plan.guardduty.amazonaws.com",
    "the service principal that assumes a Malware Protection plan's role",
    GUARDDUTY_S3_ROLE_DOC,
)

BEHAVIOURS: tuple[AwsBehaviour, ...] = (
    DYNAMODB_TTL_STREAM_IDENTITY,
    GUARDDUTY_SCAN_STATUS_TAG,
    GUARDDUTY_SCAN_RESULT_EVENT,
    GUARDDUTY_MALWARE_PLAN_PRINCIPAL,
)


def behaviour(key: str) -> AwsBehaviour:
    for candidate in BEHAVIOURS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"no AWS behaviour {key!r}; known: {[entry.key for entry in BEHAVIOURS]}")


def limit(key: str) -> AwsLimit:
    for candidate in LIMITS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"no AWS limit {key!r}; known: {[entry.key for entry in LIMITS]}")
