"""Data actions name the tables, queues, keys and domains they touch."""

from .._support import as_list, resource_policy
from . import POLICY_TYPES, actions, allow_statements

DATA_SERVICES = frozenset(
    {"dynamodb", "es", "sqs", "s3", "kms", "sns", "cognito-idp", "secretsmanager", "lambda"}
)


def _check(args):
    for statement in allow_statements(args.props):
        if "*" not in as_list(statement.get("Resource")):
            continue
        data = sorted({a for a in actions(statement) if a.split(":", 1)[0] in DATA_SERVICES})
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
)
