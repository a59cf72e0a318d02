"""pyropattern: turn a photo into a burn-by-number pyrography pattern at exact print scale.

The public API in one place::

    photo = load_photo("photo.jpg", target_long_side=1600)
    stencil = make_stencil(photo, Settings())           # or PRESETS["beginner"]
    pdf = stencil_pdf(stencil, lang="id")               # also stencil_svg, stencil_png, tones_png

Names load on first use (PEP 562, as scikit-image does), so ``import pyropattern.load`` stays
light: importing every stage and exporter up front cost ≈85 MB before any photo was opened.
"""

from importlib import import_module
from typing import Any

_WHERE = {
    "ImageLoadError": "errors",
    "PyropatternError": "errors",
    "SettingsError": "errors",
    "plan_tiles": "export",
    "stencil_pdf": "export",
    "stencil_png": "export",
    "stencil_svg": "export",
    "tones_png": "export",
    "load_photo": "load",
    "Stencil": "model",
    "make_stencil": "pipeline",
    "PRESETS": "presets",
    "Settings": "settings",
    "settings_from_json": "settings",
    "settings_to_json": "settings",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'pyropattern' has no attribute {name!r}")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__
