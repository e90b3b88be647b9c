"""What the uploads Lambda touches, named by the stack through environment variables.

The table variable is `chatspec.table("uploads").env_var`; the bucket's is `UPLOADS_BUCKET`
(`components.function_environment`, for Lambdas with `uses_uploads`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

UPLOADS_ENV = "UPLOADS_TABLE"
BUCKET_ENV = "UPLOADS_BUCKET"
ENV_VARS = (UPLOADS_ENV, BUCKET_ENV)


@dataclass(frozen=True)
class Store:
    """The uploads table (a boto3 Table), the bucket's name and an S3 client."""

    uploads: Any
    bucket: str
    s3: Any


def _value(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise RuntimeError(f"environment variable {variable} is not set")
    return value


def store_from_env(dynamodb: Any, s3: Any) -> Store:
    return Store(uploads=dynamodb.Table(_value(UPLOADS_ENV)), bucket=_value(BUCKET_ENV), s3=s3)
