"""Print-ready PDF: the stencil in vector lines at exact size, tiled over sheets of paper.

Pages, in order: an overview (the key print instructions in both languages and the assembly
map), the legend (burn levels key, settings, photo and level map, safety note), then one page
per non-blank sheet. What goes in is chosen by ``contents`` (:data:`CONTENTS`: the pattern
sheets only, with the key page, or everything), and ``copies`` repeats the pattern sheets for a
class; :func:`pdf_page_count` says how many pages that makes before anything is drawn. Every
page carries the 100 mm calibration bar (and a 4 in bar on Letter and Legal) with the
instruction to print at 100%.

All drawing is done in millimetres with y pointing down, like the stencil's geometry: each
page starts with a transform from PDF points (y up) to that frame, so there is no unit
conversion anywhere below :func:`_begin_page`.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image
from reportlab import rl_config
from reportlab.lib.units import mm as POINTS_PER_MM
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from ..errors import PyropatternError
from ..i18n import LANGUAGES, format_number, normalize_lang, tr
from ..model import Label, Stencil
from ..plaintext import printable
from ..render import (
    FONT_BOLD,
    FONT_REGULAR,
    LineStyle,
    effective_mirror,
    frame_paths,
    label_box,
    leader_line,
    register_fonts,
    render_tone_map,
    stencil_shades,
    stroke_styles,
    text_width_mm,
)
from ..settings import PrintSettings
from .tiling import (
    FOOTER_MM,
    HEADER_MM,
    INCH_PAPERS,
    SIDE_MM,
    Tile,
    TilePlan,
    paper_size_mm,
    plan_tiles,
)

# Images are embedded as Flate-compressed bytes; ASCII85 would add a quarter to their size.
rl_config.useA85 = 0

_INK = 0.0
_MUTED = 0.35
_OVERLAP_TINT = 0.92  # gray of the overlap strips: visible, yet lines over it stay clear
_MARK_WIDTH_MM = 0.2  # cut lines, crosses, grid

# What a PDF holds: the pattern sheets only; the key page and the sheets; or the overview with
# the print instructions and assembly map, the key page and the sheets (the full set).
CONTENTS = ("pattern", "key", "full")
_INFO_PAGES = {"pattern": 0, "key": 1, "full": 2}
MAX_COPIES = 100  # a class set, not a print run: 100 copies of a 4-sheet design is 400 pages


@dataclass(frozen=True)
class _Geometry:
    """The stencil's drawable items with their bounding boxes, computed once per PDF."""

    boundaries: list[tuple[np.ndarray, tuple[float, float, float, float]]]
    fine_lines: list[tuple[np.ndarray, tuple[float, float, float, float]]]  # burn lines
    bold_lines: list[tuple[np.ndarray, tuple[float, float, float, float]]]


def _bbox(points: np.ndarray) -> tuple[float, float, float, float]:
    low, high = points.min(axis=0), points.max(axis=0)
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])


def _geometry(stencil: Stencil) -> _Geometry:
    return _Geometry(
        boundaries=[
            (np.asarray(b.points, dtype=np.float64), _bbox(np.asarray(b.points)))
            for b in stencil.outlines.boundaries
            if len(b.points) > 1
        ],
        fine_lines=_boxed(p for p, bold in zip(*_burn(stencil), strict=True) if not bold),
        bold_lines=_boxed(p for p, bold in zip(*_burn(stencil), strict=True) if bold),
    )


def _burn(stencil: Stencil) -> tuple[tuple[np.ndarray, ...], tuple[bool, ...]]:
    return stencil.lines.paths, stencil.lines.bold


def _boxed(paths: Iterable[np.ndarray]) -> list[tuple[np.ndarray, tuple[float, ...]]]:
    return [(np.asarray(p, dtype=np.float64), _bbox(np.asarray(p))) for p in paths if len(p) > 1]


def _overlaps(box: tuple[float, float, float, float], rect: tuple[float, ...]) -> bool:
    x0, y0, x1, y1 = rect
    return box[0] <= x1 and box[2] >= x0 and box[1] <= y1 and box[3] >= y0


def _segments_cross_rect(points: np.ndarray, rect: tuple[float, float, float, float]) -> bool:
    """True if any segment of the polyline touches the rectangle (Liang–Barsky, vectorised)."""
    x0, y0, x1, y1 = rect
    start, end = points[:-1], points[1:]
    delta = end - start
    low = np.zeros(len(start))
    high = np.ones(len(start))
    for p, q in (
        (-delta[:, 0], start[:, 0] - x0),
        (delta[:, 0], x1 - start[:, 0]),
        (-delta[:, 1], start[:, 1] - y0),
        (delta[:, 1], y1 - start[:, 1]),
    ):
        parallel = p == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(parallel, 0.0, q / np.where(parallel, 1.0, p))
        outside = parallel & (q < 0)
        low = np.where((p < 0) & ~parallel, np.maximum(low, t), low)
        high = np.where((p > 0) & ~parallel, np.minimum(high, t), high)
        low = np.where(outside, 2.0, low)
    return bool(np.any(low <= high))


def _design_rect(tile: Tile, width_mm: float, mirror: bool) -> tuple[float, float, float, float]:
    """The tile's rectangle in unmirrored design coordinates (x0, y0, x1, y1)."""
    x0, x1 = tile.x_mm, tile.x_mm + tile.width_mm
    if mirror:
        x0, x1 = width_mm - x1, width_mm - x0
    return x0, tile.y_mm, x1, tile.y_mm + tile.height_mm


