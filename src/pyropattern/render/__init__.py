"""Preview rasters of a stencil, and the drawing conventions every output shares.

The PNG export, the PDF thumbnails and the app previews all come from here, and the vector
exports (SVG, PDF) take their line styles, shades, font and label geometry from here too, so a
level number, a line and a shade look the same in every output.

Geometry arrives in millimetres ((x, y) from the design's top-left, y down). :func:`mm_to_px`
is the only millimetre → pixel conversion in the package's outputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import PyropatternError
from ..model import DIGIT_HEIGHT_EM, Label, Stencil
from ..settings import PrintSettings

# Bitstream Vera ships inside reportlab, so PIL and the PDF use the very same outlines offline;
# it covers every letter English and Indonesian need.
FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FONT_REGULAR = "Vera"
FONT_BOLD = "VeraBd"
_FONT_FILES = {FONT_REGULAR: FONT_DIR / "Vera.ttf", FONT_BOLD: FONT_DIR / "VeraBd.ttf"}
# CSS font stack for SVG: Vera's descendants first, so widths match the PDF closely.
SVG_FONT_FAMILY = "Bitstream Vera Sans, DejaVu Sans, Verdana, sans-serif"

# Largest raster rendered: 400 MP is a 400 × 600 mm design at 1000 dpi, and 400 MB as gray.
MAX_RASTER_PIXELS = 400_000_000

# Light pine, the bare wood of level 1, and the colours a burn passes through as it deepens
# (toasted, mid-brown, charred); level shades are spread evenly along this path.
PINE_RGB = (233, 205, 160)
_BURN_PATH = np.array(
    [PINE_RGB, (196, 150, 98), (139, 88, 48), (84, 50, 27), (36, 22, 14)], dtype=np.float64
)


def mm_to_px(mm: float | np.ndarray, dpi: float) -> float | np.ndarray:
    """Convert millimetres on the wood to pixels at ``dpi`` (px = mm / 25.4 * dpi)."""
    return mm / 25.4 * dpi


def dpi_for_pixel_size(mm_per_px: float) -> float:
    """Return the DPI at which one pixel measures ``mm_per_px`` millimetres."""
    return 25.4 / mm_per_px


def design_shape_px(stencil: Stencil, dpi: float) -> tuple[int, int]:
    """Return the (rows, cols) of a raster of the whole design at ``dpi`` (at least 1 × 1).

    Raises
    ------
    PyropatternError
        If the raster would exceed :data:`MAX_RASTER_PIXELS` (a 3 m design at 1200 dpi would
        need tens of gigabytes).
    """
    rows = max(1, round(float(mm_to_px(stencil.height_mm, dpi))))
    cols = max(1, round(float(mm_to_px(stencil.width_mm, dpi))))
    if rows * cols > MAX_RASTER_PIXELS:
        raise PyropatternError(
            "print.error.raster_too_large",
            megapixels=math.ceil(rows * cols / 1e6),
            max_megapixels=MAX_RASTER_PIXELS // 1_000_000,
        )
    return rows, cols


def level_shades(n: int, tones: Sequence[float] | None = None) -> list[tuple[int, int, int]]:
    """Return the burn shade of each of ``n`` levels, level 1 (bare pine) first.

    The shades lie on a path from light pine through toasted and mid-brown to charred
    near-black. Level 1 is always bare wood and level N the darkest burn; in between, each
    level sits where its own photo tone lies between the lightest and darkest level's, so a
    level that stands for a mid-gray looks mid-brown even when the thresholds are uneven.
    Without ``tones`` the levels are evenly spaced. Every output (legend, tone map, burn
    preview, PDF) takes the shades from here, so a number always shows the same tone.

    Parameters
    ----------
    n : int
        Number of levels, at least 1.
    tones : sequence of float, optional
        The photo's mean gray of each level, lightest first (``ToneMap.level_grays``).

    Returns
    -------
    list of (int, int, int)
        sRGB colours, lightest first.
    """
    stops = np.linspace(0.0, len(_BURN_PATH) - 1, len(_BURN_PATH))
    positions = shade_positions(n, tones) * (len(_BURN_PATH) - 1)
    channels = [np.interp(positions, stops, _BURN_PATH[:, c]) for c in range(3)]
    return [tuple(round(v) for v in rgb) for rgb in zip(*channels, strict=True)]


def shade_positions(n: int, tones: Sequence[float] | None = None) -> np.ndarray:
    """Where each of ``n`` levels sits on a burn scale, 0 (bare wood) … 1 (darkest burn).

    Level 1 is 0 and level N is 1; in between each level sits where its own photo tone
    (``tones``, lightest first) lies between the lightest and darkest level's; evenly without
    ``tones``. :func:`level_shades` and the burn preview on any wood place levels by this.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    even = np.linspace(0.0, 1.0, n) if n > 1 else np.zeros(1)
    grays = np.asarray(tones if tones is not None else (), dtype=np.float64)
    span = grays[0] - grays[-1] if len(grays) == n and n > 1 else 0.0
    relative = np.clip((grays[0] - grays) / span, 0.0, 1.0) if span > 1e-6 else even
    return np.maximum.accumulate(relative)


