"""Local Cognito as clients call it: SRP that checks the password, refresh, revocation, sign-out.

Driven with boto3 and pycognito's SRP client over the emulator's AWS endpoint, the way the
Cognito API reference describes each call; Amplify JS's view of the same is in
`test_amplify_client.py`.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import aiohttp
import jwt
import pytest
from botocore.exceptions import ClientError
from moto.utilities.utils import load_resource
from pycognito.aws_srp import AWSSRP

from emulator.cognito.keys import SIGNING_KEY_FILE
from emulator.demo import DEMO_PASSWORD, create_user
from tests.e2e.clients import cognito_client

pytestmark = pytest.mark.e2e

LIST_ROOMS = "{ listPublicRooms(limit: 1) { items { roomId } } }"


@pytest.fixture
def person(outputs: dict[str, Any]) -> str:
    """A fresh user, so that signing out touches nobody else's sessions."""
    email = f"person-{uuid.uuid4().hex[:10]}@example.com"
    create_user(cognito_client(outputs), outputs["userPoolId"], email, DEMO_PASSWORD, ("User",))
    return email


def srp_sign_in(outputs: dict[str, Any], email: str, password: str) -> dict[str, Any]:
    srp = AWSSRP(
        username=email,
        password=password,
        pool_id=outputs["userPoolId"],
        client_id=outputs["userPoolClientId"],
        client=cognito_client(outputs),
    )
    return srp.authenticate_user()["AuthenticationResult"]


def error_code(error: ClientError) -> str:
    return error.response["Error"]["Code"]


async def graphql_status(outputs: dict[str, Any], token: str) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            outputs["graphqlUrl"], json={"query": LIST_ROOMS}, headers={"Authorization": token}
        ) as reply,
    ):
        return reply.status


def test_srp_with_the_right_password_gives_tokens_the_api_accepts(outputs, person):
    tokens = srp_sign_in(outputs, person, DEMO_PASSWORD)
    claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert claims["email"] == person
    assert {"IdToken", "AccessToken", "RefreshToken"} <= set(tokens)


def test_srp_with_a_wrong_password_is_refused(outputs, person):
    with pytest.raises(ClientError) as refused:
        srp_sign_in(outputs, person, DEMO_PASSWORD + "x")
    assert error_code(refused.value) == "NotAuthorizedException"
    assert refused.value.response["Error"]["Message"] == "Incorrect username or password."


@pytest.mark.parametrize("flow", ["srp", "password"])
def test_an_unknown_user_is_told_the_same_as_a_wrong_password(outputs, flow):
    """The app client prevents user-existence errors, as the deployed one does."""
    nobody = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
    with pytest.raises(ClientError) as refused:
        if flow == "srp":
            srp_sign_in(outputs, nobody, DEMO_PASSWORD)
        else:
            cognito_client(outputs).initiate_auth(
                ClientId=outputs["userPoolClientId"],
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": nobody, "PASSWORD": DEMO_PASSWORD},
            )
    assert error_code(refused.value) == "NotAuthorizedException"
    assert refused.value.response["Error"]["Message"] == "Incorrect username or password."


def test_an_srp_challenge_answers_only_once(outputs, person):
    cognito = cognito_client(outputs)
    srp = AWSSRP(
        username=person,
        password=DEMO_PASSWORD,
        pool_id=outputs["userPoolId"],
        client_id=outputs["userPoolClientId"],
        client=cognito,
    )
    challenge = cognito.initiate_auth(
        ClientId=outputs["userPoolClientId"],
        AuthFlow="USER_SRP_AUTH",
        AuthParameters=srp.get_auth_params(),
    )
    answer = srp.process_challenge(challenge["ChallengeParameters"], srp.get_auth_params())
    first = cognito.respond_to_auth_challenge(
        ClientId=outputs["userPoolClientId"],
        ChallengeName="PASSWORD_VERIFIER",
        ChallengeResponses=answer,
    )
    assert "AuthenticationResult" in first
    with pytest.raises(ClientError) as replayed:
        cognito.respond_to_auth_challenge(
            ClientId=outputs["userPoolClientId"],
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=answer,
        )
    assert error_code(replayed.value) == "NotAuthorizedException"


async def test_get_tokens_from_refresh_token_renews_both_tokens(outputs, person):
    tokens = srp_sign_in(outputs, person, DEMO_PASSWORD)
    renewed = cognito_client(outputs).get_tokens_from_refresh_token(
        ClientId=outputs["userPoolClientId"], RefreshToken=tokens["RefreshToken"]
    )["AuthenticationResult"]
    assert renewed["AccessToken"] != tokens["AccessToken"]
    assert renewed["TokenType"] == "Bearer"
    first = jwt.decode(tokens["AccessToken"], options={"verify_signature": False})
    again = jwt.decode(renewed["AccessToken"], options={"verify_signature": False})
    assert again["sub"] == first["sub"]
    assert again["origin_jti"] == first["origin_jti"]
    assert await graphql_status(outputs, renewed["IdToken"]) == 200
    assert await graphql_status(outputs, renewed["AccessToken"]) == 200


