"""s3-customer-managed-encryption: default encryption; the stack's KMS key in prod."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import BUCKET_ENCRYPTION

case = PolicyCase(__file__, BUCKET_ENCRYPTION)
S3_MANAGED = {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}


def test_prod_with_s3_managed_keys_is_reported():
    case.reports(S3_MANAGED)


def test_no_rule_is_reported_everywhere():
    case.reports({"rules": []}, stack="dev")


def test_prod_with_the_stack_key_and_dev_with_s3_keys_pass():
    case.accepts()
    case.accepts(S3_MANAGED, stack="dev")