def stencil_darkness(stencil: Stencil) -> np.ndarray:
    """Each level's place on the burn scale (0..1), as :func:`stencil_shades` places it."""
    return shade_positions(stencil.tones.count, stencil.regions.level_grays)


def stencil_shades(stencil: Stencil) -> list[tuple[int, int, int]]:
    """The burn shade of each level of ``stencil``, placed by the tone it stands for."""
    return level_shades(stencil.tones.count, stencil.regions.level_grays)


def level_grays(n: int) -> list[int]:
    """Return one 8-bit gray per level for machine use: level 1 = 255 (white) … N = 0 (black).

    Evenly spaced, so a laser engraver's power maps linearly onto the level number.
    """
    if n < 2:
        raise ValueError(f"n must be at least 2, got {n}")
    return [round(255 * (1 - k / (n - 1))) for k in range(n)]


@dataclass(frozen=True)
class LineStyle:
    """How one kind of line is drawn: gray (0 = black, 1 = white), width and dash in mm."""

    gray: float
    width_mm: float
    dash_mm: tuple[float, float] | None = None  # (on, off); None = solid


@dataclass(frozen=True)
class StrokeStyles:
    """The line styles of one stencil, chosen from the transfer method and line weight."""

    boundary: LineStyle  # borders between regions
    burn_fine: LineStyle  # a thin dark feature to burn as one stroke of the writing tip
    burn_bold: LineStyle  # a wider one: several strokes side by side
    frame: LineStyle  # the design edge (drawn inside the edge, outer side on the edge)
    leader: LineStyle  # from a number printed outside to its region
    number_gray: float  # colour of the level numbers


def stroke_styles(print_settings: PrintSettings) -> StrokeStyles:
    """Return the line styles for the transfer method in ``print_settings``.

    * graphite: dark gray lines at the chosen weight (light enough to sand or burn over);
    * toner: solid black at the chosen weight (a toner print must carry as much toner as it can);
    * lightbox: solid black at twice the weight (up to 2 mm) so it shows through the wood's
      paper cover on a light box.

    Burn lines are solid black and thicker than borders (about 1.7× fine, 3× bold), so a
    trainee never mistakes a stroke to burn for a border between two levels.
    """
    weight = print_settings.line_weight_mm
    if print_settings.transfer == "graphite":
        gray = 0.25
    else:
        gray = 0.0
    if print_settings.transfer == "lightbox":
        weight = min(2.0, weight * 2)
    return StrokeStyles(
        boundary=LineStyle(gray, weight),
        burn_fine=LineStyle(0.0, min(2.5, weight * 1.7)),
        burn_bold=LineStyle(0.0, min(4.0, weight * 3.0)),
        frame=LineStyle(gray, weight),
        leader=LineStyle(gray, max(0.05, weight * 0.5)),
        number_gray=gray,
    )


def burn_line_styles(stencil: Stencil, styles: StrokeStyles) -> list[tuple[np.ndarray, LineStyle]]:
    """Each burn line of ``stencil`` with the style of its width class."""
    return [
        (path, styles.burn_bold if bold else styles.burn_fine)
        for path, bold in zip(stencil.lines.paths, stencil.lines.bold, strict=True)
    ]


