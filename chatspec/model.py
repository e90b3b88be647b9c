"""Typed records the specification is written in.

Frozen dataclasses so that a definition cannot drift after import, and so that the
Pulumi program, the emulator and the contract tests read exactly the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

AttributeType = Literal["S", "N", "B"]
Projection = Literal["ALL", "KEYS_ONLY", "INCLUDE"]
DataSourceKind = Literal["AMAZON_DYNAMODB", "AWS_LAMBDA", "NONE"]
ResolverKind = Literal["UNIT", "PIPELINE"]


@dataclass(frozen=True)
class Key:
    name: str
    type: AttributeType = "S"


@dataclass(frozen=True)
class Index:
    """A global secondary index. `include` lists non-key attributes for INCLUDE projections."""

    name: str
    hash_key: Key
    range_key: Key | None = None
    projection: Projection = "ALL"
    include: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A DynamoDB table. `name` is the logical name; the deployed name is `<prefix>-<name>`."""

    name: str
    hash_key: Key
    range_key: Key | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    stream: bool = False
    description: str = ""

    def index(self, name: str) -> Index:
        for index in self.indexes:
            if index.name == name:
                return index
        raise KeyError(f"table {self.name!r} has no index {name!r}")

    @property
    def stream_view_type(self) -> str | None:
        """Streams carry both images: the indexer needs the old one to delete and reindex."""
        return "NEW_AND_OLD_IMAGES" if self.stream else None

    def key_attributes(self) -> list[Key]:
        """Each key attribute of the table and its indexes once, in first-use order: the
        table's attribute definitions, deployed (`components/storage.py`) and emulated
        (`emulator/tables.py`) alike."""
        keys: dict[str, Key] = {}
        candidates = [self.hash_key, self.range_key]
        for index in self.indexes:
            candidates += [index.hash_key, index.range_key]
        for key in candidates:
            if key is None:
                continue
            if key.name in keys and keys[key.name].type != key.type:
                raise ValueError(f"table {self.name!r} declares {key.name!r} with two types")
            keys.setdefault(key.name, key)
        return list(keys.values())

    def deployed_name(self, prefix: str) -> str:
        """`<prefix>-<name with _ as ->`: the Pulumi program and the emulator both use it."""
        return f"{prefix}-{self.name.replace('_', '-')}"

    @property
    def output_name(self) -> str:
        """Stack output holding the deployed name, e.g. `roomMembersTableName`."""
        head, *rest = self.name.split("_")
        return head + "".join(part.title() for part in rest) + "TableName"

    @property
    def env_var(self) -> str:
        """Environment variable through which Lambdas receive the deployed name."""
        return f"{self.name.upper()}_TABLE"


@dataclass(frozen=True)
class Grant:
    """DynamoDB actions on one table, or on one of its indexes when `index` is set."""

    table: str
    actions: tuple[str, ...]
    index: str | None = None


@dataclass(frozen=True)
class BucketGrant:
    """Object actions on the uploads bucket under one key prefix (`uploads/`, `thumbnails/`)."""

    prefix: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class LambdaFunction:
    """A Python Lambda under `functions/<name>/handler.py`.

    `actions` are the fields (`"Query.myRooms"`) its direct Lambda resolvers serve; the
    handler's `ACTIONS` dispatch table must know exactly these. Stream-triggered
    functions have none. `bucket_grants` give it the uploads bucket's name (`UPLOADS_BUCKET`)
    and exactly those object actions under those key prefixes (presigning acts with the
    signer's permissions). `cognito_trigger`
    names the user pool trigger it also serves (`PostConfirmation`): the pool invokes it
    with Cognito's trigger event. `bucket_source` names the bucket whose object-created
    notifications (under `uploads/`) invoke it. `uses_push`: it reaches SNS mobile push
    (the platform applications of the stack's `push` settings). `uses_bedrock`: Converse on
    the stack's assistant model only (`assistant` settings); `uses_comprehend`: DetectToxicContent;
    `api_fields`: the IAM-authorized GraphQL fields (`Mutation.postSystemMessage`) it calls
    on the stack's own API with SigV4, and nothing else there. `stream_source` names the
    table whose stream an event source mapping feeds it; `stream_filters` are that
    mapping's FilterCriteria patterns (EventBridge syntax on the Lambda event record: a
    record passes if any matches; none: every record), which the emulator applies too.
    """

    name: str
    description: str
    grants: tuple[Grant, ...] = ()
    actions: tuple[str, ...] = ()
    in_vpc: bool = False
    uses_search: bool = False
    uses_cognito: bool = False
    bucket_grants: tuple[BucketGrant, ...] = ()
    bucket_source: str | None = None
    cognito_trigger: str | None = None
    uses_push: bool = False
    uses_bedrock: bool = False
    uses_comprehend: bool = False
    api_fields: tuple[str, ...] = ()
    stream_source: str | None = None
    stream_filters: tuple[dict[str, Any], ...] = ()
    timeout_seconds: int = 10
    memory_mb: int = 256

    @property
    def uses_uploads(self) -> bool:
        return bool(self.bucket_grants)


@dataclass(frozen=True)
class DataSource:
    """An AppSync data source. `table` for DynamoDB, `function` for Lambda, neither for NONE."""

    name: str
    kind: DataSourceKind
    table: str | None = None
    function: str | None = None
    description: str = ""


@dataclass(frozen=True)
class PipelineFunction:
    """An AppSync pipeline function: one data-source request.

    `grants` is what its request may touch; the data source's IAM role is the union of
    the grants of everything attached to it, and the contract tests check the templates
    against it.
    """

    name: str
    data_source: str
    request: str
    response: str
    grants: tuple[Grant, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Resolver:
    """Wiring of one schema field.

    UNIT: `data_source`, `request`, `response` and `grants` are the resolver's own.
    PIPELINE: `functions` run in order between the `request` (before) and `response`
    (after) templates. Template paths are relative to `vtl/`.
    A UNIT resolver on a Lambda data source without a request template is a direct
    Lambda resolver: the function receives AppSync's full context and dispatches on
    `"<type_name>.<field_name>"`, which must be one of the function's `actions`; its
    response is `chatspec.lambdas.DIRECT_LAMBDA_RESPONSE`. `max_batch_size` (direct Lambda
    resolvers of object fields only) makes AppSync batch the field's invocations of one
    request: the function receives a list of contexts and answers a list in the same order.
    """

    type_name: str
    field_name: str
    kind: ResolverKind
    request: str | None = None
    response: str | None = None
    data_source: str | None = None
    functions: tuple[str, ...] = ()
    grants: tuple[Grant, ...] = ()
    description: str = ""
    max_batch_size: int = 0

    @property
    def key(self) -> str:
        return f"{self.type_name}.{self.field_name}"
