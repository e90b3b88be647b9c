"""Resolver wiring: search.

Query.searchMessages is a pipeline: the access decision (getCallerMembership, which with a
roomId decides whether the caller may read that room, ban over Cognito group included),
then the search Lambda: OpenSearch sits in a VPC AppSync cannot reach (ARCHITECTURE.md).
With a roomId the Lambda searches that room only if `access.may.read`; without one it
searches the rooms the caller is a non-banned member of, which it reads itself (see
`chatspec.lambdas.SEARCH` grants).
"""

from __future__ import annotations

from chatspec.model import PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, lambda_step, pipeline

FUNCTIONS: tuple[PipelineFunction, ...] = (
    lambda_step(
        "searchRun",
        "SearchLambda",
        "searchMessages: one OpenSearch query over the rooms the access decision allows.",
    ),
)
RESOLVERS: tuple[Resolver, ...] = (
    pipeline(
        "Query.searchMessages",
        MEMBERSHIP,
        "searchRun",
        description="Full-text search over the caller's rooms, with highlights and paging.",
        before=PIPELINE_BEFORE,
    ),
)
