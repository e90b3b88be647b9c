"""sqs-encryption: queued records are encrypted at rest."""

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import KMS_ARN, QUEUE

case = PolicyCase(__file__, QUEUE)


def test_an_unencrypted_queue_is_reported():
    case.reports({"sqsManagedSseEnabled": False}, "dev")


def test_a_queue_with_sqs_managed_encryption_passes():
    case.accepts()


def test_a_queue_with_the_stack_key_passes():
    case.accepts({"sqsManagedSseEnabled": False, "kmsMasterKeyId": KMS_ARN})
