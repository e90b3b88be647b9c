"""Moved to `emulator.authentication`; kept while parallel branches land."""

from emulator.authentication import *  # noqa: F403
from emulator.authentication import (
    ACCOUNT_ID,
    BACKEND_ROLE,
    COGNITO,
    EMULATOR_CREDENTIALS,
    IAM,
    Authenticator,
    AuthError,
    Caller,
    CognitoVerifier,
    IamVerifier,
    identity_from_claims,
    is_sigv4,
)

__all__ = [
    "ACCOUNT_ID",
    "BACKEND_ROLE",
    "COGNITO",
    "EMULATOR_CREDENTIALS",
    "IAM",
    "AuthError",
    "Authenticator",
    "Caller",
    "CognitoVerifier",
    "IamVerifier",
    "identity_from_claims",
    "is_sigv4",
]
