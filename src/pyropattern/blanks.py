"""Product blanks: fit a design onto a real object (a round coaster, a cutting board).

A blank is an outline in millimetres (an ellipse or a rounded rectangle, optionally with a
hole for a key ring or a hanging cord), shipped as JSON presets in ``data/blanks.json``.
Fitting a design to a blank:

1. :func:`fit_settings` crops the photo (about its centre, within the user's crop) to the
   blank's proportions and sets the design width to the blank's width, so the design's
   rectangle is the blank's bounding box;
2. :func:`clip_to_blank` sets every pixel outside the blank, or within its bare-wood margin,
   to level 1 (bare wood) *before* cleaning, so the regions are clipped to the shape and
   cleaned as usual; numbers may only go inside the cut line;
3. the blank's outline becomes the stencil's cut line (``Stencil.cut_lines``), drawn by the
   previews, the PDF and the SVG in place of the rectangular frame.

The clipped stencil is an ordinary :class:`~pyropattern.model.Stencil`, so difficulty and
burn time are recomputed for what is actually burned.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import cv2
import numpy as np

from .errors import SettingsError
from .labels import LabelRoom, measure_room, place_labels
from .model import BurnLines, Photo, PrintScale, Stencil, ToneMap, frozen_array
from .pipeline import assemble_stencil, clean_and_trace, make_stencil
from .regions import region_argmax, smooth_levels
from .render import stroke_styles
from .settings import Settings

Shape = Literal["ellipse", "rounded_rect"]
SHAPES: tuple[Shape, ...] = ("ellipse", "rounded_rect")
CUSTOM = "custom"  # id of a blank the user sizes

# Points per millimetre of outline: 0.25 mm steps keep a ⌀ 90 mm circle within 0.001 mm.
_STEP_MM = 0.25
# Sub-pixel bits for cv2.fillPoly: polygon corners placed to 1/16 px.
_SHIFT = 4
# A clipped burn line is simplified again to this tolerance (the tracer's default, 0.08 mm,
# is finer than any burn tip).
_SIMPLIFY_MM = 0.05


@dataclass(frozen=True)
class Blank:
    """The outline of a product a design is burned on, millimetres."""

    id: str  # "coaster_round", ... or "custom"
    shape: Shape  # ellipse (a circle when width = height) or rounded_rect
    width_mm: float  # outside size of the blank, mm, 15..1000
    height_mm: float
    corner_mm: float = 0.0  # rounded_rect only: corner radius, mm
    margin_mm: float = 4.0  # bare wood kept inside the cut line, mm, 0..50
    hole: tuple[float, float, float] | None = None  # (x, y, diameter) mm from the top-left

    def __post_init__(self) -> None:
        if self.shape not in SHAPES:
            raise SettingsError(
                "error.setting_choice", name="blank.shape", choices=", ".join(SHAPES),
                value=self.shape,
            )  # fmt: skip
        for name, low, high in (("width_mm", 15, 1000), ("height_mm", 15, 1000),
                                ("margin_mm", 0, 50)):  # fmt: skip
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not (
                low <= value <= high
            ):
                raise SettingsError(
                    "error.setting_range", name=f"blank.{name}", low=low, high=high, value=value
                )
        limit = min(self.width_mm, self.height_mm) / 2
        if not 0 <= self.corner_mm <= limit:
            raise SettingsError(
                "error.setting_range", name="blank.corner_mm", low=0, high=limit,
                value=self.corner_mm,
            )  # fmt: skip
        if 2 * self.margin_mm >= min(self.width_mm, self.height_mm) - 5:
            raise SettingsError("select.error.margin", margin=self.margin_mm)

    @property
    def name_key(self) -> str:
        """Translation key of the blank's name ("Round coaster ⌀ 90 mm")."""
        return f"select.blank.{self.id}"

    @property
    def aspect(self) -> float:
        """Width / height."""
        return self.width_mm / self.height_mm


