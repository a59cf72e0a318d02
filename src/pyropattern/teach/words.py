"""The burn guide in words: one place that turns guide rows and levels into text."""

from __future__ import annotations

from ..i18n import tr
from ..model import Stencil
from ..render import shade_positions
from .lesson import Lesson, LevelGuide
from .timing import format_minutes


def tip_text(row: LevelGuide, lang: str) -> str:
    """The tip, e.g. "shader" / "mata pena arsir (shader)"; a dash when not burned."""
    return tr(f"teach.tip.{row.tip or 'none'}", lang)


def heat_text(row: LevelGuide, lang: str) -> str:
    """The heat, with the dial number when the pen has one."""
    heat = tr(f"teach.heat.{row.heat}", lang)
    return tr("teach.heat.dial", lang, heat=heat, dial=row.dial) if row.dial else heat


def level_note(lesson: Lesson, level: int, n: int, lang: str) -> str:
    """The instructor's note for ``level`` (stored index), or the suggested one."""
    row = lesson.guide[level]
    if row.note.strip():
        return row.note
    if level == 0:
        return tr("teach.note.bare", lang)
    if level == 1 and not lesson.profile.tool.heat_adjustable:
        return tr("teach.note.solder", lang)
    darkness = float(shade_positions(n)[level])
    key = "light" if darkness <= 0.34 else "mid" if darkness <= 0.67 else "dark"
    return tr(f"teach.note.{key}", lang)


def burn_lines_text(stencil: Stencil, lesson: Lesson, lang: str) -> str:
    """The burn guide's line for the burn lines: how many, how long, which tip, how."""
    lines = stencil.lines
    rates = lesson.profile.rates
    minutes = lines.length_mm / rates.line_mm_per_min
    return tr(
        "teach.guide.lines",
        lang,
        count=lines.count,
        bold=sum(lines.bold),
        length=round(lines.length_mm / 1000, 2),
        time=format_minutes(minutes, lang),
    )


def guide_cells(lesson: Lesson, level: int, n: int, lang: str) -> dict[str, str]:
    """One guide row as text: tip, heat, technique, passes, speed, note."""
    row = lesson.guide[level]
    if level == 0 or row.passes == 0:
        bare = tr("teach.guide.bare", lang)
        return {
            "tip": "—",
            "heat": "—",
            "technique": bare,
            "passes": "0",
            "speed": "—",
            "note": level_note(lesson, level, n, lang),
        }
    return {
        "tip": tip_text(row, lang),
        "heat": heat_text(row, lang),
        "technique": tr(f"teach.technique.{row.technique}", lang),
        "passes": f"{row.passes}×",
        "speed": tr(f"teach.speed.{row.speed}", lang),
        "note": level_note(lesson, level, n, lang),
    }
