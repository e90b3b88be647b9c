"""Profiles in the stack: the users Lambda is the user pool's post-confirmation trigger
(only that pool may invoke it) and the API's UsersLambda data source, one function."""

from __future__ import annotations

import chatspec
from chatspec.aws_limits import COGNITO_TRIGGER_TIMEOUT
from components.naming import function_name

FUNCTION = "aws:lambda/function:Function"


def users_function(run, prefix: str):
    [found] = [
        f for f in run.of_type(FUNCTION) if f.inputs["name"] == function_name(prefix, "users")
    ]
    return found


def test_the_pool_invokes_the_users_lambda_after_confirmation(stack, settings_of):
    prefix = settings_of[stack.stack].prefix
    function = users_function(stack, prefix)
    pool = stack.one("aws:cognito/userPool:UserPool")
    assert pool.inputs["lambdaConfig"] == {"postConfirmation": function.state["arn"]}
    [permission] = [
        p
        for p in stack.of_type("aws:lambda/permission:Permission")
        if p.inputs["principal"] == "cognito-idp.amazonaws.com"
    ]
    assert permission.inputs["action"] == "lambda:InvokeFunction"
    assert permission.inputs["sourceArn"] == pool.state["arn"]
    assert permission.inputs["function"] == function.state["name"]


def test_the_trigger_answers_within_cognitos_wait_and_sits_outside_the_vpc(stack, settings_of):
    function = users_function(stack, settings_of[stack.stack].prefix)
    assert function.inputs["timeout"] <= COGNITO_TRIGGER_TIMEOUT.value
    assert "vpcConfig" not in function.inputs
    assert chatspec.lambda_function("users").cognito_trigger == "PostConfirmation"
    assert stack.component_of(function).type == "chat:compute:Function"
    assert stack.component_of(stack.component_of(function)).type == "chat:profiles:Profiles"


def test_the_api_data_source_uses_the_same_function(stack, settings_of):
    function = users_function(stack, settings_of[stack.stack].prefix)
    sources = [
        s
        for s in stack.of_type("aws:appsync/dataSource:DataSource")
        if s.inputs.get("type") == "AWS_LAMBDA"
        and s.inputs["lambdaConfig"]["functionArn"] == function.state["arn"]
    ]
    assert len(sources) == 1


def test_batched_fields_deploy_their_max_batch_size(stack):
    resolvers = {
        (r.inputs["type"], r.inputs["field"]): r
        for r in stack.of_type("aws:appsync/resolver:Resolver")
    }
    for spec in chatspec.RESOLVERS:
        recorded = resolvers[(spec.type_name, spec.field_name)]
        if spec.max_batch_size:
            assert recorded.inputs["maxBatchSize"] == spec.max_batch_size
        else:
            assert "maxBatchSize" not in recorded.inputs
    assert resolvers[("Message", "author")].inputs["maxBatchSize"] == 100
