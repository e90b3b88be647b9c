"""Moved to `stacksettings.config_values`; kept while parallel branches land."""

from stacksettings.config_values import *  # noqa: F403
