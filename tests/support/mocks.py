"""Moved to `stackrun.mocks`; kept while parallel branches land."""

from stackrun.mocks import ACCOUNT_ID, ChatMocks

__all__ = ["ACCOUNT_ID", "ChatMocks"]
