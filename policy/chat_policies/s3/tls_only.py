"""A bucket policy refuses every request that does not use TLS."""

from pulumi_policy import Severity

from .._support import dig, json_document, resource_policy
from . import BUCKET_POLICY


def _denies_plain_http(statement) -> bool:
    condition = (statement.get("Condition") or {}).get("Bool") or {}
    return (
        statement.get("Effect") == "Deny"
        and statement.get("Principal") in ("*", {"AWS": "*"})
        and statement.get("Action") in ("s3:*", ["s3:*"])
        and str(condition.get("aws:SecureTransport")).lower() == "false"
    )


def _check(args):
    document = json_document(dig(args.props, "policy")) or {}
    statements = document.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    if not any(_denies_plain_http(s) for s in statements if isinstance(s, dict)):
        yield "no statement denies s3:* to everyone when aws:SecureTransport is false."


POLICY = resource_policy(
    name="s3-tls-only",
    description=(
        "Presigned URLs carry the user's access in the URL; over plain HTTP anyone on the "
        "path could read or replay them."
    ),
    resource_types=[BUCKET_POLICY],
    checks="the bucket policy denies requests without TLS",
    remediation='add {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": '
    '[bucket, bucket/*], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}.',
    check=_check,
    severity=Severity.HIGH,
    tags=("encryption",),
    link="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
)