def effective_mirror(print_settings: PrintSettings) -> bool:
    """True when the design is printed mirrored: asked for, or needed by toner transfer."""
    return print_settings.mirror or print_settings.transfer == "toner"


@cache
def register_fonts() -> tuple[str, str]:
    """Register Vera (regular, bold) with reportlab once; return their names."""
    for name, path in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return FONT_REGULAR, FONT_BOLD


def font_size_mm(height_mm: float) -> float:
    """Font size (em) in mm that gives digits ``height_mm`` tall."""
    return height_mm / DIGIT_HEIGHT_EM


def text_width_mm(text: str, size_mm: float, font: str = FONT_REGULAR) -> float:
    """Advance width of ``text`` set in ``font`` at ``size_mm`` (em size), in mm."""
    register_fonts()
    return pdfmetrics.stringWidth(text, font, size_mm)


def label_box(label: Label) -> tuple[float, float, float, float]:
    """Return (left, baseline, width, font size) in mm of a level number centred on its spot.

    The digits' visual centre (half the digit height above the baseline) sits on
    ``(label.x_mm, label.y_mm)`` in every renderer.
    """
    size = font_size_mm(label.height_mm)
    width = text_width_mm(str(label.number), size)
    return label.x_mm - width / 2, label.y_mm + label.height_mm / 2, width, size


