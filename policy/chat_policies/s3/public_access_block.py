"""A bucket's public access block turns on all four blocks."""

from pulumi_policy import Severity

from .._support import dig, is_true, resource_policy
from . import PUBLIC_ACCESS_BLOCK

FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


def _check(args):
    off = [flag for flag in FLAGS if not is_true(dig(args.props, flag))]
    if off:
        yield f"{', '.join(off)} not true: the bucket could be made public."


POLICY = resource_policy(
    name="s3-block-public-access",
    description=(
        "Attachments and avatars are private to a room's readers; one public ACL or policy "
        "would publish every upload."
    ),
    resource_types=[PUBLIC_ACCESS_BLOCK],
    checks="all four S3 public access blocks are on",
    remediation="set block_public_acls, block_public_policy, ignore_public_acls and "
    "restrict_public_buckets to True.",
    check=_check,
    severity=Severity.CRITICAL,
    tags=("access-control",),
    link="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
)
