"""Production data stores and keys carry Pulumi's `protect` option."""

from pulumi_policy import Severity

from .._support import lacks_protect, resource_policy
from ..environment import is_prod

STATEFUL_TYPES = (
    "aws:opensearch/domain:Domain",
    "aws:kms/key:Key",
    "aws:sqs/queue:Queue",
)


def _check(args):
    if is_prod(args) and lacks_protect(args):
        yield "the resource option protect is not set on a production data store or key."


POLICY = resource_policy(
    name="prod-stateful-protected",
    description=(
        "A rename or a refactor that replaces the search domain, the KMS key or the "
        "dead-letter queue destroys data (or makes it unreadable); protect blocks that."
    ),
    resource_types=STATEFUL_TYPES,
    checks="production data stores and keys are protected",
    remediation=(
        "pass opts=ResourceOptions(protect=True, retain_on_delete=True) on prod (stack "
        "setting retainOnDelete)."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("deletion",),
    link="https://www.pulumi.com/docs/iac/concepts/options/protect/",
)
