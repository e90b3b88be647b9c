"""Resolver wiring: uploads (createUpload).

| field        | who (access.may.*, decided by getCallerMembership)                      |
| ------------ | ---------------------------------------------------------------------- |
| createUpload | MESSAGE_ATTACHMENT: who may post in the room; ROOM_AVATAR: rank ADMIN   |
|              | and above; USER_AVATAR (no roomId): any signed-in user                  |

A pipeline: the access decision, then the uploads Lambda (S3 presigning is what VTL cannot
do), which reads the room's file settings from the decision's room item
(`chatspec.room_settings.effective`), writes the PENDING record and returns the presigned
POST (`functions/uploads/create_upload.py`).
"""

from __future__ import annotations

from chatspec.model import PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, lambda_step, pipeline

FUNCTIONS: tuple[PipelineFunction, ...] = (
    lambda_step(
        "uploadsCreateUpload",
        "UploadsLambda",
        "createUpload: the room's file settings, the PENDING record and the presigned POST.",
    ),
)

RESOLVERS: tuple[Resolver, ...] = (
    pipeline(
        "Mutation.createUpload",
        MEMBERSHIP,
        "uploadsCreateUpload",
        description="A presigned POST for one file: members who may post, rooms that allow "
        "files; avatars for admins (room) or anyone signed in (their own).",
    ),
)
