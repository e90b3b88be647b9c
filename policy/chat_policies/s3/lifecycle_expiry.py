"""A bucket's lifecycle expires something: unreferenced uploads never pile up forever."""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import LIFECYCLE


def _check(args):
    rules = [r for r in as_list(dig(args.props, "rules")) if dig(r, "status") == "Enabled"]
    if not any(dig(r, "expiration.days") for r in rules):
        yield "no enabled rule expires objects after a number of days."


POLICY = resource_policy(
    name="s3-lifecycle-expiry",
    description=(
        "Uploads that no message claims (abandoned forms, failed sends) would be kept and "
        "paid for forever without an expiring rule."
    ),
    resource_types=[LIFECYCLE],
    checks="an enabled lifecycle rule expires objects (the uploads/ prefix)",
    remediation="add a rule with filter prefix uploads/ and expiration days "
    "(uploads.unreferencedUploadDays).",
    check=_check,
    severity=Severity.MEDIUM,
    tags=("cost",),
    link="https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
)
