"""A Malware Protection plan's role is assumed by the plan's service only and holds nothing
beyond what GuardDuty documents for scanning that plan's bucket.

Per action, where it may apply (ROLE_DOC, narrowed to the plan): object reads and tags on
the plan's prefixes of its bucket; PutObject on the validation object at the bucket's root;
ListBucket and the bucket's notification configuration on the bucket; the EventBridge rules
GuardDuty manages (`DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*`); Decrypt and
GenerateDataKey on named keys through S3 only (`kms:ViaService`). Anything else, a statement
this check cannot read (NotAction, NotResource, Deny aside), a managed policy attached to
the role, or a role that is not in the stack is reported.
"""

from pulumi_policy import Severity

from .._support import as_list, dig, json_document, stack_policy
from ..stack import of_type
from . import MANAGED_RULE_PREFIX, PLAN, PLAN_PRINCIPAL, ROLE_DOC, VALIDATION_OBJECT

OBJECT_ACTIONS = frozenset(
    {
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:GetObjectTagging",
        "s3:GetObjectVersionTagging",
        "s3:PutObjectTagging",
        "s3:PutObjectVersionTagging",
    }
)
BUCKET_ACTIONS = frozenset(
    {"s3:ListBucket", "s3:GetBucketNotification", "s3:PutBucketNotification"}
)
RULE_ACTIONS = frozenset(
    {
        "events:PutRule",
        "events:DeleteRule",
        "events:PutTargets",
        "events:RemoveTargets",
        "events:DescribeRule",
        "events:ListTargetsByRule",
    }
)
KEY_ACTIONS = frozenset({"kms:Decrypt", "kms:GenerateDataKey"})


def _bucket_arn(args, bucket: str) -> str:
    for resource in of_type(args, "aws:s3/bucket:Bucket"):
        if resource.props.get("bucket") == bucket and isinstance(resource.props.get("arn"), str):
            return resource.props["arn"]
    return f"arn:aws:s3:::{bucket}"


def _allowed(action: str, resource: str, statement, bucket: str, prefixes: list[str]) -> bool:
    if action in OBJECT_ACTIONS:
        return resource in {f"{bucket}/{prefix}*" for prefix in prefixes}
    if action == "s3:PutObject":
        return resource == f"{bucket}/{VALIDATION_OBJECT}"
    if action in BUCKET_ACTIONS:
        return resource == bucket
    if action in RULE_ACTIONS:
        return resource.startswith("arn:aws:events:") and resource.endswith(
            f":rule/{MANAGED_RULE_PREFIX}*"
        )
    if action in KEY_ACTIONS:
        via = dig(statement, "Condition.StringLike") or dig(statement, "Condition.StringEquals")
        service = str((via or {}).get("kms:ViaService", ""))
        return resource.startswith("arn:aws:kms:") and service.startswith("s3.")
    return False


def _trust_problems(role) -> list[str]:
    document = json_document(role.props.get("assumeRolePolicy")) or {}
    problems = []
    for statement in as_list(document.get("Statement")):
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal != {"Service": PLAN_PRINCIPAL}:
            problems.append(f"its trust policy admits {principal!r}, not only {PLAN_PRINCIPAL}")
    return problems


def _check(args):
    roles = list(of_type(args, "aws:iam/role:Role"))
    policies = list(of_type(args, "aws:iam/rolePolicy:RolePolicy"))
    attachments = list(of_type(args, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"))
    for plan in of_type(args, PLAN):
        bucket_name = dig(plan.props, "protectedResource.s3Bucket.bucketName")
        prefixes = as_list(dig(plan.props, "protectedResource.s3Bucket.objectPrefixes")) or [""]
        role_arn = plan.props.get("role")
        role = next((r for r in roles if r.props.get("arn") == role_arn), None)
        if role is None:
            yield f"plan {plan.name!r}: its role {role_arn!r} is not in the stack.", plan.urn
            continue
        names = {role.props.get("name"), role.props.get("id"), role_arn} - {None}
        bucket = _bucket_arn(args, str(bucket_name))
        for problem in _trust_problems(role):
            yield f"plan {plan.name!r}: role {role.name!r}: {problem}.", role.urn
        for attachment in attachments:
            if attachment.props.get("role") in names:
                yield (
                    f"plan {plan.name!r}: role {role.name!r} has the managed policy "
                    f"{attachment.props.get('policyArn')!r} attached.",
                    attachment.urn,
                )
        for policy in policies:
            if policy.props.get("role") not in names:
                continue
            document = json_document(policy.props.get("policy")) or {}
            for statement in as_list(document.get("Statement")):
                if statement.get("Effect") != "Allow":
                    continue
                if "NotAction" in statement or "NotResource" in statement:
                    yield (
                        f"plan {plan.name!r}: {statement!r} uses NotAction/NotResource.",
                        policy.urn,
                    )
                    continue
                for action in as_list(statement.get("Action")):
                    for resource in as_list(statement.get("Resource")):
                        if not _allowed(str(action), str(resource), statement, bucket, prefixes):
                            yield (
                                f"plan {plan.name!r}: role {role.name!r} allows {action} on "
                                f"{resource}, beyond what scanning {bucket} needs.",
                                policy.urn,
                            )


POLICY = stack_policy(
    name="guardduty-malware-role-least-privilege",
    description=(
        "The malware scan's role reads and tags uploaded files; anything wider (other "
        "prefixes, other buckets, keys outside S3) lets whoever controls the plan reach it."
    ),
    checks="each Malware Protection plan's role is its service's only and holds only the "
    "documented permissions on the plan's bucket and prefixes",
    remediation=(
        "trust only malware-protection-plan.guardduty.amazonaws.com; grant object reads and "
        "tags on <bucket>/<prefix>*, PutObject on the validation object, ListBucket and the "
        "notification configuration on the bucket, the DO-NOT-DELETE-AmazonGuardDuty"
        "MalwareProtectionS3* rules, and kms:Decrypt/GenerateDataKey with kms:ViaService "
        "s3.<region>.amazonaws.com (components/malware_protection.py)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("least-privilege",),
    link=ROLE_DOC,
)
