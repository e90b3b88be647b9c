"""Bedrock is invoked on named models only, and only for inference."""

from pulumi_policy import Severity

from .._support import as_list, resource_policy
from . import POLICY_TYPES, actions, allow_statements

ALLOWED_ACTIONS = frozenset({"bedrock:InvokeModel", "bedrock:ApplyGuardrail"})
"""Converse is authorized by bedrock:InvokeModel; a guardrail in the request needs
bedrock:ApplyGuardrail on that guardrail. Nothing else of Bedrock is for the chat."""
MODEL_KINDS = ("foundation-model/", "inference-profile/", "guardrail/")


def _resource_problem(resource: str, statement) -> str | None:
    if resource == "*" or not resource.startswith("arn:aws"):
        return f"Resource {resource!r} is not a Bedrock model, inference profile or guardrail ARN"
    kind_and_id = resource.split(":", 5)[-1]
    kind = next((k for k in MODEL_KINDS if kind_and_id.startswith(k)), None)
    if kind is None:
        return f"Resource {resource!r} is not a model, inference profile or guardrail"
    identifier = kind_and_id[len(kind) :]
    if not identifier or "*" in identifier or "?" in identifier:
        return f"Resource {resource!r} names no single model (wildcard id)"
    region = resource.split(":")[3]
    if "*" in region:
        conditions = (statement.get("Condition") or {}).get("StringEquals") or {}
        if kind != "foundation-model/" or "bedrock:InferenceProfileArn" not in conditions:
            return (
                f"Resource {resource!r} spans every Region without the condition "
                "bedrock:InferenceProfileArn (only a cross-Region profile may reach other Regions)"
            )
    return None


def _check(args):
    for statement in allow_statements(args.props):
        bedrock = [a for a in actions(statement) if a.lower().startswith("bedrock:") or a == "*"]
        if not bedrock:
            continue
        extra = sorted(set(bedrock) - ALLOWED_ACTIONS)
        if extra:
            yield f"statement allows {extra}; the chat needs only {sorted(ALLOWED_ACTIONS)}."
        for resource in as_list(statement.get("Resource")):
            problem = _resource_problem(str(resource), statement)
            if problem:
                yield problem + "."


POLICY = resource_policy(
    name="iam-bedrock-invoke-scoped",
    description=(
        "A role that may invoke any Bedrock model can run up any model's bill and bypass the "
        "configured guardrail; the assistant may invoke only the model the stack names."
    ),
    resource_types=POLICY_TYPES,
    checks="Bedrock statements allow InvokeModel/ApplyGuardrail on named models only",
    remediation=(
        "grant bedrock:InvokeModel on the configured foundation-model or inference-profile ARN "
        "(components/ai_permissions.py); a profile's foundation model in other Regions only "
        "with the condition bedrock:InferenceProfileArn."
    ),
    check=_check,
    severity=Severity.HIGH,
    tags=("least-privilege", "cost"),
    link="https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html",
)
