"""No request asks DynamoDB for more items than it takes: 100 actions per TransactWriteItems
or TransactGetItems, 100 keys per BatchGetItem (the registry's numbers).

Templates: every `"table":` entry of a transaction counts once, or the bound of each
`#foreach` around it (a loop around an entry needs a declared bound: a `$rules` value that
some template refuses to exceed; a loop around none, validating input, adds no action),
`#if` branches all counted, so the figure is an upper bound. A
BatchGetItem's keys need a declared bound the same way. Lambdas: every call of
`transact_write_items`, `transact_get_items` or `batch_get_item` in `functions/` needs a
declared bound on its item count, checked against the registry. Each check also runs on a
broken copy.
"""

from __future__ import annotations

import re
from pathlib import Path

from chatspec import aws_limits, rules
from chatspec.templates import VTL_DIR
from functions.common import batch_get as common_batch_get
from functions.common import pagination, push_targets
from functions.uploads import replaced

FUNCTIONS_DIR = Path(__file__).resolve().parents[2] / "functions"
TRANSACT = re.compile(r'"operation"\s*:\s*"(TransactWriteItems|TransactGetItems)"')
BATCH_GET = re.compile(r'"operation"\s*:\s*"BatchGetItem"')
OTHER_BATCH = re.compile(r'"operation"\s*:\s*"(BatchPutItem|BatchDeleteItem)"')
TOKEN = re.compile(r'#foreach\(\s*\$\w+\s+in\s+(?P<list>[^)]+)\)|#if\(|#end\b|"table"\s*:')
LAMBDA_CALL = re.compile(r"\.(transact_write_items|transact_get_items|batch_get_item)\(")