@cache
def shipped_blanks() -> dict[str, Blank]:
    """The blanks shipped in ``data/blanks.json``, by id, in file order."""
    text = (resources.files("pyropattern") / "data" / "blanks.json").read_text(encoding="utf-8")
    out = {}
    for entry in json.loads(text)["blanks"]:
        hole = entry.pop("hole", None)
        if hole is not None:
            hole = (hole["x_mm"], hole["y_mm"], hole["diameter_mm"])
        blank = Blank(**entry, hole=hole)
        out[blank.id] = blank
    return out


def custom_blank(shape: Shape, width_mm: float, height_mm: float, margin_mm: float = 4.0) -> Blank:
    """A blank the user sizes: an ellipse, or a rectangle with 10% rounded corners."""
    corner = 0.1 * min(width_mm, height_mm) if shape == "rounded_rect" else 0.0
    return Blank(CUSTOM, shape, width_mm, height_mm, corner_mm=corner, margin_mm=margin_mm)


def get_blank(blank_id: str) -> Blank:
    """A shipped blank by id.

    Raises
    ------
    SettingsError
        If there is none; the message lists the ids there are.
    """
    blanks = shipped_blanks()
    if blank_id not in blanks:
        raise SettingsError(
            "error.setting_choice", name="blank", choices=", ".join(blanks), value=blank_id
        )
    return blanks[blank_id]


def _circle(cx: float, cy: float, rx: float, ry: float) -> np.ndarray:
    steps = max(16, math.ceil(math.pi * (rx + ry) / _STEP_MM))
    angle = np.linspace(0.0, 2 * math.pi, steps + 1)
    points = np.column_stack([cx + rx * np.cos(angle), cy + ry * np.sin(angle)])
    points[-1] = points[0]
    return points


def outline_mm(blank: Blank, inset_mm: float = 0.0) -> np.ndarray:
    """Closed outline of the blank, (K, 2) (x, y) mm from its top-left, moved in by ``inset_mm``.

    The last point repeats the first.
    """
    w, h = blank.width_mm - 2 * inset_mm, blank.height_mm - 2 * inset_mm
    if blank.shape == "ellipse":
        return _circle(blank.width_mm / 2, blank.height_mm / 2, w / 2, h / 2)
    r = max(0.0, blank.corner_mm - inset_mm)
    x0, y0 = inset_mm, inset_mm
    corners = ((x0 + w - r, y0 + r, -90), (x0 + w - r, y0 + h - r, 0), (x0 + r, y0 + h - r, 90),
               (x0 + r, y0 + r, 180))  # fmt: skip
    pieces = []
    steps = max(2, math.ceil(0.5 * math.pi * r / _STEP_MM))
    for cx, cy, start in corners:
        angle = np.radians(start + np.linspace(0.0, 90.0, steps + 1))
        pieces.append(np.column_stack([cx + r * np.cos(angle), cy + r * np.sin(angle)]))
    points = np.vstack([*pieces, pieces[0][:1]])
    return points


def hole_mm(blank: Blank, grow_mm: float = 0.0) -> np.ndarray | None:
    """Closed outline of the blank's hole grown by ``grow_mm``, or ``None`` without a hole."""
    if blank.hole is None:
        return None
    x, y, diameter = blank.hole
    radius = diameter / 2 + grow_mm
    return _circle(x, y, radius, radius)


def _offset(blank: Blank, scale: PrintScale) -> np.ndarray:
    """Where the blank's top-left sits in the design, mm (centred; they differ by < 1 px)."""
    return np.array(
        [(scale.width_mm - blank.width_mm) / 2, (scale.height_mm - blank.height_mm) / 2]
    )


def _fill(polygon_mm: np.ndarray, scale: PrintScale, value: int, out: np.ndarray) -> None:
    # Pixel (row, col) covers [col, col+1) mm/px, so its centre is at +0.5 px.
    px = (polygon_mm / scale.mm_per_px - 0.5) * (1 << _SHIFT)
    cv2.fillPoly(out, [np.round(px).astype(np.int32)], value, cv2.LINE_8, _SHIFT)


