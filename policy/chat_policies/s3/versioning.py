"""Production buckets keep object versions (an overwrite or delete can be undone)."""

from pulumi_policy import Severity

from .._support import dig, resource_policy
from ..environment import is_prod
from . import VERSIONING


def _check(args):
    if is_prod(args) and dig(args.props, "versioningConfiguration.status") != "Enabled":
        yield "versioning is not Enabled on a production bucket."


POLICY = resource_policy(
    name="s3-versioning",
    description="Without versions a buggy delete path or a compromised key loses uploads for good.",
    resource_types=[VERSIONING],
    checks="a production bucket has versioning enabled",
    remediation='set versioning_configuration.status="Enabled" (uploads.versioning: true).',
    check=_check,
    severity=Severity.MEDIUM,
    tags=("backup",),
    link="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
)
