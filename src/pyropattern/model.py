"""The data that flows between stages: frozen dataclasses, arrays read-only.

Raster stages use (row, col) pixel coordinates like scikit-image. Once geometry leaves the
raster stages it is in millimetres: a point is ``(x, y)`` mm from the design's top-left corner,
x to the right, y down. :class:`PrintScale` is the one place pixels and millimetres meet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .i18n import Message
from .settings import Settings

# Height of a digit as a fraction of the font size for DejaVu/Vera Sans, the font every renderer
# uses; labels are sized by what the eye sees (digit height), renderers set the font size from it.
DIGIT_HEIGHT_EM = 0.729


def polyline_length_mm(paths) -> float:
    """Total length of (K, 2) polylines in mm."""
    return float(sum(np.hypot(*np.diff(p, axis=0).T).sum() for p in paths if len(p) > 1))


def frozen_array(array: np.ndarray) -> np.ndarray:
    """Return ``array`` made read-only (a view; the caller's array is not touched)."""
    view = array.view()
    view.setflags(write=False)
    return view


@dataclass(frozen=True)
class PrintScale:
    """How working-raster pixels map to millimetres on the wood.

    Derived from the design width and the working raster's shape; the height follows the
    photo's aspect ratio, so one pixel is square in millimetres too.
    """

    mm_per_px: float  # size of one working pixel at print size, mm
    shape: tuple[int, int]  # working raster (rows, cols)

    @classmethod
    def for_width(cls, width_mm: float, shape: tuple[int, int]) -> PrintScale:
        """Scale that makes a raster of ``shape`` (rows, cols) print ``width_mm`` wide."""
        return cls(mm_per_px=float(width_mm) / shape[1], shape=(int(shape[0]), int(shape[1])))

    @property
    def width_mm(self) -> float:
        """Design width, mm."""
        return self.shape[1] * self.mm_per_px

    @property
    def height_mm(self) -> float:
        """Design height, mm."""
        return self.shape[0] * self.mm_per_px

    def to_px(self, mm: float) -> float:
        """Convert a length in mm to working pixels."""
        return mm / self.mm_per_px

    def area_to_px(self, mm2: float) -> float:
        """Convert an area in mm² to working pixels."""
        return mm2 / self.mm_per_px**2

    def to_mm(self, px: float | np.ndarray) -> float | np.ndarray:
        """Convert a length (or corner coordinates) in working pixels to mm."""
        return px * self.mm_per_px


@dataclass(frozen=True, eq=False)
class Photo:
    """A decoded photo: upright, sRGB, transparency flattened onto white."""

    rgb: np.ndarray  # (M, N, 3) uint8
    format: str  # container format as sniffed from the bytes, e.g. "JPEG", "HEIF"
    original_size: tuple[int, int]  # (width, height) in pixels as stored, before any reduction


@dataclass(frozen=True, eq=False)
class Prepared:
    """The gray image the tones are taken from, at working size."""

    gray: np.ndarray  # (M, N) float32 in 0..1 (0 = black): what the tones are taken from
    adjusted: np.ndarray  # (M, N) float32, adjusted but not smoothed (lines are found on it)
    scale: PrintScale


@dataclass(frozen=True, eq=False)
class Importance:
    """Where detail matters: the subject may be finer, the background coarser or bare."""

    weight: np.ndarray  # (M, N) float32 in 0..1: 1 = focus (finest minimums), 0 = background
    subject: np.ndarray  # (M, N) bool: False where the background is left as bare wood


@dataclass(frozen=True, eq=False)
class BurnLines:
    """Thin dark features as single centre lines, burned with the writing tip; no numbers."""

    paths: tuple[np.ndarray, ...]  # open (K, 2) float64 polylines, (x, y) mm from the top-left
    widths_mm: tuple[float, ...]  # measured width of the dark strip each path stands for, mm
    bold: tuple[bool, ...]  # width class per path: False = fine, True = bold (several passes)
    mask: np.ndarray  # (M, N) bool working pixels the strips cover (their tone is filled in)
    grays: tuple[float, ...] = ()  # photo gray along each line's centre, 0..1 (how dark to burn)

    @property
    def count(self) -> int:
        """Number of lines."""
        return len(self.paths)

    @property
    def length_mm(self) -> float:
        """Total length of all lines, mm."""
        return polyline_length_mm(self.paths)


@dataclass(frozen=True, eq=False)
class ToneMap:
    """Every working pixel assigned a burn level; level 0 is the lightest (bare wood)."""

    levels: np.ndarray  # (M, N) uint8, 0..N-1, 0 = lightest
    thresholds: tuple[float, ...]  # N-1 increasing grays in 0..1 separating the levels
    level_grays: tuple[float, ...]  # mean photo gray of each level, lightest first
    area_share: tuple[float, ...]  # fraction of the design in each level
    scale: PrintScale

    @property
    def count(self) -> int:
        """Number of levels N."""
        return len(self.level_grays)


@dataclass(frozen=True, eq=False)
class Regions:
    """Connected areas of one level each, all big enough to burn."""

    ids: np.ndarray  # (M, N) int32 region id per pixel, 0..R-1 in no set order, 4-connected
    region_levels: np.ndarray  # (R,) uint8 level of each region, 0 = lightest
    region_area_mm2: np.ndarray  # (R,) float64 raster area of each region, mm²
    levels: np.ndarray  # (M, N) uint8 level per pixel after cleaning
    level_grays: tuple[float, ...]  # as in ToneMap
    scale: PrintScale

    @property
    def count(self) -> int:
        """Number of regions R."""
        return len(self.region_levels)


@dataclass(frozen=True, eq=False)
class Boundary:
    """One border between two regions, traced once; ``left``/``right`` are region ids.

    ``right`` is -1 where the border is the edge of the design. Walking the points in order,
    ``left`` lies on the left (y axis pointing down, as on the page).
    """

    points: np.ndarray  # (K, 2) float64 (x, y) mm; closed loops repeat the first point last
    left: int
    right: int

    @property
    def closed(self) -> bool:
        """True for a loop (an island inside one other region)."""
        return bool(np.array_equal(self.points[0], self.points[-1]))


@dataclass(frozen=True, eq=False)
class Outlines:
    """The stencil's lines in millimetres."""

    boundaries: tuple[Boundary, ...]  # borders between regions (edge of the design excluded)
    frame: tuple[Boundary, ...]  # pieces of the design edge, for area bookkeeping
    region_area_mm2: np.ndarray  # (R,) area of each region as drawn (polygon area), mm²
    width_mm: float
    height_mm: float

    @property
    def line_length_mm(self) -> float:
        """Total length of the region borders, mm (frame excluded)."""
        return polyline_length_mm(b.points for b in self.boundaries)


@dataclass(frozen=True)
class Label:
    """A region's level number and where it is printed."""

    region: int  # region id
    number: int  # level as people count it, 1..N
    x_mm: float  # centre of the number
    y_mm: float
    height_mm: float  # height of the digits (cap height; font size = height_mm / DIGIT_HEIGHT_EM)
    inside: bool  # False: printed outside with a leader line to (anchor_x_mm, anchor_y_mm)
    anchor_x_mm: float  # a point well inside the region
    anchor_y_mm: float


@dataclass(frozen=True)
class Labels:
    """All labels, plus what would make every number fit inside its region."""

    items: tuple[Label, ...]
    suggested_min_region_mm2: float | None  # None when every number fits inside

    @property
    def outside_count(self) -> int:
        """Numbers that had to go outside their region."""
        return sum(not label.inside for label in self.items)


@dataclass(frozen=True)
class Report:
    """Figures an instructor reads before printing."""

    level_area_share: tuple[float, ...]  # per level, lightest first, sums to 1
    level_region_count: tuple[int, ...]  # per level
    region_count: int
    smallest_region_mm2: float  # measured on the drawn geometry
    line_length_m: float  # region borders
    burn_line_count: int  # thin features drawn as single burn lines
    burn_line_length_m: float
    outside_labels: int  # numbers printed outside with a leader line
    unlabelled_regions: int  # regions whose number found no free spot at all
    suggested_min_region_mm2: float | None  # would let every number fit inside; None if all do


@dataclass(frozen=True, eq=False)
class Stencil:
    """Everything one run of :func:`pyropattern.make_stencil` produced."""

    settings: Settings
    photo_size: tuple[int, int]  # (width, height) px of the photo as stored
    prepared: Prepared
    tones: ToneMap
    regions: Regions
    outlines: Outlines
    lines: BurnLines
    importance: Importance
    labels: Labels
    report: Report
    warnings: tuple[Message, ...]
    # A product blank's cut line(s) in mm (outline, then any hole), closed; drawn instead of
    # the rectangular frame. Empty for a plain rectangular design.
    cut_lines: tuple[np.ndarray, ...] = ()

    @property
    def width_mm(self) -> float:
        """Design width, mm."""
        return self.outlines.width_mm

    @property
    def height_mm(self) -> float:
        """Design height, mm."""
        return self.outlines.height_mm
