"""The burning order: numbered steps derived from the stencil, or the instructor's own.

The suggestion follows how pyrography is taught: transfer the pattern, test the levels on a
scrap, burn the lines with the writing tip, then the levels from the lightest to the darkest
(a light tone can still be darkened, a dark one cannot be undone), small dark details last,
then clean, colour and finish. Cross-hatching is layered: each direction goes over every
area that needs it before the next direction starts.
"""

from __future__ import annotations

from ..i18n import tr
from ..model import Stencil
from .lesson import Lesson

# Areas smaller than this many times the minimum area count as "small details".
_DETAIL_FACTOR = 3.0


def suggested_order(stencil: Stencil, lesson: Lesson, lang: str) -> list[str]:
    """The suggested steps, in ``lang``, in burning order (not yet numbered)."""
    lesson = lesson.fit(stencil.tones.count)
    n = stencil.tones.count
    steps = [
        tr(
            f"teach.order.transfer.{stencil.settings.print.transfer}",
            lang,
            length=round(stencil.outlines.line_length_mm / 1000, 1),
        ),
        tr("teach.order.practice", lang),
    ]
    if stencil.lines.count:
        steps.append(
            tr(
                "teach.order.lines",
                lang,
                count=stencil.lines.count,
                length=round(stencil.lines.length_mm / 1000, 1),
            )
        )
    if lesson.borders == "burned":
        steps.append(tr("teach.order.outlines", lang))
    counts = stencil.report.level_region_count
    layered = False  # the note on layering goes with the first cross-hatched level burned
    for level in range(1, n):
        row = lesson.guide[level]
        regions = counts[level] if level < len(counts) else 0
        if not regions:
            continue
        params = {
            "number": level + 1,
            "regions": regions,
            "technique": tr(f"teach.technique.{row.technique}", lang),
            "passes": row.passes,
        }
        steps.append(tr("teach.order.level", lang, **params))
        if row.technique == "crosshatch" and not layered:
            layered = True
            steps.append(tr("teach.order.layered", lang, first=level + 1))
    small = stencil.settings.clean.min_region_mm2 * _DETAIL_FACTOR
    dark_small = sum(
        1
        for level, area in zip(
            stencil.regions.region_levels, stencil.outlines.region_area_mm2, strict=True
        )
        if level >= n - 2 and area < small
    )
    if dark_small:
        steps.append(tr("teach.order.details", lang, count=dark_small))
    steps.append(tr("teach.order.clean", lang))
    if lesson.colouring:
        steps.append(tr("teach.order.colour", lang))
    steps.append(tr("teach.order.finish", lang))
    return steps


def burning_order(stencil: Stencil, lesson: Lesson, lang: str) -> list[str]:
    """The steps to print: the instructor's own when set, else :func:`suggested_order`."""
    return list(lesson.order) if lesson.order else suggested_order(stencil, lesson, lang)
