"""A small kit for pages of flowing text and tables (worksheet, class-pack summary).

These pages are not at scale, so they use reportlab's layout layer, platypus: paragraphs
and tables wrap and paginate in either language without hand-placed baselines. Pattern
tiles stay on the canvas in ``pdf.py``, drawn in millimetres.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus import Image as PdfImage

from ..render import FONT_BOLD, FONT_REGULAR, register_fonts
from ..settings import PrintSettings
from .tiling import paper_size_mm

__all__ = ["Styles", "TickBox", "build_document", "image_flowable", "styles", "text"]


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of the flowing pages, in the stencil PDF's fonts."""

    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle


@cache
def styles() -> Styles:
    """The shared paragraph styles (fonts registered on first use)."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT_REGULAR, fontSize=10, leading=13)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21,
                             spaceAfter=4 * mm),
        heading=ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=12,
                               leading=15, spaceBefore=3 * mm, spaceAfter=1.5 * mm),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
    )


def text(value: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: names and reasons are data, never markup."""
    return Paragraph(escape(value), style)


def image_flowable(rgb: np.ndarray, max_w_mm: float, max_h_mm: float) -> PdfImage:
    """An (M, N, 3) uint8 image as a flowable fitted inside ``max_w_mm`` × ``max_h_mm``."""
    rows, cols = rgb.shape[:2]
    factor = min(max_w_mm / cols, max_h_mm / rows)
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG")
    buffer.seek(0)
    return PdfImage(buffer, width=cols * factor * mm, height=rows * factor * mm)


class TickBox(Flowable):
    """An empty square to tick by hand, followed by its words."""

    def __init__(self, words: str, size_mm: float = 5.0) -> None:
        super().__init__()
        self.words = words
        self.size = size_mm * mm
        register_fonts()
        self.width = self.size + 2 * mm + stringWidth(words, FONT_REGULAR, 10)
        self.height = self.size

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.8)
        canvas.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        canvas.setFont(FONT_REGULAR, 10)
        canvas.drawString(self.size + 2 * mm, 0.25 * self.size, self.words)


def build_document(
    story: Sequence[Flowable],
    *,
    print_settings: PrintSettings,
    title: str,
    footer: Callable[[int], str],
) -> bytes:
    """Lay ``story`` out on portrait pages of the print settings' paper, a footer on each.

    The document is reproducible (no timestamp or random id), like the stencil PDF.
    """
    width_mm, height_mm = paper_size_mm(print_settings)
    buffer = io.BytesIO()

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT_REGULAR, 8)
        canvas.setFillColor(colors.Color(0.35, 0.35, 0.35))
        canvas.drawString(15 * mm, 10 * mm, footer(document.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=(width_mm * mm, height_mm * mm),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=title,
        creator="pyropattern",
        author="",
        invariant=1,
    )
    document.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
