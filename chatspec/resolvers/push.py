"""Resolver wiring: push devices (registerDevice, unregisterDevice).

Direct Lambda resolvers on the devices Lambda: creating and deleting SNS platform
endpoints is what VTL cannot do. No room is involved, so no access decision: the caller
registers and unregisters their own devices only (identity from `$ctx.identity`). The
room-level preference (`setRoomNotifications`) is a membership write, wired in
`members.py`.
"""

from __future__ import annotations

from chatspec.lambdas import DIRECT_LAMBDA_RESPONSE
from chatspec.model import PipelineFunction, Resolver

FUNCTIONS: tuple[PipelineFunction, ...] = ()
RESOLVERS: tuple[Resolver, ...] = tuple(
    Resolver(
        type_name="Mutation",
        field_name=field,
        kind="UNIT",
        data_source="DevicesLambda",
        response=DIRECT_LAMBDA_RESPONSE,
        description=description,
    )
    for field, description in (
        ("registerDevice", "The caller's device and its SNS platform endpoint."),
        ("unregisterDevice", "Removes the caller's device and its SNS platform endpoint."),
    )
)
