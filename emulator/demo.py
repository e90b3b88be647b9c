"""Demo users for the local stack: alice (Admin), bob and carol, one documented password.

The pool signs in by e-mail (as deployed), so the users are `alice@example.com` and so
on; `login_name("alice")` turns the short name into that address. `DEMO_PASSWORD`
satisfies the dev password policy and the stricter prod one (12+ characters with
upper case, lower case, digits and a symbol), so the same script works on either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEMO_PASSWORD = "ChatDemo-2026!"
DEMO_DOMAIN = "example.com"


@dataclass(frozen=True)
class DemoUser:
    name: str
    groups: tuple[str, ...]

    @property
    def email(self) -> str:
        return f"{self.name}@{DEMO_DOMAIN}"


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("alice", ("Admin", "User")),
    DemoUser("bob", ("User",)),
    DemoUser("carol", ("User",)),
)


def login_name(user: str) -> str:
    """`alice` -> `alice@example.com`; a full address is kept as it is."""
    return user if "@" in user else f"{user}@{DEMO_DOMAIN}"


def create_user(
    cognito: Any, pool_id: str, email: str, password: str, groups: tuple[str, ...]
) -> None:
    """A confirmed user with a permanent password, as an administrator would set it up."""
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    cognito.admin_set_user_password(
        UserPoolId=pool_id, Username=email, Password=password, Permanent=True
    )
    for group in groups:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)


def sign_up_user(
    cognito: Any, pool_id: str, client_id: str, email: str, password: str, groups: tuple[str, ...]
) -> None:
    """A user who signs up and is confirmed by an administrator: the path that runs the
    pool's post-confirmation trigger, so the user has a profile (display name: the
    e-mail's local part), as a real sign-up would."""
    cognito.sign_up(
        ClientId=client_id,
        Username=email,
        Password=password,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username=email)
    cognito.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username=email,
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    for group in groups:
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=group)


def create_demo_users(cognito: Any, pool_id: str, client_id: str | None = None) -> list[str]:
    """Create the demo users that do not exist yet; returns the e-mails created. With the
    app client they sign up (and get profiles from the trigger), else an admin creates them."""
    created = []
    for user in DEMO_USERS:
        try:
            cognito.admin_get_user(UserPoolId=pool_id, Username=user.email)
            continue
        except cognito.exceptions.UserNotFoundException:
            pass
        if client_id:
            sign_up_user(cognito, pool_id, client_id, user.email, DEMO_PASSWORD, user.groups)
        else:
            create_user(cognito, pool_id, user.email, DEMO_PASSWORD, user.groups)
        created.append(user.email)
    return created


def sign_in(cognito: Any, client_id: str, user: str, password: str) -> dict[str, Any]:
    """Tokens by USER_PASSWORD_AUTH (allowed by the local app client only)."""
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": login_name(user), "PASSWORD": password},
    )
    if "AuthenticationResult" not in result:
        raise RuntimeError(f"sign-in of {user} needs challenge {result.get('ChallengeName')}")
    return result["AuthenticationResult"]
