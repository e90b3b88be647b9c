"""The IAM statements of the backends that reach AI services and the stack's own API,
generated from the settings and the spec, never written per stack.

- Bedrock: `bedrock:InvokeModel` (the action Converse is authorized by) on exactly the
  configured model. A foundation model id gives its ARN in the stack's Region. A
  system-defined (cross-Region) inference profile gives the profile's ARN, plus the
  foundation model in every Region, but only when invoked through that profile
  (condition `bedrock:InferenceProfileArn`): a profile routes requests to other Regions
  of its geography, and the role must be allowed the model there too (BEDROCK_PROFILE_DOC).
  A configured guardrail adds `bedrock:ApplyGuardrail` on that guardrail only.
  With a guardrail, every InvokeModel statement also requires it
  (`bedrock:GuardrailIdentifier` = `<guardrail arn>:<version>`, BEDROCK_GUARDRAIL_DOC),
  so the role cannot call the model without the guardrail.
- Comprehend: `comprehend:DetectToxicContent`, whose only resource is `*` (its service
  authorization reference lists no resource type for the detect operations).
- The API: `appsync:GraphQL` on the fields the function calls (`api_fields`), e.g.
  `<api arn>/types/Mutation/fields/postSystemMessage`, nothing else of the API.

Plain Python (no pulumi): the components apply it to resolved values, tests call it.
"""

from __future__ import annotations

from typing import Any

from stacksettings.settings import AssistantSettings

BEDROCK_PROFILE_DOC = (
    "https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html"
)
BEDROCK_GUARDRAIL_DOC = (
    "https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-id.html"
)
COMPREHEND_ACTIONS_DOC = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html"
)
INVOKE = "bedrock:InvokeModel"
APPLY_GUARDRAIL = "bedrock:ApplyGuardrail"
DETECT_TOXIC = "comprehend:DetectToxicContent"


def model_arn(assistant: AssistantSettings, region: str, account: str) -> str:
    if assistant.inference_profile:
        return f"arn:aws:bedrock:{region}:{account}:inference-profile/{assistant.model_id}"
    return f"arn:aws:bedrock:{region}::foundation-model/{assistant.model_id}"


def guardrail_arn(assistant: AssistantSettings, region: str, account: str) -> str:
    return f"arn:aws:bedrock:{region}:{account}:guardrail/{assistant.guardrail_id}"


def bedrock_statements(
    assistant: AssistantSettings, region: str, account: str
) -> list[dict[str, Any]]:
    invoked = model_arn(assistant, region, account)
    required: dict[str, str] = {}
    if assistant.guardrail_id:
        guardrail = guardrail_arn(assistant, region, account)
        required["bedrock:GuardrailIdentifier"] = f"{guardrail}:{assistant.guardrail_version}"
    model: dict[str, Any] = {"Sid": "InvokeTheConfiguredModel", "Effect": "Allow"}
    model["Action"] = [INVOKE]
    model["Resource"] = invoked
    if required:
        model["Condition"] = {"StringEquals": dict(required)}
    statements: list[dict[str, Any]] = [model]
    if assistant.inference_profile:
        statements.append(
            {
                "Sid": "TheModelThroughTheProfileOnly",
                "Effect": "Allow",
                "Action": [INVOKE],
                "Resource": f"arn:aws:bedrock:*::foundation-model/{assistant.foundation_model_id}",
                "Condition": {"StringEquals": {"bedrock:InferenceProfileArn": invoked, **required}},
            }
        )
    if assistant.guardrail_id:
        statements.append(
            {
                "Sid": "TheConfiguredGuardrail",
                "Effect": "Allow",
                "Action": [APPLY_GUARDRAIL],
                "Resource": guardrail_arn(assistant, region, account),
            }
        )
    return statements


def comprehend_statement() -> dict[str, Any]:
    return {"Effect": "Allow", "Action": [DETECT_TOXIC], "Resource": "*"}


def api_statement(api_arn: str, fields: tuple[str, ...]) -> dict[str, Any]:
    resources = []
    for field in fields:
        type_name, field_name = field.split(".")
        resources.append(f"{api_arn}/types/{type_name}/fields/{field_name}")
    return {"Effect": "Allow", "Action": ["appsync:GraphQL"], "Resource": resources}