def tile_has_content(stencil: Stencil, tile: Tile, *, mirror: bool = False) -> bool:
    """True if any border, burn line or number falls on ``tile``.

    A sheet with nothing but part of the frame on it needs no tracing and is not printed.
    """
    rect = _design_rect(tile, stencil.width_mm, mirror)
    lines = [*(b.points for b in stencil.outlines.boundaries), *stencil.lines.paths]
    for points in lines:
        points = np.asarray(points, dtype=np.float64)
        if (
            len(points) > 1
            and _overlaps(_bbox(points), rect)
            and _segments_cross_rect(points, rect)
        ):
            return True
    for label in stencil.labels.items:
        left, baseline, width, _ = label_box(label)
        if _overlaps((left, baseline - label.height_mm, left + width, baseline), rect):
            return True
        if not label.inside and _segments_cross_rect(np.array(leader_line(label)), rect):
            return True
    return False


def paper_label(print_settings: PrintSettings, lang: str) -> str:
    """Return the paper's name with its size in mm, e.g. "F4 (215 × 330 mm)"."""
    width, height = paper_size_mm(print_settings)
    params = {"width": _mm(width, lang), "height": _mm(height, lang)}
    if print_settings.paper == "custom":
        return tr("print.paper.custom", lang, **params)
    return tr("print.paper.named", lang, name=print_settings.paper, **params)


def _mm(value: float, lang: str) -> str:
    return format_number(round(float(value), 1), lang, digits=1)


# --- drawing helpers: all coordinates in mm, y down --------------------------------------------


def _begin_page(canvas: Canvas, width_mm: float, height_mm: float) -> None:
    canvas.setPageSize((width_mm * POINTS_PER_MM, height_mm * POINTS_PER_MM))
    canvas.translate(0, height_mm * POINTS_PER_MM)
    canvas.scale(POINTS_PER_MM, -POINTS_PER_MM)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)


def _text(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    font: str = FONT_REGULAR,
    align: str = "left",
    gray: float = _INK,
    angle: float = 0.0,
) -> None:
    """Draw one line with its baseline at ``y`` (the y-down frame needs a local flip)."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(1, -1)
    if angle:
        canvas.rotate(angle)
    canvas.setFont(font, size)
    canvas.setFillGray(gray)
    draw = {
        "left": canvas.drawString,
        "center": canvas.drawCentredString,
        "right": canvas.drawRightString,
    }[align]
    draw(0, 0, text)
    canvas.restoreState()


def _paragraph(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    width: float,
    *,
    font: str = FONT_REGULAR,
    gray: float = _INK,
) -> float:
    """Draw ``text`` wrapped to ``width``; return the baseline below the last line."""
    for line in simpleSplit(text, font, size, width):
        y += size * 1.0
        _text(canvas, x, y, line, size, font=font, gray=gray)
        y += size * 0.3
    return y


def _stroke(canvas: Canvas, style: LineStyle) -> None:
    canvas.setStrokeGray(style.gray)
    canvas.setLineWidth(style.width_mm)
    if style.dash_mm:
        canvas.setDash(list(style.dash_mm), 0)
    else:
        canvas.setDash([], 0)


def _polyline(canvas: Canvas, points: Iterable[Sequence[float]], *, close: bool = False) -> None:
    path = canvas.beginPath()
    iterator = iter(points)
    x, y = next(iterator)
    path.moveTo(float(x), float(y))
    for x, y in iterator:
        path.lineTo(float(x), float(y))
    if close:
        path.close()
    canvas.drawPath(path, stroke=1, fill=0)


def _paths(canvas: Canvas, lines: Iterable[np.ndarray]) -> None:
    """Stroke many polylines as one path (one operator stream; far fewer PDF objects).

    The path operators are written as text in one go (``Canvas.addLiteral``) rather than by
    one ``lineTo`` call per point: reportlab's per-point call dominated large tiled PDFs
    (1.4 s of 2.9 s for a 1500 mm design). Coordinates keep two decimals (0.01 mm).
    """
    operators = []
    for points in lines:
        closed = len(points) > 2 and np.array_equal(points[0], points[-1])
        coords = (points[:-1] if closed else points).tolist()
        operators.append(f"{coords[0][0]:.2f} {coords[0][1]:.2f} m")
        operators.extend([f"{x:.2f} {y:.2f} l" for x, y in coords[1:]])
        if closed:
            operators.append("h")
    if operators:
        operators.append("S")
        canvas.addLiteral("\n".join(operators))


def _rect(
    canvas: Canvas, x: float, y: float, w: float, h: float, *, stroke: int = 1, fill: int = 0
) -> None:
    canvas.rect(x, y, w, h, stroke=stroke, fill=fill)


def _image(canvas: Canvas, image: Image.Image, x: float, y: float, w: float, h: float) -> None:
    """Place ``image`` with its top-left at (x, y), undoing the y flip so it is upright."""
    canvas.saveState()
    canvas.translate(x, y + h)
    canvas.scale(1, -1)
    canvas.drawImage(ImageReader(image), 0, 0, w, h)
    canvas.restoreState()


def _triangle(canvas: Canvas, x: float, y: float, direction: str, size: float = 3.0) -> None:
    """A filled arrowhead centred on (x, y) pointing left/right/up/down."""
    half = size / 2
    tips = {
        "left": [(x - half, y), (x + half, y - half), (x + half, y + half)],
        "right": [(x + half, y), (x - half, y - half), (x - half, y + half)],
        "up": [(x, y - half), (x - half, y + half), (x + half, y + half)],
        "down": [(x, y + half), (x - half, y - half), (x + half, y - half)],
    }[direction]
    path = canvas.beginPath()
    path.moveTo(*tips[0])
    for point in tips[1:]:
        path.lineTo(*point)
    path.close()
    canvas.setFillGray(_INK)
    canvas.drawPath(path, stroke=0, fill=1)


# --- page furniture ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What every page needs to know."""

    stencil: Stencil
    lang: str
    name: str
    plan: TilePlan
    mirror: bool
    numbers: bool
    paper: str  # paper label with mm, in the user's language
    page_count: int
    numbered: tuple[str, ...]  # ids of the sheets of the full set, in order (blank ones left out)
    copies: int = 1
    photo: np.ndarray | None = None  # (M, N, 3) uint8 framed photo for the key page


