"""GuardDuty Malware Protection for S3: the plan that scans the uploads bucket, and its role.

The pack runs in its own virtualenv from `policy/`, so the service's names are restated
here; `tests/policy/guardduty/` checks them against `chatspec.aws_limits` and the component.
"""

PLAN = "aws:guardduty/malwareProtectionPlan:MalwareProtectionPlan"
PLAN_PRINCIPAL = "malware-protection-plan.guardduty.amazonaws.com"
"""The service principal that assumes a plan's role (GUARDDUTY_MALWARE_PLAN_PRINCIPAL)."""
MANAGED_RULE_PREFIX = "DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3"
"""The EventBridge rules GuardDuty creates and manages for a plan."""
VALIDATION_OBJECT = "malware-protection-resource-validation-object"
"""The object a plan writes at the bucket's root to check its access."""
ROLE_DOC = "https://docs.aws.amazon.com/guardduty/latest/ug/malware-protection-s3-iam-policy-prerequisite.html"
