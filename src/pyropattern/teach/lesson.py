"""The lesson around a stencil: burn guide per level, profile, borders, order, colouring.

Everything here is the instructor's choice and is saved with the design as a small JSON file
(:func:`lesson_to_json`, :func:`lesson_from_json`), next to the stencil settings. The burn
guide says per level which tip, heat, technique, passes and stroke speed to use, with a short
note; :func:`default_guide` suggests one for any number of levels from the profile's tool.
"""

from __future__ import annotations

import json
import math
import typing
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from ..render import shade_positions
from ..render.burn import BORDER_STYLES
from ..render.techniques import TECHNIQUES
from .profiles import (
    DEFAULT_PROFILE,
    TIPS,
    Profile,
    ProfileError,
    profile_from_dict,
    profile_to_dict,
    shipped_profiles,
)

Heat = Literal["low", "medium", "high", "fixed"]
HEATS: tuple[str, ...] = typing.get_args(Heat)
Speed = Literal["slow", "medium", "fast"]
SPEEDS: tuple[str, ...] = typing.get_args(Speed)
LESSON_FORMAT = "pyropattern-lesson"
MAX_NOTE = 300  # characters in one level's note
MAX_STEPS, MAX_STEP = 30, 300  # an edited burning order: steps, characters per step


@dataclass(frozen=True)
class LevelGuide:
    """How one level is burned. Level 1 (bare wood) has no tip and no passes."""

    tip: str  # "writing" | "shader" | "ball" | "" (not burned)
    heat: str  # "low" | "medium" | "high" | "fixed" (an iron whose heat cannot be set)
    dial: int  # number on the heat dial, 0 = no number
    technique: str  # one of render.techniques.TECHNIQUES
    passes: int  # times the area is burned over, 0 = leave bare
    speed: str  # stroke speed: "slow" | "medium" | "fast"
    note: str = ""  # the instructor's note, plain text; "" = the suggested note

    def __post_init__(self) -> None:
        if self.tip not in (*TIPS, ""):
            raise ProfileError("teach.error.guide_value", field="tip", value=self.tip)
        if self.heat not in HEATS:
            raise ProfileError("teach.error.guide_value", field="heat", value=self.heat)
        if self.technique not in TECHNIQUES:
            raise ProfileError("teach.error.guide_value", field="technique", value=self.technique)
        if self.speed not in SPEEDS:
            raise ProfileError("teach.error.guide_value", field="speed", value=self.speed)
        for name, value, high in (("dial", self.dial, 20), ("passes", self.passes, 9)):
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
                raise ProfileError("teach.error.guide_value", field=name, value=str(value))
        if not isinstance(self.note, str) or len(self.note) > MAX_NOTE:
            raise ProfileError("teach.error.guide_value", field="note", value="…")


_TIP_FOR = {
    "shading": "shader",
    "stipple": "ball",
    "hatching": "writing",
    "crosshatch": "writing",
    "circles": "writing",
}


def _dial(dial_max: int, level: int, n: int) -> int:
    """Dial number for ``level`` (1..n-1 burned): a third to nine tenths of the dial (its
    lowest marks barely colour, its top scorches), widened when more levels need a number of
    their own, and spread so no two levels share one while the dial has enough numbers."""
    if not dial_max:
        return 0
    low, high = max(1, round(0.3 * dial_max)), round(0.9 * dial_max)
    if n == 2:
        return high
    while high - low + 1 < n - 1 and (low > 1 or high < dial_max):
        low, high = max(1, low - 1), min(dial_max, high + 1)
    return low + round((level - 1) * (high - low) / max(1, n - 2))


def _suggested(profile: Profile, technique: str, level: int, n: int) -> LevelGuide:
    """The guide row a teacher would start from for ``level`` (stored index) of ``n``."""
    if level == 0:
        return LevelGuide(
            "", "low" if profile.tool.heat_adjustable else "fixed", 0, technique, 0, "fast"
        )
    darkness = float(shade_positions(n)[level])
    tip = _TIP_FOR[technique]
    if tip not in profile.tips:
        tip = profile.tips[0]
    step = 0 if darkness <= 0.34 else 1 if darkness <= 0.67 else 2
    if profile.tool.heat_adjustable:
        heat = ("low", "medium", "high")[step]
        dial = _dial(profile.tool.dial_max, level, n)
        passes = 1 if darkness < 0.9 else 2
        speed = ("fast", "medium", "slow")[step]
    else:
        # Fixed heat: the tone comes from how long the tip dwells, so passes and speed carry it.
        heat, dial = "fixed", 0
        passes = max(1, math.ceil(4 * darkness - 1e-9))
        speed = ("fast", "medium", "slow")[step]
    return LevelGuide(tip, heat, dial, technique, passes, speed)


