"""A bucket's lifecycle aborts abandoned multipart uploads: their parts never pile up unseen.

That is all it checks. It does not demand that current objects expire: on the uploads bucket
a prefix rule cannot tell an attached file from an unclaimed one, and expiring `uploads/`
deleted attachments. Unclaimed uploads' objects go another way: when DynamoDB's TTL removes
their upload records, the file check deletes them (`functions/filecheck/expired.py`).
"""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import LIFECYCLE


def _check(args):
    rules = [r for r in as_list(dig(args.props, "rules")) if dig(r, "status") == "Enabled"]
    if not any(dig(r, "abortIncompleteMultipartUpload.daysAfterInitiation") for r in rules):
        yield "no enabled rule aborts incomplete multipart uploads after a number of days."


POLICY = resource_policy(
    name="s3-lifecycle-abort-multipart",
    description=(
        "The parts of a multipart upload nobody completed are stored and paid for, and "
        "listed nowhere, until a rule aborts the upload."
    ),
    resource_types=[LIFECYCLE],
    checks="an enabled lifecycle rule aborts incomplete multipart uploads",
    remediation="add a rule (filter prefix empty) with abortIncompleteMultipartUpload "
    "daysAfterInitiation.",
    check=_check,
    severity=Severity.MEDIUM,
    tags=("cost",),
    link="https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html",
)
