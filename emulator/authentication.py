"""Who is calling: Cognito user-pool JWTs and IAM SigV4, checked as AppSync checks them.

AppSync picks the mode from the `Authorization` header itself: a SigV4 header
(`AWS4-HMAC-SHA256 Credential=...`) means IAM, anything else is taken as a user-pool JWT.
JWTs are verified with PyJWT against the emulated Cognito's JWKS (signature), issuer,
app client (`aud` for ID tokens, `client_id` for access tokens) and expiry. SigV4 is
recomputed with botocore's own signer over the request as the client signed it, with
the emulator's one set of backend credentials (`EMULATOR_CREDENTIALS`).

The identity built here is what resolvers see as `$ctx.identity`, in AppSync's shape.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import jwt
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.identity import LOCAL_ACCOUNT, cognito_identity, iam_identity

COGNITO = "AMAZON_COGNITO_USER_POOLS"
IAM = "AWS_IAM"
AuthType = Literal["AMAZON_COGNITO_USER_POOLS", "AWS_IAM"]

ACCOUNT_ID = LOCAL_ACCOUNT
BACKEND_ROLE = "emulator-backend"
EMULATOR_CREDENTIALS = Credentials("AKIAEMULATORLOCAL000", "emulator-local-secret")
"""The only IAM credentials the emulator accepts; also what the in-process Lambdas use."""

SIGNATURE_MAX_SKEW = timedelta(minutes=15)
VERIFIED_TOKENS_KEPT = 10_000
_SIGV4 = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/,\s]+)/(?P<date>\d{8})/(?P<region>[^/]+)/"
    r"(?P<service>[^/]+)/aws4_request,\s*SignedHeaders=(?P<headers>[^,\s]+),\s*"
    r"Signature=(?P<signature>[0-9a-f]{64})$"
)


class AuthError(Exception):
    """Rejected credentials: AppSync answers 401 with errorType UnauthorizedException."""

    error_type = "UnauthorizedException"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Caller:
    auth_type: AuthType
    identity: dict[str, Any]


def is_sigv4(authorization: str) -> bool:
    return authorization.startswith("AWS4-HMAC-SHA256")


class CognitoVerifier:
    """Verifies user-pool tokens issued for one pool and one app client."""

    def __init__(self, issuer: str, client_id: str, jwks_url: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self._keys = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600)
        self._verified: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._verified_lock = threading.Lock()

    def verify(self, token: str, source_ip: str) -> Caller:
        claims = self.claims(token)
        return Caller(COGNITO, identity_from_claims(claims, self.issuer, source_ip))

    def claims(self, token: str) -> dict[str, Any]:
        """The verified claims of `token`.

        A token that verified once is remembered until it expires: verification is a pure
        function of the token and the pool's key, and PyJWT's pure-Python checks of the
        base64 segments cost about 0.7 ms, a third of a trivial request. Expiry is still
        checked on every call; at most `VERIFIED_TOKENS_KEPT` tokens are remembered.
        """
        token = token.removeprefix("Bearer ").strip()
        with self._verified_lock:
            known = self._verified.get(token)
            if known is not None and known["exp"] > time.time():
                self._verified.move_to_end(token)
                return known
            self._verified.pop(token, None)
        claims = self._verify(token)
        with self._verified_lock:
            self._verified[token] = claims
            while len(self._verified) > VERIFIED_TOKENS_KEPT:
                self._verified.popitem(last=False)
        return claims

    def _verify(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise AuthError("Unable to parse JWT token.") from None
        try:
            key = self._keys.get_signing_key(header.get("kid") or "")
        except jwt.PyJWKClientError:
            raise AuthError("Token was not issued by this user pool (unknown key id).") from None
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self.issuer,
                options={"require": ["exp", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("Token has expired.") from None
        except jwt.InvalidIssuerError:
            raise AuthError("Token was not issued by this user pool (wrong issuer).") from None
        except jwt.InvalidSignatureError:
            raise AuthError("Token signature is invalid.") from None
        except jwt.InvalidTokenError as error:
            raise AuthError(f"Invalid token: {error}.") from None
        token_use = claims.get("token_use")
        audience = {"id": claims.get("aud"), "access": claims.get("client_id")}
        if token_use not in audience:
            raise AuthError(f"Token use {token_use!r} is neither 'id' nor 'access'.")
        if audience[token_use] != self.client_id:
            raise AuthError("Token was issued for another app client.")
        return claims


def identity_from_claims(claims: Mapping[str, Any], issuer: str, source_ip: str) -> dict[str, Any]:
    """`$ctx.identity` for a verified user-pool token (shape shared with `emulator.testing`)."""
    return cognito_identity(
        claims.get("cognito:username") or claims.get("username") or claims["sub"],
        claims.get("cognito:groups") or (),
        sub=claims["sub"],
        issuer=issuer,
        source_ip=source_ip,
        extra_claims=dict(claims),
    )


class IamVerifier:
    """Checks SigV4 signatures made with `EMULATOR_CREDENTIALS` for service `appsync`."""

    def __init__(self, region: str, credentials: Credentials = EMULATOR_CREDENTIALS) -> None:
        self.region = region
        self.credentials = credentials

    def verify(
        self,
        method: str,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
        source_ip: str,
        now: datetime | None = None,
    ) -> Caller:
        lowered = {name.lower(): value for name, value in headers.items()}
        match = _SIGV4.match(lowered.get("authorization", "").strip())
        if match is None:
            raise AuthError("Authorization header is not a valid SigV4 signature.")
        if match["key"] != self.credentials.access_key:
            raise AuthError("The security token included in the request is invalid.")
        if match["service"] != "appsync":
            raise AuthError(
                f"Credential should be scoped to service 'appsync', not {match['service']!r}."
            )
        amz_date = lowered.get("x-amz-date", "")
        signed_at = _parse_amz_date(amz_date)
        if amz_date[:8] != match["date"]:
            raise AuthError("Credential date does not match X-Amz-Date.")
        if abs((now or datetime.now(UTC)) - signed_at) > SIGNATURE_MAX_SKEW:
            raise AuthError("Signature expired: X-Amz-Date is more than 15 minutes away.")
        signed = match["headers"].split(";")
        missing = [name for name in signed if name not in lowered]
        if missing or "host" not in signed:
            raise AuthError(f"Signed headers missing from the request: {missing or ['host']}.")
        request = AWSRequest(
            method=method,
            url=f"https://{lowered['host']}{path}",
            headers={name: lowered[name] for name in signed},
            data=body,
        )
        request.context["timestamp"] = amz_date
        signer = SigV4Auth(self.credentials, "appsync", match["region"])
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if not hmac.compare_digest(expected, match["signature"]):
            raise AuthError(
                "The request signature we calculated does not match the signature you provided."
            )
        return Caller(IAM, iam_identity(BACKEND_ROLE, ACCOUNT_ID, source_ip))


def _parse_amz_date(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise AuthError("X-Amz-Date header is missing or malformed.") from None


@dataclass(frozen=True)
class Authenticator:
    """Chooses the mode from the Authorization header, as AppSync does."""

    cognito: CognitoVerifier
    iam: IamVerifier

    def authenticate(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, source_ip: str
    ) -> Caller:
        authorization = next(
            (value for name, value in headers.items() if name.lower() == "authorization"), ""
        ).strip()
        if not authorization:
            raise AuthError("Valid authorization header not provided.")
        if is_sigv4(authorization):
            return self.iam.verify(method, path, headers, body, source_ip)
        return self.cognito.verify(authorization, source_ip)
