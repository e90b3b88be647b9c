"""guardduty-malware-role-least-privilege: the plan's role is its service's only and holds the
documented permissions on the plan's bucket and prefixes, nothing more. The complying case
is the role `components/malware_protection.py` deploys, built by its own function."""

from __future__ import annotations

import json

import pytest

from chatspec.aws_limits import GUARDDUTY_MALWARE_PLAN_PRINCIPAL
from components import malware_protection
from components.iam_documents import assume_role_policy
from policy.chat_policies import guardduty
from tests.policy.policy_case import PolicyCase
from tests.policy.resources import PLAN, TAGS, custom, resource

case = PolicyCase(__file__)
BUCKET_ARN = "arn:aws:s3:::chat-prod-uploads"
ROLE_ARN = "arn:aws:iam::123456789012:role/chat-prod-malware-protection"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1111"


def scan_stack(statements=None, trust=None, extra=()):
    statements = statements or malware_protection.role_statements(
        BUCKET_ARN, "eu-west-1", "123456789012", KEY_ARN
    )
    return [
        custom(
            "aws:s3/bucket:Bucket",
            {"bucket": "chat-prod-uploads", "tags": TAGS},
            name="bucket",
            outputs={"arn": BUCKET_ARN},
        ),
        custom(
            "aws:iam/role:Role",
            {
                "name": "chat-prod-malware-protection",
                "assumeRolePolicy": trust
                or assume_role_policy(GUARDDUTY_MALWARE_PLAN_PRINCIPAL.value),
                "tags": TAGS,
            },
            name="malware-role",
            outputs={"arn": ROLE_ARN},
        ),
        custom(
            "aws:iam/rolePolicy:RolePolicy",
            {
                "role": "chat-prod-malware-protection",
                "policy": json.dumps({"Version": "2012-10-17", "Statement": statements}),
            },
            name="malware-role-policy",
        ),
        resource(PLAN, name="plan"),
        *extra,
    ]


def deployed(**changes):
    """The deployed statements with one statement changed (by Sid)."""
    statements = malware_protection.role_statements(
        BUCKET_ARN, "eu-west-1", "123456789012", KEY_ARN
    )
    return [{**s, **changes.get(s["Sid"], {})} for s in statements]


@pytest.mark.parametrize(
    ("statements", "says"),
    [
        (deployed(AllowMalwareScan={"Resource": [f"{BUCKET_ARN}/*"]}), "s3:GetObject on"),
        (deployed(AllowPostScanTag={"Resource": ["arn:aws:s3:::other/uploads/*"]}), "other"),
        (deployed(AllowPutValidationObject={"Resource": [f"{BUCKET_ARN}/uploads/*"]}), "PutObject"),
        (
            deployed(AllowMalwareScan={"Action": ["s3:GetObject", "s3:DeleteObject"]}),
            "DeleteObject",
        ),
        (
            deployed(AllowGuardDutyToMonitorEventBridgeManagedRule={"Resource": ["*"]}),
            "events:DescribeRule",
        ),
        (deployed(AllowDecryptForMalwareScan={"Condition": {}}), "kms:Decrypt"),
        (deployed(AllowCheckBucketOwnership={"Action": ["s3:*"]}), "s3:*"),
    ],
    ids=[
        "all-objects",
        "other-bucket",
        "put-anywhere",
        "delete",
        "any-rule",
        "kms-not-via-s3",
        "s3-star",
    ],
)
def test_permissions_beyond_the_documented_ones_are_reported(statements, says):
    findings = case.reports(scan_stack(statements))
    assert any(says in f.message for f in findings), findings


def test_a_role_others_may_assume_is_reported():
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    [finding] = case.reports(scan_stack(trust=trust))
    assert "trust policy" in finding.message


def test_a_managed_policy_on_the_role_or_a_role_outside_the_stack_is_reported():
    attached = custom(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        {
            "role": "chat-prod-malware-protection",
            "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
        },
        name="admin",
    )
    case.reports(scan_stack(extra=[attached]))
    outside = [r for r in scan_stack() if r.type != "aws:iam/role:Role"]
    [finding] = case.reports(outside)
    assert "not in the stack" in finding.message


def test_the_deployed_role_passes_with_and_without_a_key():
    case.accepts(scan_stack())
    plain = malware_protection.role_statements(BUCKET_ARN, "eu-west-1", "123456789012", None)
    case.accepts(scan_stack(plain))


def test_the_packs_names_are_the_services():
    assert GUARDDUTY_MALWARE_PLAN_PRINCIPAL.value == guardduty.PLAN_PRINCIPAL
    assert guardduty.MANAGED_RULE_PREFIX == malware_protection.MANAGED_RULE_PREFIX
    assert guardduty.VALIDATION_OBJECT == malware_protection.VALIDATION_OBJECT
    assert guardduty.ROLE_DOC == malware_protection.ROLE_DOC
