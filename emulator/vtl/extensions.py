"""`$extensions`: subscription filters and invalidation, recorded for the engine."""

from __future__ import annotations

import json
from typing import Any

from chatspec.aws_limits import (
    SUBSCRIPTION_FILTER_GROUPS,
    SUBSCRIPTION_FILTERS_PER_GROUP,
    SUBSCRIPTION_IN_VALUES,
    SUBSCRIPTION_INVALIDATIONS,
)
from emulator.vtl.errors import UtilError
from emulator.vtl.util_transform import SUBSCRIPTION_OPERATORS

MAX_FILTER_GROUPS = SUBSCRIPTION_FILTER_GROUPS.value
MAX_FILTERS_PER_GROUP = SUBSCRIPTION_FILTERS_PER_GROUP.value
MAX_IN_VALUES = SUBSCRIPTION_IN_VALUES.value
MAX_INVALIDATIONS = SUBSCRIPTION_INVALIDATIONS.value


def validate_filter(filter_value: Any) -> dict[str, Any]:
    """AppSync's enhanced-filter document: `{"filterGroup": [{"filters": [...]}]}`."""
    if isinstance(filter_value, str):
        try:
            filter_value = json.loads(filter_value)
        except ValueError as exc:
            raise UtilError(f"subscription filter is not JSON: {exc}", "ValidationError") from exc
    if not isinstance(filter_value, dict) or not isinstance(filter_value.get("filterGroup"), list):
        raise UtilError("subscription filter needs a filterGroup list", "ValidationError")
    groups = filter_value["filterGroup"]
    if len(groups) > MAX_FILTER_GROUPS:
        raise UtilError(f"at most {MAX_FILTER_GROUPS} filter groups", "ValidationError")
    for group in groups:
        filters = group.get("filters") if isinstance(group, dict) else None
        if not isinstance(filters, list):
            raise UtilError("each filter group needs a filters list", "ValidationError")
        if len(filters) > MAX_FILTERS_PER_GROUP:
            raise UtilError(f"at most {MAX_FILTERS_PER_GROUP} filters per group", "ValidationError")
        for item in filters:
            if not isinstance(item, dict) or not isinstance(item.get("fieldName"), str):
                raise UtilError("each filter needs a fieldName", "ValidationError")
            if item.get("operator") not in SUBSCRIPTION_OPERATORS:
                raise UtilError(
                    f"unknown subscription filter operator {item.get('operator')!r}",
                    "ValidationError",
                )
            values = item.get("value")
            if item["operator"] in ("in", "notIn") and (
                not isinstance(values, list) or len(values) > MAX_IN_VALUES
            ):
                raise UtilError(
                    f"an {item['operator']} filter takes a list of at most {MAX_IN_VALUES} values",
                    "ValidationError",
                )
    return filter_value


class Extensions:
    def __init__(self) -> None:
        self.subscription_filter: dict[str, Any] | None = None
        self.invalidation_filter: dict[str, Any] | None = None
        self.invalidations: list[dict[str, Any]] = []

    def setSubscriptionFilter(self, filter_value: Any) -> str:
        self.subscription_filter = validate_filter(filter_value)
        return ""

    def setSubscriptionInvalidationFilter(self, filter_value: Any) -> str:
        self.invalidation_filter = validate_filter(filter_value)
        return ""

    def invalidateSubscriptions(self, request: Any) -> str:
        if isinstance(request, str):
            request = json.loads(request)
        if not isinstance(request, dict) or not isinstance(request.get("subscriptionField"), str):
            raise UtilError(
                "invalidateSubscriptions needs {subscriptionField, payload}", "ValidationError"
            )
        entry = {
            "subscriptionField": request["subscriptionField"],
            "payload": request.get("payload"),
        }
        if entry not in self.invalidations and len(self.invalidations) >= MAX_INVALIDATIONS:
            raise UtilError(
                f"at most {MAX_INVALIDATIONS} unique invalidateSubscriptions calls per request",
                "ValidationError",
            )
        if entry not in self.invalidations:
            self.invalidations.append(entry)
        return ""
