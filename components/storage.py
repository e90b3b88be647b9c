"""Every DynamoDB table of `chatspec.TABLES`, on demand, with the stack's data protection."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

import chatspec
from chatspec.model import Table
from components.naming import table_name
from stacksettings.view import View


@dataclass(frozen=True)
class TableSettings(View):
    """The stack settings that shape the tables' names and data protection."""

    prefix: str
    tags: dict[str, str]
    point_in_time_recovery: bool
    deletion_protection: bool
    retain_on_delete: bool


@dataclass
class StorageArgs:
    settings: TableSettings
    kms_key_arn: pulumi.Input[str] | None


def _key_schema(
    attribute: str, key_type: str
) -> aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs:
    return aws.dynamodb.TableGlobalSecondaryIndexKeySchemaArgs(
        attribute_name=attribute, key_type=key_type
    )


def _indexes(table: Table) -> list[aws.dynamodb.TableGlobalSecondaryIndexArgs]:
    indexes = []
    for index in table.indexes:
        schema = [_key_schema(index.hash_key.name, "HASH")]
        if index.range_key:
            schema.append(_key_schema(index.range_key.name, "RANGE"))
        indexes.append(
            aws.dynamodb.TableGlobalSecondaryIndexArgs(
                name=index.name,
                key_schemas=schema,
                projection_type=index.projection,
                non_key_attributes=list(index.include) if index.projection == "INCLUDE" else None,
            )
        )
    return indexes


class Storage(pulumi.ComponentResource):
    """`names`, `arns` and `stream_arns` are keyed by the logical table name."""

    tables: dict[str, aws.dynamodb.Table]
    names: dict[str, pulumi.Output[str]]
    arns: dict[str, pulumi.Output[str]]
    stream_arns: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: StorageArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("chat:storage:Storage", name, None, opts)
        settings = args.settings
        data_opts = pulumi.ResourceOptions(
            parent=self,
            protect=settings.retain_on_delete,
            retain_on_delete=settings.retain_on_delete,
        )
        self.tables = {}
        for spec in chatspec.TABLES:
            self.tables[spec.name] = aws.dynamodb.Table(
                f"{name}-{spec.name.replace('_', '-')}",
                name=table_name(settings.prefix, spec.name),
                billing_mode="PAY_PER_REQUEST",
                hash_key=spec.hash_key.name,
                range_key=spec.range_key.name if spec.range_key else None,
                attributes=[
                    aws.dynamodb.TableAttributeArgs(name=key.name, type=key.type)
                    for key in spec.key_attributes()
                ],
                global_secondary_indexes=_indexes(spec) or None,
                ttl=aws.dynamodb.TableTtlArgs(attribute_name=spec.ttl_attribute, enabled=True)
                if spec.ttl_attribute
                else None,
                stream_enabled=spec.stream,
                stream_view_type=spec.stream_view_type,
                point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(
                    enabled=settings.point_in_time_recovery
                ),
                deletion_protection_enabled=settings.deletion_protection,
                server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(
                    enabled=True, kms_key_arn=args.kms_key_arn
                )
                if args.kms_key_arn is not None
                else None,
                tags={**settings.tags, "Name": table_name(settings.prefix, spec.name)},
                opts=data_opts,
            )
        self.names = {logical: t.name for logical, t in self.tables.items()}
        self.arns = {logical: t.arn for logical, t in self.tables.items()}
        self.stream_arns = {
            spec.name: self.tables[spec.name].stream_arn for spec in chatspec.TABLES if spec.stream
        }
        self.register_outputs({"tableNames": self.names, "tableArns": self.arns})
