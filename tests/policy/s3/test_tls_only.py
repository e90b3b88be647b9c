"""s3-tls-only: the bucket policy denies requests made without TLS."""

import json

from tests.policy.policy_case import PolicyCase
from tests.policy.resources import BUCKET_POLICY, TLS_ONLY

case = PolicyCase(__file__, BUCKET_POLICY)


def test_a_policy_without_the_deny_is_reported():
    allow_only = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}
    case.reports({"policy": json.dumps(allow_only)})


def test_a_deny_that_only_covers_tls_true_is_reported():
    wrong = json.loads(TLS_ONLY)
    wrong["Statement"][0]["Condition"] = {"Bool": {"aws:SecureTransport": "true"}}
    case.reports({"policy": json.dumps(wrong)})


def test_the_tls_only_statement_passes():
    case.accepts()
