"""Cognito groups, shared by the auth component and the emulator's user pool.

Admin and Moderator carry the matching powers in every room (see
`vtl/functions/getCallerMembership.response.vtl`); User is every signed-up person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Group:
    name: str
    precedence: int
    description: str


GROUPS: tuple[Group, ...] = (
    Group("Admin", 1, "Administrators: admin powers in every room."),
    Group("Moderator", 2, "Moderators: moderator powers in every room."),
    Group("User", 3, "Every signed-up user."),
)
