"""pyropattern: turn a photo into a burn-by-number pyrography pattern at exact print scale."""

from .errors import ImageLoadError, PyropatternError, SettingsError
from .settings import Settings

__all__ = ["ImageLoadError", "PyropatternError", "Settings", "SettingsError"]
