"""AppSync pipeline functions and resolvers from `chatspec`, templates with the stack's tables.

Every resolver and function depends on the API (its schema) and on its data source(s);
resolvers replace with delete-before-replace because AppSync allows one resolver per field.
Templates are read when the program starts, so a missing file stops it at once.
"""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from chatspec.model import PipelineFunction, Resolver
from chatspec.templates import load_template, with_table_names

TEMPLATE_VERSION = "2018-05-29"


def template(relative: str | None, table_names: dict[str, pulumi.Output[str]]):
    if relative is None:
        return None
    text = load_template(relative)
    return pulumi.Output.all(**table_names).apply(lambda names: with_table_names(text, names))


def create_function(
    name: str,
    spec: PipelineFunction,
    *,
    api: aws.appsync.GraphQLApi,
    data_sources: dict[str, aws.appsync.DataSource],
    table_names: dict[str, pulumi.Output[str]],
    parent: pulumi.Resource,
) -> aws.appsync.Function:
    if spec.data_source not in data_sources:
        raise KeyError(
            f"pipeline function {spec.name!r} names unknown data source {spec.data_source!r}"
        )
    source = data_sources[spec.data_source]
    return aws.appsync.Function(
        f"{name}-fn-{spec.name}",
        api_id=api.id,
        name=spec.name,
        description=spec.description or None,
        data_source=source.name,
        function_version=TEMPLATE_VERSION,
        request_mapping_template=template(spec.request, table_names),
        response_mapping_template=template(spec.response, table_names),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[api, source]),
    )


def create_resolver(
    name: str,
    spec: Resolver,
    *,
    api: aws.appsync.GraphQLApi,
    data_sources: dict[str, aws.appsync.DataSource],
    functions: dict[str, aws.appsync.Function],
    table_names: dict[str, pulumi.Output[str]],
    parent: pulumi.Resource,
) -> aws.appsync.Resolver:
    resource_name = f"{name}-{spec.type_name}-{spec.field_name}"
    depends: list[pulumi.Resource] = [api]
    if spec.kind == "UNIT":
        if spec.data_source not in data_sources:
            raise KeyError(f"resolver {spec.key} names unknown data source {spec.data_source!r}")
        source = data_sources[spec.data_source]
        depends.append(source)
        extra: dict[str, Any] = {"data_source": source.name}
    elif spec.kind == "PIPELINE":
        unknown = [f for f in spec.functions if f not in functions]
        if unknown or not spec.functions:
            raise KeyError(f"resolver {spec.key} names unknown pipeline functions {unknown}")
        chain = [functions[f] for f in spec.functions]
        depends.extend(chain)
        extra = {
            "pipeline_config": aws.appsync.ResolverPipelineConfigArgs(
                functions=[f.function_id for f in chain]
            )
        }
    else:
        raise ValueError(f"resolver {spec.key} has unsupported kind {spec.kind!r}")
    return aws.appsync.Resolver(
        resource_name,
        api_id=api.id,
        type=spec.type_name,
        field=spec.field_name,
        kind=spec.kind,
        request_template=template(spec.request, table_names),
        response_template=template(spec.response, table_names),
        max_batch_size=spec.max_batch_size or None,
        **extra,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=depends, delete_before_replace=True),
    )
