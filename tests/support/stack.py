"""Moved to `stackrun.stack`; kept while parallel branches land."""

from stackrun.stack import *  # noqa: F403
