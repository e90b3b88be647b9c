"""The CrossGuard policy pack of realtime-chat.

`chat_policies` holds the policies (one per module); `__main__.py` hands them to the
Pulumi CLI; `offline` runs them over the mocked stacks without the CLI.
"""
