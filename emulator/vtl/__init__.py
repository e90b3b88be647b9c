"""VTL as AppSync evaluates it: airspeed-ext plus patches, `$util`, `$extensions`."""

from emulator.vtl.engine import Rendered, TemplateCache, render
from emulator.vtl.errors import TemplateError, UtilError
from emulator.vtl.extensions import Extensions
from emulator.vtl.util import Util, to_json

__all__ = [
    "Extensions",
    "Rendered",
    "TemplateCache",
    "TemplateError",
    "Util",
    "UtilError",
    "render",
    "to_json",
]