def default_guide(
    profile: Profile, n: int, techniques: typing.Sequence[str] = ()
) -> tuple[LevelGuide, ...]:
    """Suggested guide for ``n`` levels; ``techniques`` per level (missing ones are shaded)."""
    return tuple(
        _suggested(profile, techniques[k] if k < len(techniques) else "shading", k, n)
        for k in range(n)
    )


@dataclass(frozen=True)
class Lesson:
    """The instructor's choices for teaching one stencil."""

    profile: Profile
    guide: tuple[LevelGuide, ...]  # per level, lightest first
    borders: str = "pencil"  # "pencil" (transfer lines) | "burned" (outlines burned first)
    colouring: bool = False  # colour areas after burning (pewarnaan); off: the burn stands alone
    order: tuple[str, ...] = ()  # the instructor's own burning order; () = the suggested one
    fine_scale: bool = True  # print the 10-step scale on the practice sheet
    seed: int = 0  # grain, dots and circles of the preview

    def __post_init__(self) -> None:
        if self.borders not in BORDER_STYLES:
            raise ProfileError("teach.error.guide_value", field="borders", value=self.borders)
        if len(self.order) > MAX_STEPS or any(len(step) > MAX_STEP for step in self.order):
            raise ProfileError("teach.error.order_long", steps=MAX_STEPS, chars=MAX_STEP)

    @property
    def techniques(self) -> tuple[str, ...]:
        """Technique per level."""
        return tuple(row.technique for row in self.guide)

    def fit(self, n: int) -> Lesson:
        """This lesson for ``n`` levels: kept rows stay, missing ones get the suggestion.

        A guide written for another level count is re-suggested whole (level 3 of 4 is not
        level 3 of 6), keeping each level's technique where it still exists.
        """
        if len(self.guide) == n:
            return self
        return replace(self, guide=default_guide(self.profile, n, self.techniques[:n]))


def default_lesson(n: int, profile: Profile | None = None) -> Lesson:
    """A lesson with the shipped default profile and the suggested guide for ``n`` levels."""
    profile = profile or shipped_profiles()[DEFAULT_PROFILE]
    return Lesson(profile=profile, guide=default_guide(profile, n))


def lesson_to_json(lesson: Lesson) -> str:
    """The lesson as JSON (profile embedded, so the file stands on its own)."""
    data: dict[str, Any] = {
        "format": LESSON_FORMAT,
        "version": 1,
        "profile": profile_to_dict(lesson.profile),
        "guide": [asdict(row) for row in lesson.guide],
        "borders": lesson.borders,
        "colouring": lesson.colouring,
        "order": list(lesson.order),
        "fine_scale": lesson.fine_scale,
        "seed": lesson.seed,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def lesson_from_json(text: str | bytes) -> Lesson:
    """Read a lesson written by :func:`lesson_to_json`.

    Raises
    ------
    ProfileError
        One line naming what is wrong.
    """
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ProfileError("teach.error.lesson_file") from None
    if not isinstance(data, dict) or data.get("format") != LESSON_FORMAT:
        raise ProfileError("teach.error.lesson_file")
    profile = profile_from_dict(data.get("profile"))
    rows = data.get("guide")
    if not isinstance(rows, list) or not 2 <= len(rows) <= 10:
        raise ProfileError("teach.error.lesson_file")
    names = {f.name for f in LevelGuide.__dataclass_fields__.values()}
    guide = []
    for row in rows:
        if not isinstance(row, dict) or set(row) - names:
            raise ProfileError("teach.error.lesson_file")
        try:
            guide.append(LevelGuide(**row))
        except TypeError:
            raise ProfileError("teach.error.lesson_file") from None
    order = data.get("order", [])
    flags = (data.get("colouring", False), data.get("fine_scale", True))
    seed = data.get("seed", 0)
    if (
        not isinstance(order, list)
        or not all(isinstance(step, str) for step in order)
        or not all(isinstance(flag, bool) for flag in flags)
        or isinstance(seed, bool)
        or not isinstance(seed, int)
        or not 0 <= seed < 2**31
    ):
        raise ProfileError("teach.error.lesson_file")
    return Lesson(
        profile=profile,
        guide=tuple(guide),
        borders=data.get("borders", "pencil"),
        colouring=flags[0],
        order=tuple(order),
        fine_scale=flags[1],
        seed=seed,
    )
