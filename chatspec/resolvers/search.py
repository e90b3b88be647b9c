"""Resolver wiring: search.

Query.searchMessages is a direct Lambda resolver on the search Lambda: OpenSearch sits
in a VPC AppSync cannot reach (ARCHITECTURE.md), and limiting hits to the caller's rooms
needs their memberships first. The Lambda reads room_members itself (see
`chatspec.lambdas.SEARCH` grants), so the resolver carries no DynamoDB grants.
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import PipelineFunction, Resolver

FUNCTIONS: tuple[PipelineFunction, ...] = ()
RESOLVERS: tuple[Resolver, ...] = (
    Resolver(
        type_name="Query",
        field_name="searchMessages",
        kind="UNIT",
        data_source="SearchLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="Full-text search over the caller's rooms, with highlights and paging.",
    ),
)
