"""The practice sheet: calibrate the levels on a scrap of the class's own wood.

One page: per level a numbered target swatch (the level's texture on the chosen wood) with
the guide's settings beside it and empty boxes of real size to burn into; an optional finer
10-step scale; a strip of burn-line widths to copy. Boxes are 20 × 20 mm between the centres
of their lines when the page is printed at 100% (the page carries the 100 mm bar to check).
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ..export.pdf import _image, _paragraph, _rect, _text
from ..export.tiling import paper_size_mm
from ..i18n import format_number, tr
from ..render import FONT_BOLD, FONT_REGULAR, shade_positions
from ..render.burn import render_swatch
from ..render.wood import WOODS, burn_colour
from ..settings import PrintSettings
from .kit import PageKit, new_canvas
from .lesson import Lesson
from .words import guide_cells

BOX_MM = 20.0  # the burn boxes: big enough for a shader's full stroke
SCALE_BOX_MM = 15.0  # the finer 10-step scale
SWATCH_DPI = 200  # target swatches: dots and lines of 0.3 mm stay crisp in print
LINE_WIDTHS_MM = (0.3, 0.5, 0.8, 1.2)  # fine writing-tip line … a bold line
_BOX_LINE_MM = 0.25
_ROW_GAP_MM = 4.0


def _swatch(
    lesson: Lesson, level: int, darkness: float, size_mm: tuple[float, float]
) -> Image.Image:
    species = WOODS[lesson.profile.wood]
    technique = lesson.guide[level].technique
    return Image.fromarray(
        render_swatch(species, technique, level, darkness, size_mm, SWATCH_DPI, seed=lesson.seed)
    )


def _text_block(
    canvas: Canvas,
    x: float,
    y: float,
    blocks: list[tuple[str, float, str, float]],
    width: float,
    bottom: float,
) -> None:
    """Wrapped lines of (text, size, font, gray), stopping before ``bottom`` (the next row)."""
    for text, size, font, gray in blocks:
        for line in simpleSplit(text, font, size, width):
            if y + size * 1.0 > bottom:
                return
            y += size
            _text(canvas, x, y, line, size, font=font, gray=gray)
            y += size * 0.3


def _box(canvas: Canvas, x: float, y: float, size: float) -> None:
    canvas.setStrokeGray(0.0)
    canvas.setLineWidth(_BOX_LINE_MM)
    canvas.setDash([], 0)
    _rect(canvas, x, y, size, size)


def draw_practice_page(kit: PageKit, lesson: Lesson, darkness: np.ndarray) -> None:
    """Draw the practice sheet as one page of ``kit``'s document.

    ``darkness`` per level (``render.stencil_darkness`` for a stencil's levels, or
    ``render.shade_positions(n)`` for evenly spaced ones) places the target swatches.
    """
    n = len(darkness)
    lesson = lesson.fit(n)
    lang = kit.lang
    canvas = kit.page()
    x, y, width, height = kit.area
    bottom = y + height
    species = WOODS[lesson.profile.wood]
    wood = tr(f"teach.wood.{species.key}", lang)
    _text(canvas, x, y + 6.0, tr("teach.heading.practice", lang), 6.0, font=FONT_BOLD)
    y += 8.0
    y = _paragraph(
        canvas,
        x,
        y,
        tr("teach.practice.title", lang, levels=n, wood=wood) + " · " + lesson.profile.name,
        3.0,
        width,
        font=FONT_BOLD,
    )
    size = format_number(BOX_MM, lang, digits=0)
    y = _paragraph(canvas, x, y, tr("teach.practice.intro", lang, size=size), 2.7, width) + 2.0
    lines_h = 8.0 + len(LINE_WIDTHS_MM) * 6.0
    scale_h = 10.0 + SCALE_BOX_MM + 8.0 if lesson.fine_scale else 0.0
    room = bottom - y - lines_h - scale_h
    row_h = BOX_MM + _ROW_GAP_MM
    columns = 1 if n * row_h + 5.0 <= room else 2
    per_column = int(np.ceil(n / columns))
    column_w = (width - 6.0 * (columns - 1)) / columns
    boxes = 2 if columns == 1 else 1
    text_w = column_w - 12.0 - BOX_MM - 4.0 - boxes * (BOX_MM + 4.0)
    for column in range(columns):
        cx = x + column * (column_w + 6.0)
        _text(canvas, cx + 12.0, y + 3.0, tr("teach.practice.target", lang), 2.6, font=FONT_BOLD)
        right = cx + column_w - boxes * (BOX_MM + 4.0) + 4.0
        _text(canvas, right, y + 3.0, tr("teach.practice.try", lang), 2.6, font=FONT_BOLD)
    rows_top = y + 5.0
    for level in range(n):
        column, row = divmod(level, per_column)
        cx = x + column * (column_w + 6.0)
        ry = rows_top + row * row_h
        _text(canvas, cx, ry + 9.0, str(level + 1), 8.0, font=FONT_BOLD)
        swatch = _swatch(lesson, level, float(darkness[level]), (BOX_MM, BOX_MM))
        _image(canvas, swatch, cx + 12.0, ry, BOX_MM, BOX_MM)
        _box(canvas, cx + 12.0, ry, BOX_MM)
        cells = guide_cells(lesson, level, n, lang)
        tx = cx + 12.0 + BOX_MM + 3.0
        title = tr("teach.practice.level", lang, number=level + 1) + " · " + cells["technique"]
        blocks = [(title, 2.6, FONT_BOLD, 0.0)]
        if level:
            detail = f"{cells['tip']} · {cells['heat']} · {cells['passes']} · {cells['speed']}"
            blocks.append((detail, 2.3, FONT_REGULAR, 0.0))
        blocks.append((cells["note"], 2.1, FONT_REGULAR, 0.3))
        _text_block(canvas, tx, ry - 0.4, blocks, text_w, ry + BOX_MM)
        for k in range(boxes):
            _box(canvas, cx + column_w - (boxes - k) * (BOX_MM + 4.0) + 4.0, ry, BOX_MM)
    y = rows_top + per_column * row_h + 2.0
    if lesson.fine_scale:
        y = _fine_scale(kit, lesson, y, width)
    _line_strip(kit, lesson, y, width)
    kit.end()


def _fine_scale(kit: PageKit, lesson: Lesson, y: float, width: float) -> float:
    canvas, x, lang = kit.canvas, kit.area[0], kit.lang
    y = _paragraph(canvas, x, y, tr("teach.practice.scale", lang), 2.8, width, font=FONT_BOLD)
    species = WOODS[lesson.profile.wood]
    step = SCALE_BOX_MM + (min(width, 190.0) - 10 * SCALE_BOX_MM) / 9
    strip = burn_colour(species, np.linspace(0.0, 1.0, 10))
    for k in range(10):
        bx = x + k * step
        canvas.setFillColorRGB(*(float(c) / 255 for c in strip[k]))
        canvas.setStrokeGray(0.0)
        canvas.setLineWidth(0.15)
        _rect(canvas, bx, y + 0.5, SCALE_BOX_MM, 4.0, stroke=1, fill=1)
        _box(canvas, bx, y + 5.5, SCALE_BOX_MM)
        _text(
            canvas,
            bx + SCALE_BOX_MM / 2,
            y + 5.5 + SCALE_BOX_MM + 3.2,
            str(k + 1),
            2.6,
            align="center",
        )
    return y + 5.5 + SCALE_BOX_MM + 6.0


def _line_strip(kit: PageKit, lesson: Lesson, y: float, width: float) -> None:
    canvas, x, lang = kit.canvas, kit.area[0], kit.lang
    y = _paragraph(canvas, x, y, tr("teach.practice.lines", lang), 2.8, width, font=FONT_BOLD)
    species = WOODS[lesson.profile.wood]
    ink = burn_colour(species, 0.9)
    length = min(70.0, (width - 20.0) / 2)
    for k, line_mm in enumerate(LINE_WIDTHS_MM):
        ly = y + 3.5 + k * 6.0
        _text(canvas, x, ly + 1.0, tr("teach.practice.line_width", lang, width=line_mm), 2.6)
        canvas.setStrokeColorRGB(*(float(c) / 255 for c in ink))
        canvas.setLineWidth(line_mm)
        canvas.setDash([], 0)
        canvas.line(x + 16.0, ly, x + 16.0 + length, ly)
        # The trainee's lane: two light guides 3 mm apart, beside the sample.
        canvas.setStrokeGray(0.6)
        canvas.setLineWidth(0.15)
        canvas.setDash([1.0, 1.0], 0)
        lane = x + 22.0 + length
        canvas.line(lane, ly - 1.5, lane + length, ly - 1.5)
        canvas.line(lane, ly + 1.5, lane + length, ly + 1.5)
    canvas.setDash([], 0)


def practice_pdf(
    lesson: Lesson, n: int, lang: str = "en", *, print_settings: PrintSettings | None = None
) -> bytes:
    """The practice sheet alone, as a one-page PDF.

    Parameters
    ----------
    lesson : Lesson
        Profile (wood, tool) and burn guide; fitted to ``n`` levels.
    n : int
        Number of levels.
    lang : {"en", "id"}
    print_settings : PrintSettings, optional
        Paper and margin; A4 with 10 mm margins by default.

    Returns
    -------
    bytes
    """
    print_settings = print_settings or PrintSettings()
    buffer = io.BytesIO()
    title = tr("teach.heading.practice", lang)
    canvas = new_canvas(buffer, title)
    kit = PageKit(canvas, paper_size_mm(print_settings), print_settings.margin_mm, lang, title, 1)
    draw_practice_page(kit, lesson, shade_positions(n))
    canvas.save()
    return buffer.getvalue()
