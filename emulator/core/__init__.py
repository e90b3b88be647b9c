"""The in-process AppSync: schema, execution, resolvers, auth, subscriptions."""

from emulator.core.engine import COGNITO, IAM, AppSyncEngine
from emulator.core.subscriptions import Subscription, SubscriptionRegistry

__all__ = ["COGNITO", "IAM", "AppSyncEngine", "Subscription", "SubscriptionRegistry"]