def test_a_refresh_token_works_only_for_the_client_it_was_issued_to(outputs, person):
    cognito = cognito_client(outputs)
    tokens = srp_sign_in(outputs, person, DEMO_PASSWORD)
    other = cognito.create_user_pool_client(
        UserPoolId=outputs["userPoolId"],
        ClientName=f"other-{uuid.uuid4().hex[:6]}",
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
    )["UserPoolClient"]["ClientId"]
    for call in (
        lambda: cognito.get_tokens_from_refresh_token(
            ClientId=other, RefreshToken=tokens["RefreshToken"]
        ),
        lambda: cognito.initiate_auth(
            ClientId=other,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        ),
    ):
        with pytest.raises(ClientError) as refused:
            call()
        assert error_code(refused.value) == "NotAuthorizedException"


def test_revoke_token_ends_the_refresh_token_and_its_access_tokens(outputs, person):
    cognito = cognito_client(outputs)
    client_id = outputs["userPoolClientId"]
    tokens = srp_sign_in(outputs, person, DEMO_PASSWORD)
    parallel = srp_sign_in(outputs, person, DEMO_PASSWORD)
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["UserAttributes"]

    cognito.revoke_token(ClientId=client_id, Token=tokens["RefreshToken"])

    with pytest.raises(ClientError) as refresh:
        cognito.get_tokens_from_refresh_token(
            ClientId=client_id, RefreshToken=tokens["RefreshToken"]
        )
    assert error_code(refresh.value) == "NotAuthorizedException"
    assert refresh.value.response["Error"]["Message"] == "Refresh Token has been revoked"
    with pytest.raises(ClientError) as get_user:
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert error_code(get_user.value) == "NotAuthorizedException"
    # Another session of the same user is not touched (Cognito: "Revoking tokens").
    assert cognito.get_user(AccessToken=parallel["AccessToken"])["UserAttributes"]
    cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=parallel["RefreshToken"])
    # Revoking again is not an error.
    cognito.revoke_token(ClientId=client_id, Token=tokens["RefreshToken"])


def test_revoke_token_takes_only_refresh_tokens(outputs, person):
    tokens = srp_sign_in(outputs, person, DEMO_PASSWORD)
    with pytest.raises(ClientError) as refused:
        cognito_client(outputs).revoke_token(
            ClientId=outputs["userPoolClientId"], Token=tokens["AccessToken"]
        )
    assert error_code(refused.value) == "UnsupportedTokenTypeException"


def test_global_sign_out_ends_every_session_of_the_user(outputs, person):
    cognito = cognito_client(outputs)
    client_id = outputs["userPoolClientId"]
    # SRP sessions are opened under the user's id, password sign-ins under the e-mail.
    by_srp = srp_sign_in(outputs, person, DEMO_PASSWORD)
    by_password = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": person, "PASSWORD": DEMO_PASSWORD},
    )["AuthenticationResult"]

    cognito.global_sign_out(AccessToken=by_srp["AccessToken"])

    for session in (by_srp, by_password):
        with pytest.raises(ClientError) as refused:
            cognito.initiate_auth(
                ClientId=client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": session["RefreshToken"]},
            )
        assert error_code(refused.value) == "NotAuthorizedException"
        with pytest.raises(ClientError):
            cognito.get_user(AccessToken=session["AccessToken"])


async def test_the_jwks_holds_the_emulators_key_not_motos(outputs, emulator):
    url = f"{outputs['awsEndpoint']}/{outputs['userPoolId']}/.well-known/jwks.json"
    async with aiohttp.ClientSession() as session, session.get(url) as reply:
        jwks = await reply.json()
    moto_public = load_resource("cognitoidp/resources/jwks-public.json")
    served = [key["n"] for key in jwks["keys"]]
    assert served and all(n not in [k["n"] for k in moto_public["keys"]] for n in served)
    signing_key = emulator.outputs_file.parent / SIGNING_KEY_FILE
    assert signing_key.stat().st_mode & 0o777 == 0o600
    assert [key["kid"] for key in jwks["keys"]] != ["dummy"]


async def test_a_token_signed_with_motos_shipped_key_is_refused(outputs, users):
    claims = jwt.decode(users.token("carol"), options={"verify_signature": False})
    claims["cognito:groups"] = ["Admin"]
    moto_key = jwt.algorithms.RSAAlgorithm.from_jwk(
        json.dumps(load_resource("cognitoidp/resources/jwks-private.json"))
    )
    jwks_url = f"{outputs['awsEndpoint']}/{outputs['userPoolId']}/.well-known/jwks.json"
    async with aiohttp.ClientSession() as session, session.get(jwks_url) as reply:
        our_kid = (await reply.json())["keys"][0]["kid"]
    for kid in ("dummy", our_kid):
        forged = jwt.encode(claims, moto_key, algorithm="RS256", headers={"kid": kid})
        assert await graphql_status(outputs, forged) == 401, kid