def inside_mask(blank: Blank, scale: PrintScale) -> np.ndarray:
    """(M, N) bool: working pixels whose centre lies inside the cut line (not in the hole)."""
    mask = np.zeros(scale.shape, dtype=np.uint8)
    offset = _offset(blank, scale)
    _fill(outline_mm(blank) + offset, scale, 1, mask)
    hole = hole_mm(blank)
    if hole is not None:
        _fill(hole + offset, scale, 0, mask)
    return mask.astype(bool)


def _distance_inside_mm(blank: Blank, scale: PrintScale) -> np.ndarray:
    """(M, N) float32: distance from each pixel centre to the cut line, mm (0 outside)."""
    inside = np.pad(inside_mask(blank, scale).astype(np.uint8), 1)
    distance = cv2.distanceTransform(inside, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]
    return (distance * scale.mm_per_px).astype(np.float32)


def workable_mask(blank: Blank, scale: PrintScale) -> np.ndarray:
    """(M, N) bool: pixels inside the cut line and at least the bare-wood margin from it."""
    return _distance_inside_mm(blank, scale) > blank.margin_mm


def fit_settings(settings: Settings, blank: Blank, photo_size: tuple[int, int]) -> Settings:
    """Settings that make the design exactly cover the blank.

    The crop shrinks about its centre to the blank's proportions (the user's crop is kept
    as the outer limit) and the design width becomes the blank's width.

    Parameters
    ----------
    settings : Settings
    blank : Blank
    photo_size : tuple of int
        ``(width, height)`` of the upright photo, px.
    """
    prepare = settings.prepare
    width, height = photo_size
    if prepare.rotate_quarters % 2:
        width, height = height, width
    left, top, right, bottom = prepare.crop
    aspect = (width * (right - left)) / (height * (bottom - top))
    if aspect > blank.aspect:  # too wide: narrow the crop
        keep = (right - left) * blank.aspect / aspect
        middle = (left + right) / 2
        left, right = middle - keep / 2, middle + keep / 2
    else:
        keep = (bottom - top) * aspect / blank.aspect
        middle = (top + bottom) / 2
        top, bottom = middle - keep / 2, middle + keep / 2
    crop = tuple(float(min(max(v, 0.0), 1.0)) for v in (left, top, right, bottom))
    return dataclasses.replace(
        settings,
        prepare=dataclasses.replace(prepare, crop=crop),
        print=dataclasses.replace(settings.print, width_mm=float(blank.width_mm)),
    )


def clip_tones(tones: ToneMap, workable: np.ndarray) -> ToneMap:
    """``tones`` with every pixel outside ``workable`` (see :func:`workable_mask`) set to
    level 1, bare wood."""
    levels = np.where(workable, tones.levels, 0).astype(np.uint8)
    share = np.bincount(levels.ravel(), minlength=tones.count) / levels.size
    return dataclasses.replace(
        tones, levels=frozen_array(levels), area_share=tuple(float(s) for s in share)
    )


def clip_polylines(
    paths: Sequence[np.ndarray], workable: np.ndarray, scale: PrintScale
) -> list[np.ndarray]:
    """Open (K, 2) mm polylines cut to the pixels where ``workable`` is True.

    Each path is resampled at half a pixel (so no segment jumps over a pixel) and split into
    the runs of points that fall on workable pixels; runs of fewer than two points go. Each
    run is simplified again to within ``_SIMPLIFY_MM`` of the resampled line.
    """
    step = scale.mm_per_px / 2
    rows, cols = workable.shape
    out = []
    for path in paths:
        path = np.asarray(path, dtype=np.float64)
        if len(path) < 2:
            continue
        lengths = np.r_[0.0, np.cumsum(np.hypot(*np.diff(path, axis=0).T))]
        samples = np.arange(0.0, lengths[-1] + step, step).clip(max=lengths[-1])
        dense = np.column_stack([np.interp(samples, lengths, path[:, i]) for i in (0, 1)])
        col = np.clip((dense[:, 0] / scale.mm_per_px).astype(int), 0, cols - 1)
        row = np.clip((dense[:, 1] / scale.mm_per_px).astype(int), 0, rows - 1)
        keep = workable[row, col]
        edges = np.flatnonzero(np.diff(np.r_[0, keep.astype(np.int8), 0]))
        for start, stop in zip(edges[::2], edges[1::2], strict=True):
            if stop - start >= 2:
                run = dense[start:stop].astype(np.float32).reshape(-1, 1, 2)
                simple = cv2.approxPolyDP(run, _SIMPLIFY_MM, closed=False)
                out.append(simple.reshape(-1, 2).astype(np.float64))
    return out


