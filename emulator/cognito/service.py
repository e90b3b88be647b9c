"""Local Cognito: the user-pool calls a client makes, answered as Cognito answers them.

A WSGI middleware in front of moto on the emulated AWS endpoint. moto keeps the users,
groups, clients and sessions; this layer takes over what moto 5.2.5 gets wrong or lacks
for the calls Amplify JS, pycognito and the AWS SDKs make:

- `InitiateAuth` USER_SRP_AUTH + `RespondToAuthChallenge` PASSWORD_VERIFIER: moto sends
  random SRP values and any password signs in; here real SRP-6a (`srp.py`), and a wrong
  password gets `NotAuthorizedException`.
- `GetTokensFromRefreshToken`: missing in moto (HTTP 500); here new ID and access tokens,
  as REFRESH_TOKEN_AUTH gives them.
- `InitiateAuth` REFRESH_TOKEN_AUTH: moto accepts another client's refresh token; here it
  is refused unless issued to that client, and once revoked.
- `RevokeToken`: missing in moto; here the refresh token and the tokens it produced stop
  working.
- `GlobalSignOut`, `AdminUserGlobalSignOut`: moto ends only the sessions opened with the
  same user-name spelling; here every session of the user.
- `/<pool>/.well-known/jwks.json`: moto serves its shipped public key; here the emulator's.
- `ConfirmSignUp`, `AdminConfirmSignUp`: moto has no Lambda triggers; here a confirmation
  that succeeds invokes the pool's PostConfirmation trigger (the same artifact Lambda the
  stack deploys, `set_trigger`) with Cognito's event (`triggerSource`
  `PostConfirmation_ConfirmSignUp`, `request.userAttributes`), after moto's lock is
  released; a trigger that fails makes the call fail with `UnexpectedLambdaException`,
  the user staying confirmed, as Cognito documents for ConfirmSignUp.
- With the app client's `PreventUserExistenceErrors` (as deployed), an unknown user gets
  `NotAuthorizedException` like a wrong password, not moto's `UserNotFoundException`
  (Cognito fails SRP for an unknown user one step later, at the password verifier).

Tokens are signed with the emulator's own key (`moto_internals.sign_tokens_with`), so one
minted with the key inside the moto package is refused by the API. Cognito's documented
semantics: the API reference pages of each action
(https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html,
`API_GetTokensFromRefreshToken.html`, `API_GlobalSignOut.html`) and "Revoking tokens"
(https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html): a revoked
refresh token cannot refresh and the access tokens it produced fail in Cognito's APIs,
though a JWT check of signature and expiry (what AppSync does) accepts them until they expire.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from emulator.cognito import moto_internals as moto
from emulator.cognito.keys import SigningKey
from emulator.cognito.srp import ServerChallenge, SrpError
from emulator.moto_internals import MOTO_LOCK

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
CHALLENGE_LIFETIME_SECONDS = 180
"""Sign-in sessions last three minutes, the default `AuthSessionValidity` of an app client
(https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html)."""

_JWKS_PATH = re.compile(r"^/(?P<pool>[\w-]+_[0-9A-Za-z]+)/\.well-known/jwks\.json$")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Environ = dict[str, Any]
Json = dict[str, Any]


class CognitoError(Exception):
    """An error reply in Cognito's JSON shape (`__type`, `message`), HTTP 400."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass
class PendingChallenge:
    moto_session: str
    challenge: ServerChallenge
    expires_at: float


@dataclass
class Reply:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    after: Callable[[], None] | None = None
    """Runs once moto's lock is released (a Lambda trigger calls back into moto)."""

    def json(self) -> dict[str, Any]:
        return json.loads(self.body or b"{}")


