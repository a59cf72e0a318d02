"""The burn guide in words: one place that turns guide rows and levels into text."""

from __future__ import annotations

from ..i18n import tr
from ..render.wood import level_darkness
from .lesson import Lesson, LevelGuide


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
    darkness = float(level_darkness(n)[level])
    key = "light" if darkness <= 0.34 else "mid" if darkness <= 0.67 else "dark"
    return tr(f"teach.note.{key}", lang)


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
