"""The single source of truth for tables, data sources, Lambdas and resolver wiring.

Plain data only: this package imports neither pulumi nor boto3, so the Pulumi components,
the offline emulator and the contract tests can all read the same definitions.
"""

from chatspec.datasources import DATA_SOURCES, data_source
from chatspec.lambdas import LAMBDAS, lambda_function
from chatspec.resolvers import PIPELINE_FUNCTIONS, RESOLVERS
from chatspec.tables import TABLES, table

__all__ = [
    "DATA_SOURCES",
    "LAMBDAS",
    "PIPELINE_FUNCTIONS",
    "RESOLVERS",
    "TABLES",
    "data_source",
    "lambda_function",
    "table",
]
