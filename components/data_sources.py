"""AppSync data sources from `chatspec.DATA_SOURCES`, each with its own least-privilege role.

A DynamoDB data source's role allows exactly `chatspec.iam.data_source_grants(name)`, i.e.
what its resolvers' and pipeline functions' templates do; a Lambda data source may invoke
only its function; NONE has no role.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from chatspec.iam import data_source_grants
from chatspec.model import DataSource
from components.iam_documents import assume_role_policy, dynamodb_statements, policy_document


def data_source_policy(source: DataSource, table_arns: dict[str, str]) -> str | None:
    """The role policy of a DynamoDB data source, or None while nothing is wired to it."""
    statements = dynamodb_statements(data_source_grants(source.name), table_arns)
    return policy_document(statements) if statements else None


def lambda_invoke_policy(function_arn: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": function_arn}
            ],
        }
    )


def create_data_source(
    name: str,
    source: DataSource,
    *,
    api: aws.appsync.GraphQLApi,
    region: pulumi.Input[str],
    table_names: dict[str, pulumi.Output[str]],
    table_arns: dict[str, pulumi.Output[str]],
    function_arns: dict[str, pulumi.Output[str]],
    tags: dict[str, str],
    parent: pulumi.Resource,
) -> aws.appsync.DataSource:
    child = pulumi.ResourceOptions(parent=parent)
    resource_name = f"{name}-{source.name}"
    if source.kind == "NONE":
        return aws.appsync.DataSource(
            resource_name,
            api_id=api.id,
            name=source.name,
            type="NONE",
            description=source.description or None,
            opts=child,
        )
    role = aws.iam.Role(
        f"{resource_name}-role",
        description=f"AppSync data source {source.name}",
        assume_role_policy=assume_role_policy("appsync.amazonaws.com"),
        tags=tags,
        opts=child,
    )
    depends: list[pulumi.Resource] = [api]
    if source.kind == "AMAZON_DYNAMODB":
        if source.table not in table_arns:
            raise KeyError(f"data source {source.name!r} names unknown table {source.table!r}")
        grants = data_source_grants(source.name)
        if grants:
            arns = pulumi.Output.all(**{g.table: table_arns[g.table] for g in grants})
            depends.append(
                aws.iam.RolePolicy(
                    f"{resource_name}-policy",
                    role=role.id,
                    policy=arns.apply(lambda resolved: data_source_policy(source, resolved)),
                    opts=child,
                )
            )
        return aws.appsync.DataSource(
            resource_name,
            api_id=api.id,
            name=source.name,
            type="AMAZON_DYNAMODB",
            description=source.description or None,
            service_role_arn=role.arn,
            dynamodb_config=aws.appsync.DataSourceDynamodbConfigArgs(
                table_name=table_names[source.table], region=region
            ),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=depends),
        )
    if source.kind == "AWS_LAMBDA":
        if source.function not in function_arns:
            raise KeyError(f"data source {source.name!r} names unknown Lambda {source.function!r}")
        arn = function_arns[source.function]
        depends.append(
            aws.iam.RolePolicy(
                f"{resource_name}-policy",
                role=role.id,
                policy=arn.apply(lambda_invoke_policy),
                opts=child,
            )
        )
        return aws.appsync.DataSource(
            resource_name,
            api_id=api.id,
            name=source.name,
            type="AWS_LAMBDA",
            description=source.description or None,
            service_role_arn=role.arn,
            lambda_config=aws.appsync.DataSourceLambdaConfigArgs(function_arn=arn),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=depends),
        )
    raise ValueError(f"data source {source.name!r} has unsupported kind {source.kind!r}")