def _new_job(stencil: Stencil, lang: str, name: str, **fields) -> tuple[_Job, list[Tile]]:
    """The job for ``stencil``'s sheets, and the sheets that have something on them.

    ``fields`` are the job's per-document fields (``page_count``, ``numbered``, ``copies``,
    ``photo``, and ``numbers`` to override the settings).
    """
    print_settings = stencil.settings.print
    plan = plan_tiles(stencil.width_mm, stencil.height_mm, print_settings)
    fields.setdefault("numbers", stencil.settings.labels.show)
    job = _Job(
        stencil=stencil,
        lang=lang,
        name=name,
        plan=plan,
        mirror=effective_mirror(print_settings),
        paper=paper_label(print_settings, lang),
        **fields,
    )
    return job, printed_tiles(stencil, plan)


def _header(
    canvas: Canvas, job: _Job, page_index: int, tile: Tile | None, copy: int = 1
) -> None:
    margin = job.stencil.settings.print.margin_mm
    lang = job.lang
    title = tr(
        "print.header.title",
        lang,
        name=job.name,
        width=_mm(job.stencil.width_mm, lang),
        height=_mm(job.stencil.height_mm, lang),
        levels=len(job.stencil.regions.level_grays),
    )
    page = tr("print.page", lang, index=page_index, count=job.page_count)
    x = margin
    if tile is not None:
        _text(canvas, margin, margin + 9.0, tile.id, 10.0, font=FONT_BOLD)
        x = margin + 24.0
        sheet = tr(
            "print.header.sheet",
            lang,
            id=tile.id,
            index=job.numbered.index(tile.id) + 1,
            count=len(job.numbered),
            row=sheet_row_letters(tile.id),
            column=tile.column + 1,
            paper=job.paper,
        )
        _text(canvas, x, margin + 7.6, sheet, 2.6)
    _text(canvas, x, margin + 3.6, title, 3.0, font=FONT_BOLD)
    notes = [page]
    if tile is not None and job.copies > 1:
        notes.append(tr("print.header.copy", lang, index=copy, count=job.copies))
    if job.mirror:
        notes.append(tr("print.header.mirrored", lang))
    note = " · ".join(notes)
    _text(canvas, x, margin + 11.0, note, 2.4, gray=_MUTED)


def sheet_row_letters(sheet: str) -> str:
    """Return the row part of a sheet id ("AB12" → "AB")."""
    return sheet.rstrip("0123456789")


def _footer(canvas: Canvas, job: _Job, paper_w: float, paper_h: float) -> None:
    """Calibration bar(s) and the print-at-100% instruction, bottom left of every page."""
    settings = job.stencil.settings.print
    margin = settings.margin_mm
    top = paper_h - margin - FOOTER_MM
    x = margin
    bars = [(100.0, tr("print.bar.mm", job.lang))]
    if settings.paper in INCH_PAPERS:
        bars.append((101.6, tr("print.bar.inch", job.lang)))
    canvas.setFillGray(_INK)
    canvas.setStrokeGray(_INK)
    canvas.setDash([], 0)
    canvas.setLineWidth(0.15)
    for row, (length, label) in enumerate(bars):
        y = top + 4.5 + row * 7.0
        _rect(canvas, x, y, length, 1.2, stroke=0, fill=1)
        step = 10.0 if length == 100.0 else 25.4
        for tick in np.arange(0.0, length + 1e-6, step):
            canvas.line(x + tick, y + 1.2, x + tick, y + 2.6)
        _text(canvas, x, y + 5.0, "0", 2.4)
        _text(canvas, x + length, y + 5.0, label, 2.4, align="right", font=FONT_BOLD)
    text_x = x + 106.0
    # Room is left at the right end for the arrow to the sheet below.
    width = paper_w - margin - 12.0 - text_x
    lines = [tr("print.instruction.scale", job.lang), tr("print.instruction.bar", job.lang)]
    if len(bars) > 1:
        lines.append(tr("print.instruction.bar_inch", job.lang))
    y = top + 3.2
    for line in lines:
        y = _paragraph(canvas, text_x, y, line, 2.2, width, font=FONT_BOLD)


