"""The selection worksheet: 2 to 6 candidate patterns side by side on paper, for a class talk.

Each candidate is one block (kept on one page): a thumbnail of the pattern in its burn shades,
its size, difficulty badge, burn time and the reasons in words, and two boxes to tick,
"suits me" / "not yet". A short guide to choosing (skill, time, wood size, product) opens
the sheet.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from ..difficulty import Difficulty, badge_text, format_burn_time, rate_difficulty, reasons_text
from ..errors import PyropatternError
from ..i18n import format_number, normalize_lang, tr
from ..model import Stencil
from ..render import render_tone_map
from .flow import TickBox, build_document, image_flowable, styles, text

MIN_CANDIDATES, MAX_CANDIDATES = 2, 6
_THUMB_MM = 62.0  # thumbnail box: big enough to judge the regions, three blocks per page
_THUMB_PX = 480  # long side of the rendered thumbnail


@dataclass(frozen=True)
class Candidate:
    """One pattern on the worksheet."""

    name: str  # shown as plain text, e.g. the photo's file name or "Cat, 5 levels"
    stencil: Stencil
    difficulty: Difficulty

    @classmethod
    def of(cls, name: str, stencil: Stencil) -> Candidate:
        """A candidate rated on the spot."""
        return cls(name, stencil, rate_difficulty(stencil))


def _thumbnail(stencil: Stencil):
    dpi = _THUMB_PX * 25.4 / max(stencil.width_mm, stencil.height_mm)
    return image_flowable(render_tone_map(stencil, dpi, lines=True), _THUMB_MM, _THUMB_MM)


def _block(candidate: Candidate, letter: str, lang: str) -> KeepTogether:
    s = styles()
    stencil, difficulty = candidate.stencil, candidate.difficulty
    boxes = Table(
        [[TickBox(tr("select.sheet.suits", lang)), TickBox(tr("select.sheet.not_yet", lang))]],
        hAlign="LEFT",
        style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 8 * mm)]),
    )
    words = [
        text(tr("select.sheet.candidate", lang, letter=letter, name=candidate.name), s.heading),
        text(
            tr(
                "select.sheet.size", lang,
                width=format_number(round(stencil.width_mm), lang, digits=0),
                height=format_number(round(stencil.height_mm), lang, digits=0),
                levels=stencil.tones.count, regions=stencil.report.region_count,
            ),
            s.body,
        ),
        text(tr("select.sheet.difficulty", lang, badge=badge_text(difficulty, lang)), s.body),
        text(
            tr("select.sheet.time", lang, time=format_burn_time(difficulty.burn_minutes, lang)),
            s.body,
        ),
        text(tr("select.sheet.why", lang, reasons=reasons_text(difficulty, lang)), s.body),
        Spacer(1, 3 * mm),
        boxes,
    ]
    table = Table(
        [[_thumbnail(stencil), words]],
        colWidths=[(_THUMB_MM + 4) * mm, None],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.6, (0.6, 0.6, 0.6)),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        ),
    )
    return KeepTogether([table, Spacer(1, 4 * mm)])


def worksheet_pdf(candidates: Sequence[Candidate], lang: str = "en") -> bytes:
    """Build the selection worksheet for 2 to 6 candidates.

    Parameters
    ----------
    candidates : sequence of Candidate
        Lettered A, B, C... in this order.
    lang : {"en", "id"}

    Returns
    -------
    bytes
        The PDF, on the paper of the first candidate's print settings.

    Raises
    ------
    PyropatternError
        If there are fewer than 2 or more than 6 candidates.
    """
    lang = normalize_lang(lang)
    if not MIN_CANDIDATES <= len(candidates) <= MAX_CANDIDATES:
        raise PyropatternError("select.error.candidates", count=len(candidates))
    s = styles()
    story = [
        text(tr("select.sheet.title", lang), s.title),
        text(tr("select.sheet.name_line", lang), s.body),
        Spacer(1, 3 * mm),
        text(tr("select.sheet.intro", lang), s.body),
        text(tr("select.sheet.guide_title", lang), s.heading),
    ]
    for topic in ("skill", "time", "wood", "product"):
        story.append(text("• " + tr(f"select.sheet.guide.{topic}", lang), s.small))
    story.append(Spacer(1, 4 * mm))
    for letter, candidate in zip(string.ascii_uppercase, candidates, strict=False):
        story.append(_block(candidate, letter, lang))
    return build_document(
        story,
        print_settings=candidates[0].stencil.settings.print,
        title=tr("select.sheet.title", lang),
        footer=lambda page: tr("select.sheet.footer", lang, page=page),
    )