class LocalCognito:
    """The middleware; `account_id`/`region` locate moto's backend, `pool_id` our pool."""

    def __init__(
        self, app: WsgiApp, account_id: str, region: str, pool_id: str, key: SigningKey
    ) -> None:
        self.app = app
        self.account_id = account_id
        self.region = region
        self.pool_id = pool_id
        self.key = key
        self._challenges: dict[str, PendingChallenge] = {}
        self._lock = MOTO_LOCK
        self._handlers: dict[str, Callable[[dict[str, Any], dict[str, Any]], Reply]] = {
            "InitiateAuth": self._initiate_auth,
            "RespondToAuthChallenge": self._respond_to_auth_challenge,
            "GetTokensFromRefreshToken": self._get_tokens_from_refresh_token,
            "RevokeToken": self._revoke_token,
            "GlobalSignOut": self._global_sign_out,
            "AdminUserGlobalSignOut": self._admin_user_global_sign_out,
            "ConfirmSignUp": self._confirm_sign_up,
            "AdminConfirmSignUp": self._admin_confirm_sign_up,
        }
        self._triggers: dict[str, Callable[[dict[str, Any]], Any]] = {}

    def set_trigger(self, name: str, invoke: Callable[[dict[str, Any]], Any]) -> None:
        """`invoke(event)` runs the Lambda the pool names for trigger `name`."""
        self._triggers[name] = invoke

    # -- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        jwks = _JWKS_PATH.match(path)
        if environ.get("REQUEST_METHOD") == "GET" and jwks and jwks["pool"] == self.pool_id:
            return self._respond(
                start_response,
                environ,
                Reply(
                    "200 OK",
                    [("Content-Type", "application/json")],
                    json.dumps(self.key.jwks()).encode(),
                ),
            )
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        action = target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else ""
        handler = self._handlers.get(action)
        if environ.get("REQUEST_METHOD") != "POST" or handler is None:
            return self.app(environ, start_response)
        body = _read_body(environ)
        try:
            request = json.loads(body or b"{}")
            if not isinstance(request, dict):
                raise ValueError
        except ValueError:
            reply = _error_reply(CognitoError("SerializationException", "Malformed JSON body."))
        else:
            with self._lock:
                try:
                    reply = handler(environ, request)
                except CognitoError as error:
                    reply = _error_reply(error)
            if reply.after is not None:
                try:
                    reply.after()
                except Exception as error:
                    reply = _error_reply(
                        CognitoError(
                            "UnexpectedLambdaException",
                            f"PostConfirmation failed with error {error}.",
                        )
                    )
        return self._respond(start_response, environ, reply)

    @staticmethod
    def _respond(start_response: Callable, environ: dict[str, Any], reply: Reply) -> list[bytes]:
        headers = [h for h in reply.headers if h[0].lower() != "content-length"]
        headers.append(("Content-Length", str(len(reply.body))))
        if environ.get("HTTP_ORIGIN") and not any(
            h[0].lower() == "access-control-allow-origin" for h in headers
        ):
            headers.append(("Access-Control-Allow-Origin", "*"))
        start_response(reply.status, headers)
        return [reply.body]

    def _forward(self, environ: dict[str, Any], request: dict[str, Any], action: str) -> Reply:
        """Call moto with `request` as the body of `action`, and capture its reply."""
        body = json.dumps(request).encode()
        forwarded = dict(environ)
        forwarded["wsgi.input"] = io.BytesIO(body)
        forwarded["CONTENT_LENGTH"] = str(len(body))
        forwarded["HTTP_X_AMZ_TARGET"] = TARGET_PREFIX + action
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None) -> None:
            captured["status"], captured["headers"] = status, list(headers)

        chunks = b"".join(self.app(forwarded, start_response))
        return Reply(captured["status"], captured["headers"], chunks)

    # -- helpers ------------------------------------------------------------------------

    def _pool_for_client(self, client_id: Any) -> Any:
        pool = moto.pool_of_client(self.account_id, self.region, str(client_id or ""))
        if pool is None:
            raise CognitoError(
                "ResourceNotFoundException", f"User pool client {client_id} does not exist."
            )
        return pool

    def _check_refresh_token(self, pool: Any, client_id: str, token: Any) -> None:
        record = moto.refresh_token_record(pool, str(token or ""))
        if record is moto.NOT_ISSUED or (record and record[0] != client_id):
            raise CognitoError("NotAuthorizedException", "Invalid Refresh Token")
        if record is None:
            raise CognitoError("NotAuthorizedException", "Refresh Token has been revoked")

    def _expire_challenges(self) -> None:
        now = time.monotonic()
        for block, pending in list(self._challenges.items()):
            if pending.expires_at < now:
                del self._challenges[block]

    # -- actions ------------------------------------------------------------------------

    def _initiate_auth(self, environ: Environ, request: Json) -> Reply:
        flow = request.get("AuthFlow")
        parameters = request.get("AuthParameters") or {}
        pool = self._pool_for_client(request.get("ClientId"))
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            self._check_refresh_token(pool, request["ClientId"], parameters.get("REFRESH_TOKEN"))
            return self._forward(environ, request, "InitiateAuth")
        reply = self._forward(environ, request, "InitiateAuth")
        if not reply.status.startswith("200"):
            return self._hide_unknown_user(pool, str(request["ClientId"]), reply)
        if flow != "USER_SRP_AUTH":
            return reply
        answer = reply.json()
        if answer.get("ChallengeName") != "PASSWORD_VERIFIER":
            return reply
        params = answer["ChallengeParameters"]
        user = moto.find_user(pool, params["USER_ID_FOR_SRP"])
        try:
            challenge = ServerChallenge.start(
                pool.id, params["USER_ID_FOR_SRP"], moto.password_of(user), parameters["SRP_A"]
            )
        except SrpError as error:
            raise CognitoError("InvalidParameterException", str(error)) from None
        secret_block = base64.b64encode(os.urandom(96)).decode()
        self._expire_challenges()
        self._challenges[secret_block] = PendingChallenge(
            params["SECRET_BLOCK"], challenge, time.monotonic() + CHALLENGE_LIFETIME_SECONDS
        )
        params.update(SALT=challenge.salt_hex, SRP_B=challenge.srp_b_hex, SECRET_BLOCK=secret_block)
        return _json_reply(answer)

    @staticmethod
    def _hide_unknown_user(pool: Any, client_id: str, reply: Reply) -> Reply:
        """With PreventUserExistenceErrors, an unknown user looks like a wrong password."""
        try:
            unknown = reply.json().get("__type") == "UserNotFoundException"
        except ValueError:
            return reply
        if unknown and moto.prevents_user_existence_errors(pool, client_id):
            return _error_reply(
                CognitoError("NotAuthorizedException", "Incorrect username or password.")
            )
        return reply

    def _respond_to_auth_challenge(self, environ: Environ, request: Json) -> Reply:
        if request.get("ChallengeName") != "PASSWORD_VERIFIER":
            return self._forward(environ, request, "RespondToAuthChallenge")
        responses = dict(request.get("ChallengeResponses") or {})
        secret_block = str(responses.get("PASSWORD_CLAIM_SECRET_BLOCK") or "")
        self._expire_challenges()
        pending = self._challenges.pop(secret_block, None)
        if pending is None:
            raise CognitoError(
                "NotAuthorizedException", "Invalid session for the user, session is expired."
            )
        pool = self._pool_for_client(request.get("ClientId"))
        named = moto.find_user(pool, str(responses.get("USERNAME") or ""))
        if named is None or moto.user_id_of(named) != pending.challenge.user_id:
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        try:
            valid = pending.challenge.verify(
                str(responses.get("PASSWORD_CLAIM_SIGNATURE") or ""),
                secret_block,
                str(responses.get("TIMESTAMP") or ""),
            )
        except ValueError:
            valid = False
        if not valid:
            raise CognitoError("NotAuthorizedException", "Incorrect username or password.")
        responses["PASSWORD_CLAIM_SECRET_BLOCK"] = pending.moto_session
        answered = {**request, "ChallengeResponses": responses}
        return self._forward(environ, answered, "RespondToAuthChallenge")

    def _get_tokens_from_refresh_token(self, environ: Environ, request: Json) -> Reply:
        client_id = request.get("ClientId")
        pool = self._pool_for_client(client_id)
        self._check_refresh_token(pool, str(client_id), request.get("RefreshToken"))
        parameters = {"REFRESH_TOKEN": request["RefreshToken"]}
        if request.get("ClientSecret"):
            parameters["SECRET_HASH"] = request["ClientSecret"]
        reply = self._forward(
            environ,
            {"ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": parameters},
            "InitiateAuth",
        )
        if not reply.status.startswith("200"):
            return reply
        return _json_reply({"AuthenticationResult": reply.json()["AuthenticationResult"]})

    def _revoke_token(self, environ: Environ, request: Json) -> Reply:
        client_id = str(request.get("ClientId") or "")
        token = str(request.get("Token") or "")
        if not client_id or not token:
            raise CognitoError("InvalidParameterException", "ClientId and Token are required.")
        pool = self._pool_for_client(client_id)
        if not moto.token_revocation_enabled(pool, client_id):
            raise CognitoError(
                "UnsupportedOperationException",
                "Token revocation is not enabled for this app client.",
            )
        if token.count(".") == 2:
            raise CognitoError(
                "UnsupportedTokenTypeException", "Only refresh tokens can be revoked."
            )
        record = moto.refresh_token_record(pool, token)
        if record and record is not moto.NOT_ISSUED:
            if record[0] != client_id:
                raise CognitoError(
                    "UnauthorizedException", "The token was not issued to this client."
                )
            moto.revoke_refresh_token(pool, token)
        return _json_reply({})

    def _global_sign_out(self, environ: Environ, request: Json) -> Reply:
        token = str(request.get("AccessToken") or "")
        for pool in moto.backend(self.account_id, self.region).user_pools.values():
            owner = moto.access_token_owner(pool, token)
            if owner is not None:
                user = moto.find_user(pool, owner[1])
                moto.sign_out_everywhere(pool, moto.user_id_of(user))
                return _json_reply({})
        raise CognitoError("NotAuthorizedException", "Access Token has been revoked")

    def _admin_user_global_sign_out(self, environ: Environ, request: Json) -> Reply:
        reply = self._forward(environ, request, "AdminUserGlobalSignOut")
        if reply.status.startswith("200"):
            pool = moto.user_pool(self.account_id, self.region, request["UserPoolId"])
            user = moto.find_user(pool, request["Username"])
            moto.sign_out_everywhere(pool, moto.user_id_of(user))
        return reply

    def _confirm_sign_up(self, environ: Environ, request: Json) -> Reply:
        pool = self._pool_for_client(request.get("ClientId"))
        reply = self._forward(environ, request, "ConfirmSignUp")
        return self._post_confirmation(reply, pool, request, request.get("ClientId"))

    def _admin_confirm_sign_up(self, environ: Environ, request: Json) -> Reply:
        reply = self._forward(environ, request, "AdminConfirmSignUp")
        if not reply.status.startswith("200"):
            return reply
        pool = moto.user_pool(self.account_id, self.region, request["UserPoolId"])
        return self._post_confirmation(reply, pool, request, None)

    def _post_confirmation(self, reply: Reply, pool: Any, request: Json, client_id: Any) -> Reply:
        """After a successful confirmation: Cognito's PostConfirmation event, to be sent
        once the lock is released."""
        invoke = self._triggers.get("PostConfirmation")
        if invoke is None or not reply.status.startswith("200"):
            return reply
        username = str(request.get("Username") or "")
        # Names reach moto folded to lower case (`aws_backend.CaseInsensitiveUserNames`).
        user = moto.find_user(pool, username) or moto.find_user(pool, username.lower())
        if user is None:
            return reply
        attributes = moto.attributes_of(user)
        attributes["cognito:user_status"] = moto.status_of(user)
        event = {
            "version": "1",
            "region": self.region,
            "userPoolId": pool.id,
            "userName": moto.username_of(user),
            "callerContext": {
                "awsSdkVersion": "local",
                "clientId": client_id or "CLIENT_ID_NOT_APPLICABLE",
            },
            "triggerSource": "PostConfirmation_ConfirmSignUp",
            "request": {
                "userAttributes": attributes,
                "clientMetadata": dict(request.get("ClientMetadata") or {}),
            },
            "response": {},
        }
        reply.after = lambda: invoke(event)
        return reply


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _json_reply(document: dict[str, Any]) -> Reply:
    return Reply(
        "200 OK",
        [("Content-Type", "application/x-amz-json-1.1")],
        json.dumps(document).encode(),
    )


def _error_reply(error: CognitoError) -> Reply:
    return Reply(
        "400 Bad Request",
        [
            ("Content-Type", "application/x-amz-json-1.1"),
            ("x-amzn-ErrorType", f"{error.error_type}:"),
            ("x-amzn-ErrorMessage", error.message),
        ],
        json.dumps({"__type": error.error_type, "message": error.message}).encode(),
    )
