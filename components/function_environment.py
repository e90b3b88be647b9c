"""Moved to `chatspec.environment`; kept while parallel branches land."""

from chatspec.environment import *  # noqa: F403
from chatspec.environment import SEARCH_INDEX, function_environment

__all__ = ["SEARCH_INDEX", "function_environment"]