def cut_lines(blank: Blank, scale: PrintScale, line_width_mm: float) -> tuple[np.ndarray, ...]:
    """The blank's cut line(s) in design mm, drawn so the line's outer side is the cut."""
    offset = _offset(blank, scale)
    lines = [outline_mm(blank, line_width_mm / 2) + offset]
    hole = hole_mm(blank, line_width_mm / 2)
    if hole is not None:
        lines.append(hole + offset)
    return tuple(frozen_array(line) for line in lines)


def clip_lines(lines: BurnLines, workable: np.ndarray, scale: PrintScale) -> BurnLines:
    """Burn lines cut to the workable area; each piece keeps its line's width class."""
    paths, widths, bold = [], [], []
    for path, width, is_bold in zip(lines.paths, lines.widths_mm, lines.bold, strict=True):
        for piece in clip_polylines([path], workable, scale):
            paths.append(frozen_array(piece))
            widths.append(width)
            bold.append(is_bold)
    return BurnLines(
        paths=tuple(paths), widths_mm=tuple(widths), bold=tuple(bold),
        mask=frozen_array(lines.mask & workable),
    )


def clip_to_blank(photo: Photo, stencil: Stencil, blank: Blank) -> Stencil:
    """``stencil`` fitted to ``blank``: clipped to its shape, cleaned, traced and numbered again.

    ``stencil`` must be made with :func:`fit_settings` settings. Its tone map is smoothed,
    clipped to the blank's workable area (bare wood outside), then cleaned, traced and
    numbered as usual; burn lines are cut at the same edge and numbers only go inside the
    cut line. The photo, tone source and importance are reused as they are.
    """
    settings, source, importance = stencil.settings, stencil.prepared, stencil.importance
    workable = workable_mask(blank, stencil.tones.scale)
    smoothed = clip_tones(smooth_levels(stencil.tones, settings.clean, importance), workable)
    regions, outlines = clean_and_trace(smoothed, source, importance, settings)
    room = measure_room(regions)
    inside = np.minimum(room.distance_mm, _distance_inside_mm(blank, regions.scale))
    room = LabelRoom(
        distance_mm=frozen_array(inside),
        poles=frozen_array(region_argmax(inside, regions.ids, regions.count)),
    )
    labels = place_labels(regions, outlines, room, settings.labels, settings.print.line_weight_mm)
    lines = clip_lines(stencil.lines, workable, regions.scale)
    clipped = assemble_stencil(
        settings, photo, source, clip_tones(stencil.tones, workable), regions, outlines, lines,
        importance, labels,
    )
    frame_width = stroke_styles(settings.print).frame.width_mm
    return dataclasses.replace(clipped, cut_lines=cut_lines(blank, regions.scale, frame_width))


def make_blank_stencil(photo: Photo, settings: Settings, blank: Blank) -> Stencil:
    """Photo → stencil fitted to ``blank``: :func:`fit_settings`, the usual stages, then
    :func:`clip_to_blank` (which cleans again, now inside the shape)."""
    rows, cols = photo.rgb.shape[:2]
    fitted = fit_settings(settings, blank, (cols, rows))
    return clip_to_blank(photo, make_stencil(photo, fitted), blank)
