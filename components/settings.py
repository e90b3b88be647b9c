"""Moved to `stacksettings.settings`; kept while parallel branches land."""

from stacksettings.settings import *  # noqa: F403
