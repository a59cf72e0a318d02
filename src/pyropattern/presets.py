"""Named starting points: each preset is a plain :class:`~pyropattern.settings.Settings` value.

A preset sets the *style* of a stencil (how many levels, how much is simplified, how lines and
numbers look). It does not know the photo or the wood, so applying one keeps the current photo
framing (crop, rotation, flips) and the print group (size, paper, mirror) as they are.
"""

from __future__ import annotations

import dataclasses

from .settings import (
    CleanSettings,
    FocusSettings,
    LabelSettings,
    LineSettings,
    PrepareSettings,
    Settings,
    ToneSettings,
    TraceSettings,
)

PRESETS: dict[str, Settings] = {
    # The library defaults: a balanced first try for most photos.
    "standard": Settings(),
    # Few levels, big regions and big numbers, no burn lines and no finer subject: a first
    # piece burned in one lesson (the Beginner band on every sample).
    "beginner": Settings(
        prepare=PrepareSettings(smooth_mm=2.5),
        tones=ToneSettings(levels=3),
        clean=CleanSettings(boundary_smooth_mm=1.5, min_region_mm2=30.0, min_strip_mm=2.0),
        trace=TraceSettings(smooth_mm=0.8),
        labels=LabelSettings(min_height_mm=3.0, max_height_mm=8.0),
        lines=LineSettings(enabled=False),
        focus=FocusSettings(smooth_mm=2.5, min_region_mm2=30.0, min_strip_mm=2.0),
    ),
    # The middle band: 5 levels, regions a shading tip fills in a few strokes.
    "intermediate": Settings(
        prepare=PrepareSettings(smooth_mm=1.4),
        tones=ToneSettings(levels=5),
        clean=CleanSettings(boundary_smooth_mm=0.9, min_region_mm2=8.0, min_strip_mm=1.2),
        focus=FocusSettings(smooth_mm=1.0, min_region_mm2=6.0, min_strip_mm=1.0),
    ),
    # The top band: 7 levels, fine regions down to what a tip can still fill, burn lines.
    "advanced": Settings(
        prepare=PrepareSettings(smooth_mm=0.7),
        tones=ToneSettings(levels=7),
        clean=CleanSettings(
            boundary_smooth_mm=0.6, min_region_mm2=3.0, min_strip_mm=0.8, max_band_mm=1.2
        ),
        trace=TraceSettings(smooth_mm=0.3),
        labels=LabelSettings(min_height_mm=1.5, max_height_mm=4.0),
        focus=FocusSettings(smooth_mm=0.4, min_region_mm2=2.0, min_strip_mm=0.6),
    ),
    # Faces: one level more than standard for soft cheek shading, slightly more contrast.
    "portrait": Settings(
        prepare=PrepareSettings(contrast=1.1),
        tones=ToneSettings(levels=6),
        trace=TraceSettings(smooth_mm=0.6),
    ),
    # Fur and feathers: smaller regions for the markings, shorter burn lines for dark strands.
    "animal": Settings(
        clean=CleanSettings(boundary_smooth_mm=0.8, min_region_mm2=6.0),
        lines=LineSettings(min_length_mm=3.0),
    ),
    # A silhouette or logo: dark on light, one outline and one filled area.
    "silhouette": Settings(tones=ToneSettings(levels=2)),
    # Experienced burners: many levels and small regions, small numbers.
    "detailed": Settings(
        prepare=PrepareSettings(smooth_mm=0.8),
        tones=ToneSettings(levels=8),
        clean=CleanSettings(boundary_smooth_mm=0.6, min_region_mm2=4.0, min_strip_mm=1.0),
        trace=TraceSettings(smooth_mm=0.3),
        labels=LabelSettings(min_height_mm=1.5, max_height_mm=4.0),
    ),
}

# The preset the app opens with.
DEFAULT_PRESET = "standard"

# Prepare fields that describe the photo in hand rather than a style; a preset leaves them be.
_FRAMING_FIELDS = ("crop", "rotate_quarters", "flip_horizontal", "flip_vertical", "working_px")
# Likewise the focus area marked on the photo.
_FOCUS_FIELDS = ("area",)


def preset_name_key(name: str) -> str:
    """Return the translation key of a preset's display name, e.g. ``"preset.beginner"``."""
    return f"preset.{name}"


def apply_preset(name: str, current: Settings) -> Settings:
    """Return preset ``name`` with the photo framing and print settings of ``current`` kept.

    Parameters
    ----------
    name : str
        A key of :data:`PRESETS`.
    current : Settings
        The settings in use; its crop, rotation, flips, working size, marked focus area and
        whole ``print`` group carry over.

    Raises
    ------
    KeyError
        If ``name`` is not a preset (a programming error, not a user one: the app offers only
        the names in :data:`PRESETS`).
    """
    preset = PRESETS[name]
    framing = {field: getattr(current.prepare, field) for field in _FRAMING_FIELDS}
    marked = {field: getattr(current.focus, field) for field in _FOCUS_FIELDS}
    return dataclasses.replace(
        preset,
        prepare=dataclasses.replace(preset.prepare, **framing),
        focus=dataclasses.replace(preset.focus, **marked),
        print=current.print,
    )