def leader_line(label: Label) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the leader line of an outside number: from the edge of its box to its anchor.

    Starting at the box edge (plus a small gap) keeps the line off the digits.
    """
    _, _, width, _ = label_box(label)
    half_w = width / 2 + 0.15 * label.height_mm
    half_h = label.height_mm / 2 + 0.15 * label.height_mm
    dx, dy = label.anchor_x_mm - label.x_mm, label.anchor_y_mm - label.y_mm
    reach = max(abs(dx) / half_w if half_w else 0.0, abs(dy) / half_h if half_h else 0.0)
    if reach <= 1.0:
        # The anchor is under the number itself: nothing sensible to draw but a dot.
        return (label.anchor_x_mm, label.anchor_y_mm), (label.anchor_x_mm, label.anchor_y_mm)
    start = (label.x_mm + dx / reach, label.y_mm + dy / reach)
    return start, (label.anchor_x_mm, label.anchor_y_mm)


@cache
def _pil_font(size_px: float, font: str = FONT_REGULAR) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONT_FILES[font]), size_px)


def _gray8(gray: float) -> int:
    return round(255 * gray)


def _polyline(canvas: np.ndarray, points_mm: np.ndarray, dpi: float, style: LineStyle) -> None:
    """Draw one antialiased polyline into a uint8 gray ``canvas`` (sub-pixel, via cv2 ``shift``)."""
    if len(points_mm) < 2:
        return
    shift = 4
    points = np.round(mm_to_px(np.asarray(points_mm, dtype=np.float64), dpi) * (1 << shift))
    thickness = max(1, round(float(mm_to_px(style.width_mm, dpi))))
    cv2.polylines(
        canvas,
        [points.astype(np.int32).reshape(-1, 1, 2)],
        isClosed=False,
        color=_gray8(style.gray),
        thickness=thickness,
        lineType=cv2.LINE_AA,
        shift=shift,
    )


def frame_points(width_mm: float, height_mm: float, line_width_mm: float) -> np.ndarray:
    """Closed rectangle for the frame, inset by half the line so its outer side is the edge."""
    h = line_width_mm / 2
    return np.array(
        [[h, h], [width_mm - h, h], [width_mm - h, height_mm - h], [h, height_mm - h], [h, h]]
    )


def frame_paths(stencil: Stencil, line_width_mm: float) -> tuple[np.ndarray, ...]:
    """The design's outer line(s): a product blank's cut lines, else the rectangular frame."""
    if stencil.cut_lines:
        return stencil.cut_lines
    return (frame_points(stencil.width_mm, stencil.height_mm, line_width_mm),)


def outside_cut(stencil: Stencil, shape: tuple[int, int]) -> np.ndarray | None:
    """(M, N) bool of raster pixels outside a blank's cut line, or ``None`` without a blank.

    Previews paint these as paper: they are not part of the piece.
    """
    if not stencil.cut_lines:
        return None
    inside = np.zeros(shape, dtype=np.uint8)
    per_mm = shape[1] / stencil.width_mm
    for index, line in enumerate(stencil.cut_lines):
        px = np.round((np.asarray(line) * per_mm - 0.5) * 16).astype(np.int32)
        cv2.fillPoly(inside, [px], 0 if index else 1, cv2.LINE_8, 4)
    return inside == 0


def render_stencil(
    stencil: Stencil, dpi: float, *, mirror: bool = False, numbers: bool = True
) -> np.ndarray:
    """Render the printable stencil: lines and level numbers on white.

    Parameters
    ----------
    stencil : Stencil
        The stencil to draw; its print settings choose the line styles.
    dpi : float
        Output resolution; the raster is ``design_shape_px(stencil, dpi)``.
    mirror : bool
        Flip the whole design left-right, numbers included, for toner/heat transfer.
    numbers : bool
        Draw the level numbers (and leader lines of numbers placed outside their region).

    Returns
    -------
    (M, N) uint8 array
        255 = white paper.
    """
    styles = stroke_styles(stencil.settings.print)
    canvas = np.full(design_shape_px(stencil, dpi), 255, dtype=np.uint8)
    for boundary in stencil.outlines.boundaries:
        _polyline(canvas, boundary.points, dpi, styles.boundary)
    for path, style in burn_line_styles(stencil, styles):
        _polyline(canvas, path, dpi, style)
    for line in frame_paths(stencil, styles.frame.width_mm):
        _polyline(canvas, line, dpi, styles.frame)
    if numbers:
        for label in stencil.labels.items:
            if not label.inside:
                start, end = leader_line(label)
                _polyline(canvas, np.array([start, end]), dpi, styles.leader)
                radius = max(1, round(float(mm_to_px(styles.leader.width_mm * 1.5, dpi))))
                center = tuple(round(float(mm_to_px(v, dpi))) for v in end)
                cv2.circle(canvas, center, radius, _gray8(styles.leader.gray), -1, cv2.LINE_AA)
        image = Image.fromarray(canvas)
        draw = ImageDraw.Draw(image)
        for label in stencil.labels.items:
            left, baseline, _, size = label_box(label)
            draw.text(
                (float(mm_to_px(left, dpi)), float(mm_to_px(baseline, dpi))),
                str(label.number),
                fill=_gray8(styles.number_gray),
                font=_pil_font(float(mm_to_px(size, dpi))),
                anchor="ls",
            )
        canvas = np.asarray(image)
    if mirror:
        canvas = canvas[:, ::-1]
    return np.ascontiguousarray(canvas)


def level_raster(stencil: Stencil, dpi: float | None = None) -> np.ndarray:
    """Return the cleaned level of every pixel (0 = lightest), resampled to ``dpi``.

    ``None`` keeps the working resolution. Nearest sampling, so no in-between level appears.
    """
    levels = np.asarray(stencil.regions.levels)
    if dpi is None:
        return levels
    rows, cols = design_shape_px(stencil, dpi)
    return cv2.resize(levels, (cols, rows), interpolation=cv2.INTER_NEAREST)


def render_tone_map(stencil: Stencil, dpi: float, *, lines: bool = False) -> np.ndarray:
    """Fill each level with its burn shade (:func:`level_shades`).

    Parameters
    ----------
    stencil : Stencil
    dpi : float
    lines : bool
        Also draw the stencil's lines and numbers over the shades.

    Returns
    -------
    (M, N, 3) uint8 array
    """
    shades = np.array(stencil_shades(stencil), dtype=np.uint8)
    rgb = shades[level_raster(stencil, dpi)]
    outside = outside_cut(stencil, rgb.shape[:2])
    if outside is not None:
        rgb[outside] = 255
    if lines:
        ink = render_stencil(stencil, dpi).astype(np.uint16)
        rgb = (rgb.astype(np.uint16) * ink[..., None] // 255).astype(np.uint8)
    return rgb