LOOP_BOUNDS: dict[tuple[str, str], str] = {
    ("functions/roomsCreateRoom.request.vtl", "$memberIds"): "maxCreateMemberIds",
    ("functions/msgSendWrite.request.vtl", "$attachments"): "maxAttachments",
    ("functions/msgSendWrite.request.vtl", "$mentions"): "maxMentions",
    ("functions/msgSendWrite.request.vtl", "$ctx.stash.poll.options"): "maxPollOptions",
    ("functions/pollVoteWrite.request.vtl", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"): "maxPollOptions",
    ("functions/roomsUpdateSettings.request.vtl", "$claims"): "maxRoomImages",
    ("functions/roomsUpdateSettings.request.vtl", "$releases"): "maxRoomImages",
}
"""(template, list a `#foreach` runs over inside a transaction) -> the `$rules` bound."""
BATCH_GET_BOUNDS: dict[str, str] = {
    "presence/Query.getPresence.request.vtl": "maxGetPresenceIds",
    "functions/msgSendLoadAttachments.request.vtl": "maxAttachments",
    "functions/msgRefreshLoadUploads.request.vtl": "maxAttachments",
    "functions/usersAvatarLoadUploads.request.vtl": "maxImageUploadReads",
    "functions/roomsLoadImageUploads.request.vtl": "maxImageUploadReads",
}
"""BatchGetItem template -> the `$rules` bound on its keys."""
LAMBDA_BOUNDS: dict[tuple[str, str], int] = {
    ("common/batch_get.py", "batch_get_item"): common_batch_get.MAX_KEYS,
    ("uploads/delete_files.py", "batch_get_item"): rules.MAX_ATTACHMENTS,
    ("uploads/replaced.py", "batch_get_item"): replaced.MAX_RELEASED,
    ("common/push_targets.py", "transact_write_items"): push_targets.TRANSACTION_ITEMS,
}
"""(Lambda module, call) -> most items one call holds: the shared `batch_get` (myRooms,
myMentions, profiles, the notifier's presence and push targets in chunks) refuses more than
`MAX_KEYS` keys before it calls; a device write is its item and the user's targets."""


def enforced(rule: str, templates: dict[str, str]) -> bool:
    """Some template refuses a value above `$rules.<rule>` with an error."""
    refusal = re.compile(rf">\s*\$rules\.{rule}\)\s*\n\s*\$util\.error\(")
    return any(refusal.search(text) for text in templates.values())


def transaction_actions(name: str, text: str, bounds: dict[str, int]) -> int:
    """Upper bound of the actions in the template's transaction."""
    stack: list[int | str] = []
    total = 0
    for token in TOKEN.finditer(text):
        if token.group("list") is not None:
            loop = token.group("list").strip()
            rule = LOOP_BOUNDS.get((name, loop))
            stack.append(bounds[rule] if rule else loop)
        elif token.group(0).startswith("#if"):
            stack.append(1)
        elif token.group(0).startswith("#end"):
            stack.pop()
        else:
            multiplier = 1
            for factor in stack:
                if isinstance(factor, str):
                    raise AssertionError(f"{name}: no declared bound for #foreach over {factor}")
                multiplier *= factor
            total += multiplier
    return total


COMMENT = re.compile(r"##.*$", re.MULTILINE)


def request_templates(vtl_dir: Path) -> dict[str, str]:
    """Request templates (responses issue no request), without their `##` comments."""
    return {
        str(path.relative_to(vtl_dir)): COMMENT.sub("", path.read_text(encoding="utf-8"))
        for path in sorted(vtl_dir.rglob("*.request.vtl"))
    }


def template_problems(templates: dict[str, str], bounds: dict[str, int]) -> list[str]:
    problems = []
    limit = aws_limits.DYNAMODB_TRANSACTION_ITEMS.value
    for name, text in templates.items():
        if OTHER_BATCH.search(text):
            problems.append(f"{name}: a batch write this check does not count")
        if TRANSACT.search(text):
            try:
                actions = transaction_actions(name, text, bounds)
            except AssertionError as error:
                problems.append(str(error))
                continue
            if actions > limit:
                problems.append(f"{name}: up to {actions} actions, DynamoDB takes {limit}")
        if BATCH_GET.search(text):
            rule = BATCH_GET_BOUNDS.get(name)
            if rule is None:
                problems.append(f"{name}: BatchGetItem without a declared bound on its keys")
            elif bounds[rule] > aws_limits.DYNAMODB_BATCH_GET_ITEMS.value:
                problems.append(f"{name}: up to {bounds[rule]} keys in one BatchGetItem")
    for (name, _), rule in LOOP_BOUNDS.items():
        if name in templates and not enforced(rule, templates):
            problems.append(f"{name}: no template refuses more than $rules.{rule}")
    for name, rule in BATCH_GET_BOUNDS.items():
        if name in templates and not enforced(rule, templates):
            problems.append(f"{name}: no template refuses more than $rules.{rule}")
    return problems


def lambda_problems(functions_dir: Path) -> list[str]:
    problems = []
    limits = {
        "transact_write_items": aws_limits.DYNAMODB_TRANSACTION_ITEMS.value,
        "transact_get_items": aws_limits.DYNAMODB_TRANSACTION_ITEMS.value,
        "batch_get_item": aws_limits.DYNAMODB_BATCH_GET_ITEMS.value,
    }
    for path in sorted(functions_dir.rglob("*.py")):
        module = str(path.relative_to(functions_dir))
        for call in LAMBDA_CALL.finditer(path.read_text(encoding="utf-8")):
            operation = call.group(1)
            bound = LAMBDA_BOUNDS.get((module, operation))
            if bound is None:
                problems.append(f"{module}: {operation} without a declared bound")
            elif bound > limits[operation]:
                problems.append(
                    f"{module}: {operation} of up to {bound}, DynamoDB takes {limits[operation]}"
                )
    return problems


def test_no_template_asks_for_more_items_than_dynamodb_takes():
    templates = request_templates(VTL_DIR)
    assert template_problems(templates, rules.template_rules()) == []
    counted = {
        name: transaction_actions(name, text, rules.template_rules())
        for name, text in templates.items()
        if TRANSACT.search(text)
    }
    assert counted["functions/roomsCreateRoom.request.vtl"] == 100
    assert counted["functions/getCallerMembership.request.vtl"] == 3


def test_no_lambda_asks_for_more_items_than_dynamodb_takes():
    assert lambda_problems(FUNCTIONS_DIR) == []
    assert all((FUNCTIONS_DIR / module).exists() for module, _ in LAMBDA_BOUNDS)


def test_a_broken_copy_with_one_action_too_many_is_found():
    templates = request_templates(VTL_DIR)
    one_more = {
        **rules.template_rules(),
        "maxCreateMemberIds": rules.CREATE_ROOM_MAX_MEMBER_IDS + 1,
    }
    found = template_problems(templates, one_more)
    assert found == ["functions/roomsCreateRoom.request.vtl: up to 101 actions, DynamoDB takes 100"]


def test_a_broken_copy_with_an_unbounded_loop_or_batch_is_found():
    name = "functions/roomsCreateRoom.request.vtl"
    templates = request_templates(VTL_DIR)
    broken = {
        **templates,
        name: templates[name].replace("$memberIds)", "$ctx.args.input.memberIds)"),
    }
    found = template_problems(broken, rules.template_rules())
    assert any("no declared bound for #foreach" in problem for problem in found), found
    batch = '{"version": "2018-05-29", "operation": "BatchGetItem", "tables": {}}'
    found = template_problems({**templates, "x.request.vtl": batch}, rules.template_rules())
    assert found == ["x.request.vtl: BatchGetItem without a declared bound on its keys"]
    unchecked = {
        n: t.replace("> $rules.maxGetPresenceIds)", "> 1000)") for n, t in templates.items()
    }
    found = template_problems(unchecked, rules.template_rules())
    assert any("refuses more than $rules.maxGetPresenceIds" in p for p in found), found


def test_a_broken_lambda_copy_with_an_undeclared_transaction_is_found(tmp_path):
    module = tmp_path / "rooms"
    module.mkdir()
    (module / "bulk.py").write_text(
        "def go(c, items):\n    c.transact_write_items(TransactItems=items)\n"
    )
    assert lambda_problems(tmp_path) == [
        "rooms/bulk.py: transact_write_items without a declared bound"
    ]


def test_a_page_of_rooms_fits_one_batch_get():
    assert aws_limits.DYNAMODB_BATCH_GET_ITEMS.value >= pagination.MAX_LIMIT
    assert aws_limits.DYNAMODB_BATCH_GET_ITEMS.value >= rules.GET_PRESENCE_MAX_USER_IDS
