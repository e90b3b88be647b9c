"""`python -m pushops.backfill`: write every device into its user's push-targets item
(`make push-backfill`).

Run once on a stack deployed before the targets items existed (README, "Push"): until then
the notifier does not see those devices. Idempotent, so running it again, or while users
register devices, is safe; it prints how many devices it wrote.

    python -m pushops.backfill --outputs .local/outputs.json
    python -m pushops.backfill --outputs outputs.json --role-arn <a role that may Scan,
        UpdateItem and ConditionCheckItem the devices table>
"""

from __future__ import annotations

import argparse
import sys

from functions.common.push_targets import backfill
from searchops.target import TargetError, add_target_arguments, load_target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_target_arguments(parser)
    args = parser.parse_args(argv)
    try:
        target = load_target(args.outputs, args.role_arn)
    except TargetError as error:
        print(f"pushops.backfill: {error}", file=sys.stderr)
        return 2
    table_name = target.outputs.get("devicesTableName")
    if not table_name:
        print("pushops.backfill: the outputs have no devicesTableName", file=sys.stderr)
        return 2
    dynamodb = target.session.resource(
        "dynamodb", region_name=target.region, endpoint_url=target.outputs.get("awsEndpoint")
    )
    written = backfill(dynamodb.Table(table_name))
    print(f"{written} devices written into their users' push targets ({table_name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