def _arrows(canvas: Canvas, job: _Job, tile: Tile) -> None:
    """Neighbour arrows and cut notes in the bands around the window."""
    plan = job.plan
    wx, wy, ww, wh = plan.window
    margin = job.stencil.settings.print.margin_mm
    mid_y = wy + wh / 2
    band_left = wx - SIDE_MM / 2
    band_right = wx + ww + SIDE_MM / 2
    row, column = tile.row, tile.column
    if column > 0:
        left = plan.tile(row, column - 1).id
        _triangle(canvas, band_left, mid_y, "left")
        _text(canvas, band_left + 1.0, mid_y - 3.5, left, 3.0, font=FONT_BOLD, angle=90)
        note = tr("print.cut_here", job.lang, id=left)
        _text(canvas, band_left + 0.8, wy + wh - 2.0, note, 2.2, angle=90, gray=_MUTED)
    if column < plan.columns - 1:
        right = plan.tile(row, column + 1).id
        _triangle(canvas, band_right, mid_y, "right")
        _text(canvas, band_right + 1.0, mid_y - 3.5, right, 3.0, font=FONT_BOLD, angle=90)
        note = tr("print.goes_over", job.lang, id=right)
        _text(canvas, band_right + 0.8, wy + wh - 2.0, note, 2.2, angle=90, gray=_MUTED)
    right_edge = wx + ww
    if row > 0:
        up = plan.tile(row - 1, column).id
        _triangle(canvas, right_edge - 2.0, margin + 4.0, "up")
        _text(canvas, right_edge - 4.0, margin + 5.0, up, 3.0, font=FONT_BOLD, align="right")
        note = tr("print.cut_here", job.lang, id=up)
        _text(canvas, right_edge, wy - 0.8, note, 2.2, align="right", gray=_MUTED)
    if row < plan.rows - 1:
        down = plan.tile(row + 1, column).id
        paper_h = plan.paper_height_mm
        _triangle(canvas, right_edge - 2.0, paper_h - margin - 2.5, "down")
        _text(
            canvas,
            right_edge - 4.0,
            paper_h - margin - 1.5,
            down,
            3.0,
            font=FONT_BOLD,
            align="right",
        )
        note = tr("print.goes_over", job.lang, id=down)
        _text(canvas, right_edge, wy + wh + 2.8, note, 2.2, align="right", gray=_MUTED)


# --- the design itself ---------------------------------------------------------------------------


def _draw_labels(canvas: Canvas, labels: Iterable[Label], job: _Job) -> None:
    styles = stroke_styles(job.stencil.settings.print)
    outside = [label for label in labels if not label.inside]
    _stroke(canvas, styles.leader)
    canvas.setFillGray(styles.leader.gray)
    for label in outside:
        start, end = leader_line(label)
        canvas.line(start[0], start[1], end[0], end[1])
        canvas.circle(end[0], end[1], styles.leader.width_mm * 1.5, stroke=0, fill=1)
    for label in labels:
        left, baseline, _, size = label_box(label)
        _text(canvas, left, baseline, str(label.number), size, gray=styles.number_gray)


def _draw_design(
    canvas: Canvas, job: _Job, geometry: _Geometry, rect: tuple[float, float, float, float]
) -> None:
    """Draw everything in design coordinates whose bounding box meets ``rect`` (x0, y0, x1, y1)."""
    stencil = job.stencil
    styles = stroke_styles(stencil.settings.print)
    _stroke(canvas, styles.boundary)
    _paths(canvas, (p for p, box in geometry.boundaries if _overlaps(box, rect)))
    for style, lines in ((styles.burn_fine, geometry.fine_lines),
                         (styles.burn_bold, geometry.bold_lines)):
        _stroke(canvas, style)
        _paths(canvas, (p for p, box in lines if _overlaps(box, rect)))
    _stroke(canvas, styles.frame)
    for line in frame_paths(stencil, styles.frame.width_mm):
        _polyline(canvas, line)
    if job.numbers:
        margin = max(job.stencil.settings.labels.max_height_mm, 10.0)
        grown = (rect[0] - margin, rect[1] - margin, rect[2] + margin, rect[3] + margin)
        near = [
            label
            for label in stencil.labels.items
            if _overlaps(
                (
                    min(label.x_mm, label.anchor_x_mm),
                    min(label.y_mm, label.anchor_y_mm),
                    max(label.x_mm, label.anchor_x_mm),
                    max(label.y_mm, label.anchor_y_mm),
                ),
                grown,
            )
        ]
        _draw_labels(canvas, near, job)


def _strips(plan: TilePlan, tile: Tile) -> list[tuple[float, float, float, float]]:
    """Overlap strips of ``tile`` shared with its neighbours, (x, y, w, h) in print coordinates."""
    overlap = plan.overlap_mm
    if overlap <= 0:
        return []
    strips = []
    if tile.column > 0:
        strips.append((tile.x_mm, tile.y_mm, overlap, tile.height_mm))
    if tile.column < plan.columns - 1:
        right = plan.tile(tile.row, tile.column + 1)
        strips.append((right.x_mm, tile.y_mm, overlap, tile.height_mm))
    if tile.row > 0:
        strips.append((tile.x_mm, tile.y_mm, tile.width_mm, overlap))
    if tile.row < plan.rows - 1:
        below = plan.tile(tile.row + 1, tile.column)
        strips.append((tile.x_mm, below.y_mm, tile.width_mm, overlap))
    return strips


