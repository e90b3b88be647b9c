"""Resolver wiring: rooms (getRoom, listPublicRooms, myRooms, createRoom, updateRoom, deleteRoom).

Reads that are one request stay VTL; the caller's rooms (a join) and room deletion (a
cascade over an unbounded number of items) are the rooms Lambda. Rules:

| field           | who (access.may.*, decided by getCallerMembership)                |
| --------------- | ---------------------------------------------------------------- |
| getRoom         | PUBLIC rooms: anyone signed in; other rooms: its readers          |
| listPublicRooms | anyone signed in                                                 |
| myRooms         | the caller's own non-banned memberships                          |
| createRoom      | anyone signed in; becomes OWNER                                  |
| updateRoom      | rank ADMIN and above (room ADMIN/OWNER, Cognito Admin not banned) |
| updateRoomSettings | the same; each key validated from chatspec/room_settings.py  |
|                 | (images: a READY ROOM_AVATAR upload of the room, claimed)        |
| deleteRoom      | the room's OWNER or a Cognito Admin not banned from it            |

A room that does not exist answers like a non-public room the caller may not see:
Unauthorized, with the same message ("does not exist or you are not allowed to see it"),
so nobody learns from getRoom, joinRoom or deleteRoom whether a DIRECT pair has a room.

deleteRoom is final. It is a pipeline: the access decision, then the rooms Lambda, which
marks the room `deletingAt` first (from then on the decision treats it as gone and every
write that adds to the room fails on the room guard in its own request), removes its
memberships, messages (with their mentions and poll votes), join requests, moderation
records and retry records, and deletes the room item last; it is idempotent
and a repeated call resumes a cascade that stopped half-way (`functions/rooms/delete_room.py`).

createRoom limits: name 1..100 characters (trimmed), description up to 1000, maxMembers
2..10000 (default 1000; DIRECT is always 2), memberIds at most maxMembers - 1 and at most
98 other users, because room + owner + members are one TransactWriteItems and DynamoDB
caps a transaction at 100 actions. A DIRECT room takes exactly one other user and has the
id `direct#<smaller sub>#<larger sub>`; creating the same pair again returns that room
(read first, so the usual case writes nothing; two creations at the same instant collide
on the Put's condition and the loser gets a Conflict whose retry returns the room).
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import Grant, PipelineFunction, Resolver
from chatspec.resolvers.common import MEMBERSHIP, PIPELINE_BEFORE, lambda_step, pipeline, step
from chatspec.resolvers.uploads import DELETE_REPLACED

GET_ROOM = Grant("rooms", ("dynamodb:GetItem",))

FUNCTIONS: tuple[PipelineFunction, ...] = (
    lambda_step(
        "roomsDeleteRoom",
        "RoomsLambda",
        "deleteRoom: the cascade, allowed by access.may.deleteRoom.",
    ),
    step(
        "roomsPrepareCreate",
        "RoomsTable",
        (GET_ROOM,),
        "Validates createRoom input; reads a DIRECT pair's existing room.",
    ),
    step(
        "roomsCreateRoom",
        "RoomsTable",
        (Grant("rooms", ("dynamodb:PutItem",)), Grant("room_members", ("dynamodb:PutItem",))),
        "Room, owner and member memberships, memberCount: one transaction.",
    ),
    step(
        "roomsLoadImageUploads",
        "UploadsTable",
        (Grant("uploads", ("dynamodb:BatchGetItem",)),),
        "updateRoomSettings with an image key: the uploads named and the ones they replace.",
    ),
    step(
        "roomsUpdateSettings",
        "RoomsTable",
        (Grant("rooms", ("dynamodb:UpdateItem",)), Grant("uploads", ("dynamodb:UpdateItem",))),
        "updateRoomSettings: each key validated from its declaration; admins and up; an "
        "image change claims the new upload and releases the replaced one, one transaction.",
    ),
    step(
        "roomsReadRoom",
        "RoomsTable",
        (GET_ROOM,),
        "updateRoomSettings, after a transaction: the room as written.",
    ),
    step(
        "roomsUpdateRoom",
        "RoomsTable",
        (Grant("rooms", ("dynamodb:UpdateItem",)),),
        "Name, description, maxMembers (not below memberCount) for admins and up.",
    ),
)


RESOLVERS: tuple[Resolver, ...] = (
    pipeline(
        "Query.getRoom",
        MEMBERSHIP,
        after="rooms/Query.getRoom.response.vtl",
        description="A room; non-public rooms only for their readers.",
        before=PIPELINE_BEFORE,
    ),
    Resolver(
        type_name="Query",
        field_name="listPublicRooms",
        kind="UNIT",
        data_source="RoomsTable",
        request="rooms/Query.listPublicRooms.request.vtl",
        response="shared/page.response.vtl",
        grants=(Grant("rooms", ("dynamodb:Query",), index="byVisibility"),),
        description="PUBLIC rooms, newest first, from the sparse byVisibility index.",
    ),
    Resolver(
        type_name="Query",
        field_name="myRooms",
        kind="UNIT",
        data_source="RoomsLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="The caller's rooms with role and unread count (byUser Query + BatchGetItem).",
    ),
    Resolver(
        type_name="Query",
        field_name="myMentions",
        kind="UNIT",
        data_source="RoomsLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description="Messages mentioning the caller (mentions Query + one BatchGetItem).",
    ),
    pipeline(
        "Mutation.createRoom",
        "roomsPrepareCreate",
        "roomsCreateRoom",
        description="Creates a room with its memberships; "
        "an existing DIRECT pair's room is returned.",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.updateRoom",
        MEMBERSHIP,
        "roomsUpdateRoom",
        description="Admins and up change name, description or maxMembers.",
        before=PIPELINE_BEFORE,
    ),
    pipeline(
        "Mutation.updateRoomSettings",
        MEMBERSHIP,
        "roomsLoadImageUploads",
        "roomsUpdateSettings",
        "roomsReadRoom",
        DELETE_REPLACED,
        before=PIPELINE_BEFORE,
        description="Admins and up change room settings (chatspec/room_settings.py); "
        "replaced images are deleted.",
    ),
    Resolver(
        type_name="Room",
        field_name="settings",
        kind="UNIT",
        data_source="NoneDataSource",
        request="rooms/Room.settings.request.vtl",
        response="rooms/Room.settings.response.vtl",
        description="The room's effective settings: stored keys over its type's defaults.",
    ),
    pipeline(
        "Mutation.deleteRoom",
        MEMBERSHIP,
        "roomsDeleteRoom",
        after="rooms/Mutation.deleteRoom.response.vtl",
        description="Owner or Cognito Admin: deletes the room, its memberships, messages and "
        "retry records, and ends its subscriptions.",
        before=PIPELINE_BEFORE,
    ),
)
