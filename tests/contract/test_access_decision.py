"""One access decision: no template but the decision's own reads raw membership facts.

`getCallerMembership.response.vtl` decides (rank, ban, mute, Cognito groups, DIRECT and
ANNOUNCEMENT rules) and `membersLoadTarget.response.vtl` is the one moderation check of
the membership mutations, which must read the target's item. Every other template decides
on `$ctx.stash.access`; this test fails a template that reads what the decision is made of.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from chatspec.templates import VTL_DIR

DECISION = "functions/getCallerMembership.response.vtl"
MODERATION = "functions/membersLoadTarget.response.vtl"
ALLOWED = {DECISION, MODERATION}
ROOM_TYPE_LITERALS = {
    "functions/roomsPrepareCreate.request.vtl": "createRoom shapes a new room (a DIRECT id)",
    "functions/roomsUpdateRoom.request.vtl": "a DIRECT room's size is fixed, for everybody",
    "rooms/Query.listPublicRooms.request.vtl": "PUBLIC is the byVisibility index's key value",
}
"""Templates that name a room type without deciding access, and why."""

FORBIDDEN: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("reads Cognito groups", re.compile(r"\$!?\{?(?:ctx|context)\.identity\.groups")),
    ("reads a ban flag", re.compile(r"\$!?\{?[\w.]+\.isBanned\b")),
    ("reads a mute flag", re.compile(r"\$!?\{?[\w.]+\.isMuted\b")),
    ("reads a membership's room type", re.compile(r"\$!?\{?(?![\w.]*access\.)[\w.]+\.roomType\b")),
    (
        "reads a role",
        re.compile(r"\$!?\{?(?!ctx\.args\.)(?![\w.]*targetMember)(?!target\.)[\w.]+\.role\b"),
    ),
    ("derives a rank", re.compile(r'"OWNER"\s*:\s*4')),
    ("uses the old stash", re.compile(r"callerRank|callerBanned|callerMember")),
    ("decides on a room's type", re.compile(r'"(DIRECT|ANNOUNCEMENT|PUBLIC)"')),
)


def violations(vtl_dir: Path) -> list[str]:
    found = []
    for path in sorted(vtl_dir.rglob("*.vtl")):
        relative = path.relative_to(vtl_dir).as_posix()
        if relative in ALLOWED:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            code = line.split("##", 1)[0]
            for what, pattern in FORBIDDEN:
                if what == "decides on a room's type" and relative in ROOM_TYPE_LITERALS:
                    continue
                if pattern.search(code):
                    found.append(f"{relative}:{number} {what}: {line.strip()}")
    return found


def test_no_template_but_the_decision_reads_raw_access_facts():
    assert violations(VTL_DIR) == []


def test_a_template_reading_a_ban_flag_is_found_on_a_broken_copy(tmp_path):
    copy = tmp_path / "vtl"
    shutil.copytree(VTL_DIR, copy)
    target = copy / "functions/msgListMessages.request.vtl"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        "#if($ctx.stash.access.membership.isBanned == true)\n"
        '  $util.error("banned", "Unauthorized")\n#end\n' + text,
        encoding="utf-8",
    )
    subscription = copy / "shared/roomSubscription.response.vtl"
    subscription.write_text(
        '#if($ctx.identity.groups.contains("Admin"))\n  #return\n#end\n'
        + subscription.read_text(encoding="utf-8"),
        encoding="utf-8",
    )

    found = violations(copy)

    assert found == [
        "functions/msgListMessages.request.vtl:1 reads a ban flag: "
        "#if($ctx.stash.access.membership.isBanned == true)",
        "shared/roomSubscription.response.vtl:1 reads Cognito groups: "
        '#if($ctx.identity.groups.contains("Admin"))',
    ]


ROOMLESS_PIPELINES = frozenset({"Mutation.createRoom", "Query.me", "Mutation.updateProfile"})
"""Pipelines that concern no existing room: a new room, the caller's own profile."""


def test_every_room_pipeline_starts_with_the_decision():
    import chatspec

    for resolver in chatspec.RESOLVERS:
        if resolver.kind != "PIPELINE" or resolver.key in ROOMLESS_PIPELINES:
            continue
        assert resolver.functions[0] == "getCallerMembership", resolver.key


def test_the_lambdas_decide_nothing_themselves():
    root = Path(__file__).resolve().parents[2] / "functions"
    for name in ("rooms/delete_room.py", "search/service.py"):
        text = (root / name).read_text(encoding="utf-8")
        for fact in (".groups", "is_admin", "isBanned", "isMuted", '"OWNER"', "Moderator"):
            assert fact not in text, (name, fact)
