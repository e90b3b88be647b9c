"""The deployed schema plus the AppSync prelude graphql-core needs to build it."""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLSchema, build_schema

from emulator.core.scalars import install_scalars

APPSYNC_SCALARS = (
    "AWSDateTime",
    "AWSDate",
    "AWSTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)

APPSYNC_DIRECTIVES = """
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
directive @aws_iam on OBJECT | FIELD_DEFINITION
directive @aws_api_key on OBJECT | FIELD_DEFINITION
directive @aws_oidc on OBJECT | FIELD_DEFINITION
directive @aws_lambda on OBJECT | FIELD_DEFINITION
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
"""


def prelude() -> str:
    """Declarations AppSync provides implicitly; never part of the deployed schema."""
    scalars = "\n".join(f"scalar {name}" for name in APPSYNC_SCALARS)
    return f"{scalars}\n{APPSYNC_DIRECTIVES}"


@lru_cache(maxsize=8)
def load_schema(schema_sdl: str) -> GraphQLSchema:
    """The schema built once per SDL text: building it costs a tenth of a second and every
    emulator (each test starts one) serves the same text. Safe to share because nothing
    mutates it: the engine passes its resolver to each execution (`field_resolver`)."""
    schema = build_schema(prelude() + "\n" + schema_sdl)
    install_scalars(schema)
    return schema
