"""pyropattern: turn a photo into a burn-by-number pyrography pattern at exact print scale.

The public API in one place::

    photo = load_photo("photo.jpg", target_long_side=1600)
    stencil = make_stencil(photo, Settings())           # or PRESETS["beginner"]
    pdf = stencil_pdf(stencil, lang="id")               # also stencil_svg, stencil_png, tones_png
"""

from .errors import ImageLoadError, PyropatternError, SettingsError
from .export import plan_tiles, stencil_pdf, stencil_png, stencil_svg, tones_png
from .load import load_photo
from .model import Stencil
from .pipeline import make_stencil
from .presets import PRESETS
from .settings import Settings, settings_from_json, settings_to_json

__all__ = [
    "PRESETS",
    "ImageLoadError",
    "PyropatternError",
    "Settings",
    "SettingsError",
    "Stencil",
    "load_photo",
    "make_stencil",
    "plan_tiles",
    "settings_from_json",
    "settings_to_json",
    "stencil_pdf",
    "stencil_png",
    "stencil_svg",
    "tones_png",
]
