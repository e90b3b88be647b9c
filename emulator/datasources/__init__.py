"""AppSync data sources: DynamoDB request documents, Lambda invocations and NONE."""

from emulator.datasources.base import DataSourceError
from emulator.datasources.dynamodb import DynamoDbDataSource
from emulator.datasources.lambda_function import LambdaContext, LambdaDataSource
from emulator.datasources.none import NoneDataSource

__all__ = [
    "DataSourceError",
    "DynamoDbDataSource",
    "LambdaContext",
    "LambdaDataSource",
    "NoneDataSource",
]
