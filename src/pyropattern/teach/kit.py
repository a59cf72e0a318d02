"""Page kit for the teaching documents: pages with header, footer and calibration bar,
exact drawing in millimetres (y down, as the stencil's geometry) and flowing text through
reportlab's platypus, which wraps and paginates both languages without hand-placed baselines.

The drawing helpers themselves are the print PDF's (``export.pdf``), so a line, a text or an
image is placed the same way on every page pyropattern prints.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm as POINTS_PER_MM
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph

from ..export.pdf import _begin_page, _paragraph, _rect, _text
from ..i18n import tr
from ..render import FONT_BOLD, FONT_REGULAR, register_fonts

HEADER_MM = 10.0  # title and page number, a thin rule
FOOTER_MM = 14.0  # 100 mm calibration bar and the print-at-100% line
_MUTED = 0.35


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: user text is escaped, never read as markup."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


@dataclass(frozen=True)
class Styles:
    """The few paragraph styles every teaching page uses."""

    heading: ParagraphStyle
    subheading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle


def styles() -> Styles:
    """Paragraph styles in Vera (the font every output uses), sizes in points."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT_REGULAR, fontSize=9.5, leading=12.5, spaceAfter=4)
    return Styles(
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            spaceAfter=6,
            keepWithNext=1,
        ),
        subheading=ParagraphStyle(
            "subheading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, spaceAfter=2),
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=9.8, spaceAfter=0),
    )


class PageKit:
    """Pages of one document: call :meth:`page` for a drawn page, :meth:`flow` for text.

    ``total`` is the document's page count for "Page X of Y" (0 = not known yet: the
    documents are laid out twice, the first time only to count their pages).
    """

    def __init__(
        self,
        canvas: Canvas,
        paper_mm: tuple[float, float],
        margin_mm: float,
        lang: str,
        title: str,
        total: int = 0,
    ) -> None:
        self.canvas = canvas
        self.paper_w, self.paper_h = paper_mm
        self.margin = margin_mm
        self.lang = lang
        self.title = title
        self.total = total
        self.number = 0
        register_fonts()

    @property
    def area(self) -> tuple[float, float, float, float]:
        """Free area of a page inside the furniture: (x, y, width, height) mm, y down."""
        top = self.margin + HEADER_MM
        bottom = self.paper_h - self.margin - FOOTER_MM
        return self.margin, top, self.paper_w - 2 * self.margin, bottom - top

    def _furniture(self) -> None:
        canvas, margin, lang = self.canvas, self.margin, self.lang
        right = self.paper_w - margin
        _text(canvas, margin, margin + 4.0, self.title, 3.2, font=FONT_BOLD)
        page = tr("print.page", lang, index=self.number, count=self.total or self.number)
        _text(canvas, right, margin + 4.0, page, 2.6, align="right", gray=_MUTED)
        canvas.setStrokeGray(_MUTED)
        canvas.setLineWidth(0.2)
        canvas.setDash([], 0)
        canvas.line(margin, margin + 6.0, right, margin + 6.0)
        # The 100 mm calibration bar: the practice boxes are only real size if this is.
        top = self.paper_h - margin - FOOTER_MM + 3.0
        canvas.setFillGray(0.0)
        canvas.setStrokeGray(0.0)
        canvas.setLineWidth(0.15)
        _rect(canvas, margin, top + 2.0, 100.0, 1.2, stroke=0, fill=1)
        for tick in range(0, 101, 10):
            canvas.line(margin + tick, top + 3.2, margin + tick, top + 4.6)
        _text(canvas, margin, top + 7.4, "0", 2.4)
        _text(
            canvas,
            margin + 100.0,
            top + 7.4,
            tr("print.bar.mm", lang),
            2.4,
            align="right",
            font=FONT_BOLD,
        )
        x = margin + 106.0
        y = top
        for key in ("print.instruction.scale", "print.instruction.bar"):
            y = _paragraph(canvas, x, y, tr(key, lang), 2.2, right - x, font=FONT_BOLD)

    def page(self) -> Canvas:
        """Start a page with its furniture; the canvas draws in mm, y down. Call :meth:`end`."""
        self.number += 1
        _begin_page(self.canvas, self.paper_w, self.paper_h)
        self._furniture()
        return self.canvas

    def end(self) -> None:
        """Finish the current page."""
        self.canvas.showPage()

    def skip(self, pages: int) -> None:
        """Count ``pages`` drawn by someone else (the pattern sheets)."""
        self.number += pages

    @contextmanager
    def points(self) -> Iterator[Canvas]:
        """Within a page: reportlab's own frame (points, y up), for platypus flowables."""
        canvas = self.canvas
        canvas.saveState()
        canvas.scale(1 / POINTS_PER_MM, -1 / POINTS_PER_MM)
        canvas.translate(0, -self.paper_h * POINTS_PER_MM)
        try:
            yield canvas
        finally:
            canvas.restoreState()

    def frame(self, top_mm: float | None = None) -> Frame:
        """A platypus frame over the free area (from ``top_mm`` down, if given)."""
        x, y, w, h = self.area
        if top_mm is not None:
            h -= top_mm - y
            y = top_mm
        bottom = self.paper_h - (y + h)
        return Frame(
            x * POINTS_PER_MM,
            bottom * POINTS_PER_MM,
            w * POINTS_PER_MM,
            h * POINTS_PER_MM,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def flow(self, story: list[Flowable], *, top_mm: float | None = None) -> None:
        """Lay ``story`` out on as many pages as it needs; the first may start at ``top_mm``.

        The first page must already be started (so a drawn block can sit above the text).
        """
        story = list(story)
        first = True
        while story:
            if not first:
                self.page()
            before = len(story)
            with self.points() as canvas:
                self.frame(top_mm if first else None).addFromList(story, canvas)
            self.end()
            if len(story) == before and not first:
                story.pop(0)  # taller than a whole page: dropped rather than loop forever
            first = False


def rgb_color(rgb: tuple[int, int, int]) -> Color:
    """A reportlab colour from 8-bit sRGB."""
    return Color(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255)


def new_canvas(buffer: io.BytesIO, title: str) -> Canvas:
    """A reproducible canvas (no timestamp or random id), compressed."""
    canvas = Canvas(buffer, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("pyropattern")
    canvas.setAuthor("")
    return canvas