def _crosses(strip: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """Alignment cross centres along a strip, at the same print coordinates on both sheets."""
    x, y, w, h = strip
    along = max(w, h)
    count = 1 if along < 60 else 2 if along < 160 else 3
    fractions = [(k + 0.5) / count for k in range(count)]
    if w >= h:
        return [(x + w * f, y + h / 2) for f in fractions]
    return [(x + w / 2, y + h * f) for f in fractions]


def _cross(canvas: Canvas, x: float, y: float, radius: float) -> None:
    canvas.circle(x, y, radius, stroke=1, fill=0)
    canvas.line(x - radius * 1.6, y, x + radius * 1.6, y)
    canvas.line(x, y - radius * 1.6, x, y + radius * 1.6)


def _tile_page(
    canvas: Canvas,
    job: _Job,
    geometry: _Geometry,
    tile: Tile,
    index: int,
    copy: int = 1,
    form: str | None = None,
) -> None:
    """One sheet of the pattern: its header, then the rest drawn here or from ``form``.

    A class set repeats each sheet ``copies`` times; everything but the header (which names
    the page and the copy) is then drawn once into a PDF form and placed on each copy:
    30 copies of a one-sheet portrait went from 2165 KB and 3.6 s to 130 KB and 0.12 s.
    """
    plan = job.plan
    if form is not None:
        canvas.setPageSize((plan.paper_width_mm * POINTS_PER_MM,
                            plan.paper_height_mm * POINTS_PER_MM))  # fmt: skip
        if not canvas.hasForm(form):
            canvas.beginForm(form)
            _begin_page(canvas, plan.paper_width_mm, plan.paper_height_mm)
            _tile_body(canvas, job, geometry, tile)
            canvas.endForm()
        canvas.doForm(form)
        _begin_page(canvas, plan.paper_width_mm, plan.paper_height_mm)
    else:
        _begin_page(canvas, plan.paper_width_mm, plan.paper_height_mm)
        _tile_body(canvas, job, geometry, tile)
    _header(canvas, job, index, tile, copy)


def _tile_body(canvas: Canvas, job: _Job, geometry: _Geometry, tile: Tile) -> None:
    """Everything on a sheet but its header: footer, neighbour arrows, the design, overlaps."""
    plan = job.plan
    stencil = job.stencil
    _footer(canvas, job, plan.paper_width_mm, plan.paper_height_mm)
    _arrows(canvas, job, tile)
    wx, wy, _, _ = plan.window
    canvas.saveState()
    # Print coordinates: the design as printed (mirrored if asked), origin at its top-left.
    canvas.translate(wx + plan.offset[0] - tile.x_mm, wy + plan.offset[1] - tile.y_mm)
    clip = canvas.beginPath()
    clip.rect(tile.x_mm, tile.y_mm, tile.width_mm, tile.height_mm)
    canvas.clipPath(clip, stroke=0, fill=0)
    strips = _strips(plan, tile)
    canvas.setFillGray(_OVERLAP_TINT)
    for x, y, w, h in strips:
        _rect(canvas, x, y, w, h, stroke=0, fill=1)
    canvas.saveState()
    if job.mirror:
        canvas.transform(-1, 0, 0, 1, stencil.width_mm, 0)
    x0, y0, x1, y1 = _design_rect(tile, stencil.width_mm, job.mirror)
    _draw_design(canvas, job, geometry, (x0, y0, x1, y1))
    canvas.restoreState()
    canvas.setStrokeGray(_INK)
    canvas.setLineWidth(_MARK_WIDTH_MM)
    canvas.setDash([2.0, 1.5], 0)
    for x, y, w, h in strips:
        _rect(canvas, x, y, w, h)
    if plan.overlap_mm <= 0:
        # Sheets only butt together: the cut lines are the edges shared with a neighbour.
        if tile.column > 0:
            canvas.line(tile.x_mm, tile.y_mm, tile.x_mm, tile.y_mm + tile.height_mm)
        if tile.row > 0:
            canvas.line(tile.x_mm, tile.y_mm, tile.x_mm + tile.width_mm, tile.y_mm)
    canvas.setDash([], 0)
    radius = min(3.0, plan.overlap_mm / 2 - 0.5)
    if radius > 0.5:
        for strip in strips:
            for x, y in _crosses(strip):
                _cross(canvas, x, y, radius)
    canvas.restoreState()


# --- overview and legend pages -------------------------------------------------------------------


def _info_page(canvas: Canvas, job: _Job, index: int) -> tuple[float, float, float, float]:
    """Start a portrait page with header and footer; return the free area (x, y, w, h)."""
    paper_w, paper_h = paper_size_mm(job.stencil.settings.print)
    _begin_page(canvas, paper_w, paper_h)
    _header(canvas, job, index, None)
    _footer(canvas, job, paper_w, paper_h)
    margin = job.stencil.settings.print.margin_mm
    top = margin + HEADER_MM + 2.0
    return margin, top, paper_w - 2 * margin, paper_h - margin - FOOTER_MM - 3.0 - top


def _overview_page(canvas: Canvas, job: _Job, blank: set[str], index: int) -> None:
    lang = job.lang
    plan = job.plan
    x, y, width, height = _info_page(canvas, job, index)
    bottom = y + height
    y = _paragraph(
        canvas, x, y, tr("print.overview.title", lang, name=job.name), 5.0, width, font=FONT_BOLD
    )
    y += 2.0
    _text(canvas, x, y + 3.5, tr("print.overview.before", lang), 3.5, font=FONT_BOLD)
    y += 5.5
    # Both languages, the user's first (glossary §2.6): the sheet may be handed to anyone.
    order = [lang] + [other for other in LANGUAGES if other != lang]
    column_w = (width - 6.0) / 2
    heights = []
    for k, other in enumerate(order):
        cx = x + k * (column_w + 6.0)
        cy = _paragraph(
            canvas, cx, y, tr("print.overview.language", other), 2.8, column_w, font=FONT_BOLD
        )
        for key in ("print.instruction.scale", "print.instruction.bar"):
            cy = _paragraph(canvas, cx, cy + 0.6, "• " + tr(key, other), 2.6, column_w)
        paper = paper_label(job.stencil.settings.print, other)
        cy = _paragraph(
            canvas,
            cx,
            cy + 0.6,
            "• " + tr("print.instruction.paper", other, paper=paper),
            2.6,
            column_w,
        )
        heights.append(cy)
    y = max(heights) + 3.0
    transfer = job.stencil.settings.print.transfer
    y = _paragraph(canvas, x, y, tr(f"print.transfer.{transfer}", lang), 2.8, width)
    orientation = tr(f"print.orientation.{plan.orientation}", lang)
    if plan.count == 1:
        summary = tr("print.overview.single", lang, paper=job.paper, orientation=orientation)
        y = _paragraph(canvas, x, y + 2.0, summary, 2.8, width, font=FONT_BOLD)
    else:
        printed = plan.count - len(blank)
        summary = tr(
            "print.overview.sheets" if printed > 1 else "print.overview.sheets_one",
            lang,
            count=printed,
            paper=job.paper,
            orientation=orientation,
            overlap=_mm(plan.overlap_mm, lang),
        )
        y = _paragraph(canvas, x, y + 2.0, summary, 2.8, width, font=FONT_BOLD)
        for key in ("print.overview.step1", "print.overview.step2", "print.overview.step3"):
            y = _paragraph(canvas, x, y + 0.6, tr(key, lang), 2.8, width)
        if blank:
            y = _paragraph(canvas, x, y + 0.6, tr("print.overview.blank", lang), 2.8, width)
    y += 4.0
    _text(canvas, x, y + 3.5, tr("print.overview.map", lang), 3.5, font=FONT_BOLD)
    y += 6.0
    _assembly_map(canvas, job, blank, (x, y, width, bottom - y))


def _assembly_map(
    canvas: Canvas, job: _Job, blank: set[str], area: tuple[float, float, float, float]
) -> None:
    """Thumbnail of the printed design with the sheet grid, ids and overlaps on top."""
    stencil, plan = job.stencil, job.plan
    x, y, width, height = area
    grid_w = (
        plan.step[0] * (plan.columns - 1) + plan.window[2] if plan.columns > 1 else stencil.width_mm
    )
    grid_h = plan.step[1] * (plan.rows - 1) + plan.window[3] if plan.rows > 1 else stencil.height_mm
    scale = min(width / grid_w, height / grid_h)
    origin_x = x + (width - grid_w * scale) / 2
    thumb_dpi = min(60.0, 25.4 * 900 / max(stencil.width_mm, stencil.height_mm))
    thumb = render_tone_map(stencil, thumb_dpi)
    if job.mirror:
        thumb = thumb[:, ::-1]
    # Lightened so the ids and grid read clearly over dark levels.
    thumb = (255 - (255 - thumb.astype(np.uint16)) * 2 // 5).astype(np.uint8)
    _image(
        canvas,
        Image.fromarray(thumb),
        origin_x,
        y,
        stencil.width_mm * scale,
        stencil.height_mm * scale,
    )
    canvas.setStrokeGray(_INK)
    canvas.setLineWidth(0.3)
    canvas.setDash([], 0)
    _rect(canvas, origin_x, y, stencil.width_mm * scale, stencil.height_mm * scale)
    for tile in plan.tiles:
        tx, ty = origin_x + tile.x_mm * scale, y + tile.y_mm * scale
        tw, th = tile.width_mm * scale, tile.height_mm * scale
        canvas.setStrokeGray(_INK)
        canvas.setLineWidth(0.4)
        _rect(canvas, tx, ty, tw, th)
        if tile.id in blank:
            canvas.setLineWidth(0.2)
            canvas.line(tx, ty, tx + tw, ty + th)
            canvas.line(tx, ty + th, tx + tw, ty)
        # The id goes in the part of the cell no later sheet covers, as big as fits.
        own_w = min(tw, plan.step[0] * scale) if plan.columns > 1 else tw
        own_h = min(th, plan.step[1] * scale) if plan.rows > 1 else th
        id_size = min(12.0, own_h * 0.45, own_w * 0.8 / text_width_mm(tile.id, 1.0, FONT_BOLD))
        _text(
            canvas,
            tx + own_w / 2,
            ty + own_h / 2 + id_size * 0.36,
            tile.id,
            id_size,
            font=FONT_BOLD,
            align="center",
            gray=_MUTED if tile.id in blank else _INK,
        )


def _legend_page(canvas: Canvas, job: _Job, index: int) -> None:
    stencil, lang = job.stencil, job.lang
    report = stencil.report
    x, y, width, height = _info_page(canvas, job, index)
    bottom = y + height
    n = len(stencil.regions.level_grays)
    y = _paragraph(canvas, x, y, tr("print.legend.title", lang), 5.0, width, font=FONT_BOLD)
    y = _paragraph(canvas, x, y + 0.5, tr("print.legend.scale", lang, n=n), 3.0, width)
    y += 2.0
    row_h = min(11.0, max(7.0, (height * 0.42) / n))
    canvas.setDash([], 0)
    for level, shade in enumerate(stencil_shades(stencil)):
        canvas.setFillColorRGB(*(c / 255 for c in shade))
        canvas.setStrokeGray(_INK)
        canvas.setLineWidth(0.2)
        _rect(canvas, x, y, 22.0, row_h - 1.5, stroke=1, fill=1)
        baseline = y + (row_h - 1.5) / 2 + 1.5
        _text(
            canvas,
            x + 26.0,
            baseline,
            tr("print.legend.level", lang, number=level + 1),
            3.6,
            font=FONT_BOLD,
        )
        share = report.level_area_share[level] * 100 if level < len(report.level_area_share) else 0
        regions = report.level_region_count[level] if level < len(report.level_region_count) else 0
        detail = tr("print.legend.share", lang, share=round(share, 1), regions=regions)
        if level == 0:
            detail = f"{detail} · {tr('print.legend.bare', lang)}"
        _text(canvas, x + 56.0, baseline, detail, 3.0)
        y += row_h
    styles = stroke_styles(stencil.settings.print)
    for bold, style in ((False, styles.burn_fine), (True, styles.burn_bold)):
        if bold not in stencil.lines.bold:
            continue
        baseline = y + 3.5
        _stroke(canvas, style)
        canvas.line(x + 1.0, baseline - 1.2, x + 21.0, baseline - 1.2)
        key = "print.legend.burn_line_bold" if bold else "print.legend.burn_line_fine"
        _paragraph(canvas, x + 26.0, y + 1.0, tr(key, lang), 3.0, width - 26.0)
        y += 6.0
    y += 1.0
    y = _paragraph(
        canvas,
        x,
        y,
        tr(
            "print.legend.report",
            lang,
            regions=report.region_count,
            smallest=round(report.smallest_region_mm2, 1),
            length=round(report.line_length_m, 2),
            lines=report.burn_line_count,
            burn_length=round(report.burn_line_length_m, 2),
            outside=report.outside_labels,
        ),
        2.8,
        width,
    )
    if stencil.warnings:
        y = _paragraph(
            canvas, x, y + 1.0, tr("print.legend.warnings", lang), 2.8, width, font=FONT_BOLD
        )
        for warning in stencil.warnings:
            y = _paragraph(canvas, x, y, "• " + warning.text(lang), 2.6, width)
    y = _paragraph(
        canvas, x, y + 2.0, tr("print.legend.settings", lang), 3.2, width, font=FONT_BOLD
    )
    for line in _settings_lines(job):
        y = _paragraph(canvas, x, y, line, 2.6, width)
    # Safety block at the bottom, boxed so it is not lost among the figures.
    safety = [tr("print.legend.safety", lang), tr("print.legend.no_erase", lang)]
    safety_h = (
        2.0
        + sum(len(simpleSplit(line, FONT_BOLD, 3.0, width - 6.0)) * 3.9 for line in safety)
        + 2.0
    )
    box_y = bottom - safety_h
    canvas.setStrokeGray(_INK)
    canvas.setLineWidth(0.5)
    _rect(canvas, x, box_y, width, safety_h)
    sy = box_y + 1.5
    for line in safety:
        sy = _paragraph(canvas, x + 3.0, sy, line, 3.0, width - 6.0, font=FONT_BOLD)
    _thumbnails(canvas, job, (x, y + 3.0, width, box_y - 3.0 - (y + 3.0)))


def _settings_lines(job: _Job) -> list[str]:
    s, lang = job.stencil.settings, job.lang

    def yes_no(value: bool) -> str:
        return tr("print.yes" if value else "print.no", lang)

    return [
        tr(
            "print.legend.setting_size",
            lang,
            width=_mm(job.stencil.width_mm, lang),
            height=_mm(job.stencil.height_mm, lang),
        ),
        tr(
            "print.legend.setting_levels",
            lang,
            levels=s.tones.levels,
            method=tr(f"print.method.{s.tones.method}", lang),
        ),
        tr(
            "print.legend.setting_clean",
            lang,
            region=s.clean.min_region_mm2,
            strip=s.clean.min_strip_mm,
            smooth=s.prepare.smooth_mm,
        ),
        tr(
            "print.legend.setting_lines",
            lang,
            weight=s.print.line_weight_mm,
            burn_lines=yes_no(s.lines.enabled),
            numbers=yes_no(job.numbers),
        ),
        tr(
            "print.legend.setting_print",
            lang,
            paper=job.paper,
            margin=s.print.margin_mm,
            overlap=s.print.overlap_mm,
            mirror=yes_no(job.mirror),
        ),
        tr(f"print.transfer.{s.print.transfer}", lang),
    ]


def _thumbnails(canvas: Canvas, job: _Job, area: tuple[float, float, float, float]) -> None:
    """The photo and the burn-level map side by side, as the finished piece faces.

    The photo is the sharp one (framed as the design) when the caller passed it, so a
    trainee recognises the subject; else the prepared gray image, which is smoothed.
    """
    stencil = job.stencil
    x, y, width, height = area
    if height < 20.0:
        return
    if job.photo is not None:
        photo = Image.fromarray(np.ascontiguousarray(job.photo)).convert("L")
    else:
        gray = np.asarray(stencil.prepared.gray)
        photo = Image.fromarray(np.clip(np.round(gray * 255), 0, 255).astype(np.uint8))
    photo.thumbnail((600, 600))
    tones = Image.fromarray(
        render_tone_map(stencil, 25.4 * 600 / max(stencil.width_mm, stencil.height_mm))
    )
    caption_h = 5.0
    box_w = (width - 6.0) / 2
    scale = min(box_w / stencil.width_mm, (height - caption_h) / stencil.height_mm)
    w, h = stencil.width_mm * scale, stencil.height_mm * scale
    for k, (image, key) in enumerate(
        ((photo, "print.legend.photo"), (tones, "print.legend.tones"))
    ):
        ix = x + k * (box_w + 6.0)
        _text(canvas, ix, y + 3.0, tr(key, job.lang), 2.8, font=FONT_BOLD)
        _image(canvas, image, ix, y + caption_h, w, h)
        canvas.setLineWidth(0.2)
        canvas.setStrokeGray(_INK)
        _rect(canvas, ix, y + caption_h, w, h)


# --- public API ----------------------------------------------------------------------------------


def printed_tiles(stencil: Stencil, plan: TilePlan) -> list[Tile]:
    """The sheets that carry something to trace (blank ones are skipped; ids do not change)."""
    mirror = effective_mirror(stencil.settings.print)
    return [tile for tile in plan.tiles if tile_has_content(stencil, tile, mirror=mirror)]


def pdf_page_count(sheets: int, contents: str = "full", copies: int = 1) -> int:
    """Pages of a PDF with ``sheets`` pattern sheets: info pages plus ``copies`` × ``sheets``.

    Raises
    ------
    PyropatternError
        If ``contents`` is not one of :data:`CONTENTS` or ``copies`` is outside 1..MAX_COPIES.
    """
    _check_print_choices(contents, copies)
    return _INFO_PAGES[contents] + sheets * copies


def _check_print_choices(contents: str, copies: int) -> None:
    if contents not in CONTENTS:
        raise PyropatternError(
            "print.error.contents", value=contents, choices=", ".join(CONTENTS)
        )
    if isinstance(copies, bool) or not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        raise PyropatternError("print.error.copies", value=str(copies), limit=MAX_COPIES)


def stencil_pdf(
    stencil: Stencil,
    lang: str = "en",
    *,
    name: str = "pyropattern",
    tiles: Sequence[str] | None = None,
    numbers: bool | None = None,
    contents: str = "full",
    copies: int = 1,
    photo: np.ndarray | None = None,
) -> bytes:
    """Build the print-ready PDF of ``stencil``.

    Parameters
    ----------
    stencil : Stencil
        Its ``settings.print`` chooses paper, orientation, margins, overlap, line weight,
        transfer method and mirroring (toner transfer is always mirrored).
    lang : {"en", "id"}
        Language of every text; page 1 repeats the print instructions in the other one too.
    name : str
        Design name printed in every page header.
    tiles : sequence of str, optional
        Sheet ids to (re)print, e.g. ``("A2", "B1")``: only those sheet pages, no overview
        or legend (``contents`` is then ignored). ``None`` prints every non-blank sheet.
    numbers : bool, optional
        Print the level numbers; ``None`` follows ``settings.labels.show``.
    contents : {"full", "key", "pattern"}
        "full": overview, key page and sheets; "key": key page and sheets; "pattern": the
        sheets only.
    copies : int
        How many times the sheets are repeated (1..MAX_COPIES), each copy in sheet order so
        a class set comes out of the printer ready to hand out. Info pages come once.
    photo : (M, N, 3) uint8 array, optional
        The photo framed as the design (``prepare.orient_and_crop``), shown sharp on the key
        page; ``None`` shows the prepared (smoothed) gray image.

    Returns
    -------
    bytes
        The PDF document.

    Raises
    ------
    SettingsError
        If the paper cannot hold the page layout.
    PyropatternError
        If ``tiles`` names a sheet the plan does not have, ``contents`` is unknown or
        ``copies`` is out of range.
    """
    _check_print_choices(contents, copies)
    lang = normalize_lang(lang)
    name = printable(name)  # a lone surrogate (non-UTF-8 file name) cannot be encoded
    register_fonts()
    # page_count and numbered depend on the sheets chosen; they are set once those are known.
    job, content = _new_job(stencil, lang, name, page_count=0, numbered=(), copies=copies,
                            photo=photo, **({} if numbers is None else {"numbers": numbers}))
    plan = job.plan
    if tiles is None:
        chosen = content
    else:
        by_id = {tile.id: tile for tile in plan.tiles}
        wanted = [sheet.strip().upper() for sheet in tiles if sheet.strip()]
        if not wanted:  # a PDF of no pages would print nothing and look like success
            raise PyropatternError("classroom.error.no_sheets", ids=", ".join(by_id))
        for sheet in wanted:
            if sheet not in by_id:
                raise PyropatternError("print.error.unknown_sheet", id=sheet, ids=", ".join(by_id))
        chosen = [tile for tile in plan.tiles if tile.id in set(wanted)]
    if tiles is not None:
        contents = "pattern"
    info_pages = _INFO_PAGES[contents]
    job = dataclasses.replace(
        job,
        page_count=info_pages + len(chosen) * copies,
        numbered=tuple(t.id for t in plan.tiles if t in content or t in chosen),
    )
    buffer = io.BytesIO()
    # invariant: no timestamp or random document ID, so the same stencil always gives the
    # same bytes (the app's download and the command line's file can be compared).
    canvas = Canvas(buffer, pageCompression=1, invariant=1)
    canvas.setTitle(name)
    canvas.setCreator("pyropattern")
    canvas.setAuthor("")
    canvas.setSubject(
        tr(
            "print.header.title",
            lang,
            name=name,
            width=_mm(stencil.width_mm, lang),
            height=_mm(stencil.height_mm, lang),
            levels=len(stencil.regions.level_grays),
        )
    )
    index = 1
    if contents == "full":
        blank = {tile.id for tile in plan.tiles} - {tile.id for tile in content}
        _overview_page(canvas, job, blank, index)
        canvas.showPage()
        index += 1
    if contents in ("full", "key"):
        _legend_page(canvas, job, index)
        canvas.showPage()
        index += 1
    geometry = _geometry(stencil)
    for copy in range(1, copies + 1):
        for tile in chosen:
            form = f"sheet{tile.id}" if copies > 1 else None
            _tile_page(canvas, job, geometry, tile, index, copy, form)
            canvas.showPage()
            index += 1
    canvas.save()
    return buffer.getvalue()


def draw_sheet_pages(
    canvas: Canvas, stencil: Stencil, lang: str, *, name: str, first_index: int, page_count: int
) -> int:
    """Draw the stencil's printed sheets onto ``canvas`` as pages of a larger document.

    For documents that carry the pattern among other pages (the lesson handout): the sheets
    look exactly as in :func:`stencil_pdf`, numbered from ``first_index`` of ``page_count``.
    Returns the number of pages drawn.
    """
    lang = normalize_lang(lang)
    register_fonts()
    job, content = _new_job(stencil, lang, name, page_count=page_count, numbered=())
    job = dataclasses.replace(job, numbered=tuple(t.id for t in content))
    geometry = _geometry(stencil)
    for offset, tile in enumerate(content):
        _tile_page(canvas, job, geometry, tile, first_index + offset)
        canvas.showPage()
    return len(content)
