"""What a first deploy needs from the account and what AWS documents for it: the OpenSearch
service-linked role, case-insensitive user names, SES for production mail, encrypted
production logs, confused-deputy conditions on service principals, and the API limits."""

from __future__ import annotations

import json

import pytest

import chatspec
from chatspec.events import PIPES
from stackrun.mocks import ACCOUNT_ID
from stackrun.stack import run_stack
from stacksettings.settings import stack_config
from tests.unit.helpers import as_list

SLR = "aws:iam/serviceLinkedRole:ServiceLinkedRole"
DOMAIN = "aws:opensearch/domain:Domain"
POOL = "aws:cognito/userPool:UserPool"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
REGION = "eu-west-1"


def test_the_program_creates_the_opensearch_role_keeps_it_and_the_domain_waits(stack):
    [role] = stack.of_type(SLR)
    assert role.inputs["awsServiceName"] == "opensearchservice.amazonaws.com"
    assert role.retain_on_delete  # other domains of the account may need it
    assert role.urn in stack.one(DOMAIN).dependencies


def test_an_existing_role_is_looked_up_instead_of_created():
    search = dict(stack_config("dev")["realtime-chat:search"], serviceLinkedRole="existing")
    run = run_stack("dev", {"search": search})
    assert run.of_type(SLR) == []
    assert (
        "aws:iam/getRole:getRole",
        {"name": "AWSServiceRoleForAmazonOpenSearchService"},
    ) in run.invokes
    assert run.of_type(DOMAIN)


def test_user_names_are_case_insensitive_and_dev_mail_is_cognitos(stack):
    pool = stack.one(POOL).inputs
    assert pool["usernameConfiguration"] == {"caseSensitive": False}
    assert pool["emailConfiguration"]["emailSendingAccount"] == "COGNITO_DEFAULT"
    assert "sourceArn" not in pool["emailConfiguration"]


def test_a_stack_with_an_ses_identity_sends_mail_through_it():
    arn = f"arn:aws:ses:{REGION}:{ACCOUNT_ID}:identity/example.com"
    cognito = dict(
        stack_config("prod")["realtime-chat:cognito"],
        sesIdentityArn=arn,
        sesFromAddress="Chat <no-reply@example.com>",
    )
    pool = run_stack("prod", {"cognito": cognito}).one(POOL).inputs
    assert pool["emailConfiguration"] == {
        "emailSendingAccount": "DEVELOPER",
        "sourceArn": arn,
        "fromEmailAddress": "Chat <no-reply@example.com>",
    }


def test_prod_log_groups_use_the_stack_key_and_dev_ones_aws_keys(prod, dev):
    key = prod.one("aws:kms/key:Key").state["arn"]
    groups = prod.of_type(LOG_GROUP)
    assert len(groups) >= 7  # 3 Lambdas, the API, 3 search logs
    assert {g.inputs.get("kmsKeyId") for g in groups} == {key}
    assert all("kmsKeyId" not in g.inputs for g in dev.of_type(LOG_GROUP))


def test_the_key_lets_cloudwatch_logs_and_alarms_in_only_for_this_account(prod):
    policy = json.loads(prod.one("aws:kms/key:Key").inputs["policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    logs = by_sid["CloudWatchLogsEncryptThisAccountsLogGroups"]
    assert logs["Principal"] == {"Service": f"logs.{REGION}.amazonaws.com"}
    assert logs["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group:*"
        }
    }
    alarms = by_sid["AlarmsPublishToEncryptedTopic"]
    assert alarms["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT_ID}
    assert alarms["Condition"]["ArnLike"] == {
        "aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT_ID}:alarm:*"
    }
    for statement in policy["Statement"]:
        if "Service" in statement["Principal"]:
            assert statement.get("Condition"), statement["Sid"]


def test_opensearch_may_write_its_logs_only_for_this_accounts_domain(stack):
    document = json.loads(
        stack.one("aws:cloudwatch/logResourcePolicy:LogResourcePolicy").inputs["policyDocument"]
    )
    [statement] = document["Statement"]
    domain = stack.one(DOMAIN).inputs["domainName"]
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
        "ArnLike": {"aws:SourceArn": f"arn:aws:es:{REGION}:{ACCOUNT_ID}:domain/{domain}"},
    }


@pytest.mark.parametrize("name", ["prod", "dev"])
def test_the_api_takes_its_limits_and_introspection_from_the_settings(runs, settings_of, name):
    api = runs[name].one("aws:appsync/graphQLApi:GraphQLApi").inputs
    settings = settings_of[name]
    assert api["queryDepthLimit"] == settings.appsync_query_depth_limit
    assert api["resolverCountLimit"] == settings.appsync_resolver_count_limit
    assert api["introspectionConfig"] == (
        "ENABLED" if settings.appsync_introspection else "DISABLED"
    )


def test_the_stream_statement_has_stream_actions_and_list_streams_stands_alone(stack):
    documents = [
        json.loads(p.inputs["policy"]) for p in stack.of_type("aws:iam/rolePolicy:RolePolicy")
    ]
    statements = [s for d in documents for s in d["Statement"]]
    listing = [s for s in statements if "dynamodb:ListStreams" in as_list(s["Action"])]
    # each stream Lambda's role (indexer, file check) and each Pipe's: ListStreams always
    # alone, never with a stream ARN
    streamed = [f for f in chatspec.LAMBDAS if f.stream_source]
    assert len(listing) == len(streamed) + len(PIPES) and len(streamed) == 2
    assert all(
        s == {"Action": ["dynamodb:ListStreams"], "Effect": "Allow", "Resource": "*"}
        for s in listing
    )
    readers = [s for s in statements if "dynamodb:GetRecords" in as_list(s["Action"])]
    assert readers, "no role reads the messages stream"
    for stream in readers:
        assert sorted(stream["Action"]) == [
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
        ]
        assert all("/stream/" in arn for arn in as_list(stream["Resource"]))
