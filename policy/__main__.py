from chat_policies import POLICIES
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack(
    name="realtime-chat",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=POLICIES,
)
