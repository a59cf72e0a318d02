"""Estimated burn time per level and in total, from the stencil, the guide and the profile.

Time per level = passes × (work of one pass) / rate, where the work follows the technique:

* shading: the level's area (cm²) / ``shading_cm2_per_min``;
* stippling: dots = density × area (the density that gives the level's tone, see
  ``render.techniques.stipple_density``) / ``stipple_dots_per_min``;
* hatching and cross-hatching: line length = area × coverage of one direction / line width,
  for every direction, / ``hatch_mm_per_min``;
* small circles: circles = density × area / ``circles_per_min``;
* a patterned level whose tone needs a toasted ground under the marks adds one shading pass.

Tracing the pattern (all borders) runs at ``trace_mm_per_min``; burned outlines and burn
lines at ``line_mm_per_min``. The rates live in the profile, so a class edits them once it
has timed itself (:mod:`pyropattern.teach.profiles`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..i18n import tr
from ..model import Stencil
from ..render import stencil_darkness
from ..render.techniques import (
    DEFAULT_SIZES,
    MarkSizes,
    circle_density,
    plan_level,
    stipple_density,
)
from ..render.wood import WOODS
from .lesson import Lesson


@dataclass(frozen=True)
class TimeEstimate:
    """Minutes of work, per part of the piece."""

    trace_min: float  # transferring the pattern onto the wood
    lines_min: float  # burn lines and (if chosen) burned outlines, writing tip
    level_min: tuple[float, ...]  # per level, lightest first (level 1 is bare: 0)

    @property
    def total_min(self) -> float:
        """Everything, minutes."""
        return self.trace_min + self.lines_min + sum(self.level_min)


def estimate_time(
    stencil: Stencil, lesson: Lesson, sizes: MarkSizes = DEFAULT_SIZES
) -> TimeEstimate:
    """Estimate the burn time of ``stencil`` burned as ``lesson`` says.

    Returns
    -------
    TimeEstimate
    """
    rates = lesson.profile.rates
    species = WOODS[lesson.profile.wood]
    n = stencil.tones.count
    darkness = stencil_darkness(stencil)
    lesson = lesson.fit(n)
    design_mm2 = stencil.width_mm * stencil.height_mm
    border_mm = stencil.outlines.line_length_mm
    per_level = []
    for level in range(n):
        row = lesson.guide[level]
        share = (
            stencil.report.level_area_share[level]
            if level < len(stencil.report.level_area_share)
            else 0.0
        )
        area_mm2 = share * design_mm2
        if level == 0 or row.passes == 0 or area_mm2 <= 0:
            per_level.append(0.0)
            continue
        plan = plan_level(species, row.technique, level, float(darkness[level]))
        if row.technique == "shading":
            one_pass = area_mm2 / 100 / rates.shading_cm2_per_min
        elif row.technique == "stipple":
            one_pass = stipple_density(plan, sizes) * area_mm2 / rates.stipple_dots_per_min
        elif row.technique == "circles":
            one_pass = circle_density(plan, sizes) * area_mm2 / rates.circles_per_min
        else:
            length = area_mm2 * plan.per_direction / sizes.line_mm * len(plan.angles)
            one_pass = length / rates.hatch_mm_per_min
        ground = (
            area_mm2 / 100 / rates.shading_cm2_per_min
            if plan.ground > 0 and row.technique != "shading"
            else 0.0
        )
        per_level.append(row.passes * one_pass + ground)
    lines_mm = stencil.lines.length_mm + (border_mm if lesson.borders == "burned" else 0.0)
    return TimeEstimate(
        trace_min=(border_mm + stencil.lines.length_mm) / rates.trace_mm_per_min,
        lines_min=lines_mm / rates.line_mm_per_min,
        level_min=tuple(float(m) for m in per_level),
    )


def format_minutes(minutes: float, lang: str) -> str:
    """``± 3 h 20 min`` / ``± 3 jam 20 menit``, rounded to 5 minutes (at least 5)."""
    rounded = max(5, int(np.ceil(minutes / 5.0) * 5))
    hours, rest = divmod(rounded, 60)
    if hours and rest:
        return tr("teach.time.hours_minutes", lang, hours=hours, minutes=rest)
    if hours:
        return tr("teach.time.hours", lang, hours=hours)
    return tr("teach.time.minutes", lang, minutes=rest)
