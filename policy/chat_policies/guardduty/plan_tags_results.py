"""A Malware Protection plan tags what it scanned, and scans named prefixes only.

The file check decides from the object's `GuardDutyMalwareScanStatus` tag: a plan without
tagging leaves every upload PENDING for good. A plan without object prefixes scans the
whole bucket, the check's own thumbnails included, paid per GB for nothing.
"""

from pulumi_policy import Severity

from .._support import as_list, dig, resource_policy
from . import PLAN


def _check(args):
    statuses = [
        dig(tagging, "status")
        for action in as_list(args.props.get("actions"))
        for tagging in as_list(dig(action, "taggings"))
    ]
    if "ENABLED" not in statuses:
        yield "the plan does not tag scanned objects (actions.taggings.status is not ENABLED)."
    if not as_list(dig(args.props, "protectedResource.s3Bucket.objectPrefixes")):
        yield "the plan names no objectPrefixes: it scans the whole bucket."


POLICY = resource_policy(
    name="guardduty-malware-plan-tags-results",
    description=(
        "Uploads become READY only when GuardDuty's result tag says NO_THREATS_FOUND; a plan "
        "that does not tag, or scans the whole bucket, blocks every upload or pays for "
        "scanning thumbnails."
    ),
    resource_types=[PLAN],
    checks="the Malware Protection plan tags its results and scans named prefixes only",
    remediation='set actions=[{"taggings": [{"status": "ENABLED"}]}] and '
    'protected_resource.s3_bucket.object_prefixes=["uploads/"].',
    check=_check,
    severity=Severity.HIGH,
    tags=("reliability", "cost"),
    link="https://docs.aws.amazon.com/guardduty/latest/ug/monitor-enable-s3-object-tagging-malware-protection.html",
)
