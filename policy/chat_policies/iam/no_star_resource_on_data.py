"""Data actions name the tables, queues, keys and domains they touch."""

from pulumi_policy import Severity

from .._support import as_list, resource_policy
from . import POLICY_TYPES, actions, allow_statements

# Actions whose only possible resource is "*" (DynamoDB's service authorization reference:
# ListStreams takes no resource ARN); granting them on "*" is the least privilege there is.
WILDCARD_ONLY_ACTIONS = frozenset({"dynamodb:ListStreams"})
WILDCARD_ONLY_DOC = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html"
)
DATA_SERVICES = frozenset(
    {"dynamodb", "es", "sqs", "s3", "kms", "sns", "cognito-idp", "secretsmanager", "lambda"}
)


def _check(args):
    for statement in allow_statements(args.props):
        if "*" not in as_list(statement.get("Resource")):
            continue
        data = sorted(
            {
                a
                for a in actions(statement)
                if a.split(":", 1)[0] in DATA_SERVICES and a not in WILDCARD_ONLY_ACTIONS
            }
        )
        if data:
            yield f'statement allows {data} on Resource "*".'


POLICY = resource_policy(
    name="iam-no-star-resource-on-data-actions",
    description=(
        "A data action on Resource * reaches every table, queue and key in the account, "
        "including other stacks'; least privilege names the ARNs."
    ),
    resource_types=POLICY_TYPES,
    checks="data actions are scoped to named resources",
    remediation=(
        "list the table and index ARNs (<table arn>/index/<name>), queue, key or domain ARNs "
        "in Resource."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("least-privilege",),
    link="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
)
