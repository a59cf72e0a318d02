"""How a design is split over sheets of paper: pure arithmetic, no drawing.

Each sheet has a fixed page layout (margins, a header band, a footer band with the
calibration bar, and thin side bands for the neighbour arrows); what is left is the *window*
the design shows through. Neighbouring windows share an overlap strip of ``overlap_mm``, so a
design of length L needs ``ceil((L - overlap) / (window - overlap))`` sheets along that axis.
Sheet ids are a row letter and a column number ("A1" top-left, "B1" below it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import SettingsError
from ..settings import PrintSettings

PAPER_SIZES_MM: dict[str, tuple[float, float]] = {
    "A4": (210.0, 297.0),
    "F4": (215.0, 330.0),  # Folio as sold in Indonesia (not US Legal, not 8.5 × 13 in)
    "Letter": (215.9, 279.4),
    "Legal": (215.9, 355.6),
    "A3": (297.0, 420.0),
}
# Papers sold in inches get a 4-inch bar beside the 100 mm one.
INCH_PAPERS = frozenset({"Letter", "Legal"})

HEADER_MM = 14.5  # sheet id, design name, size, levels; a row for the top cut note
FOOTER_MM = 19.0  # a row for the bottom neighbour note, calibration bar(s), instruction
SIDE_MM = 6.0  # left/right bands for neighbour arrows and cut notes
# The footer holds a 100 mm bar plus its instruction beside it; the window must be big
# enough that an overlap strip plus some design shows on every sheet.
MIN_PRINTABLE_WIDTH_MM = 140.0
MIN_WINDOW_MM = 40.0


@dataclass(frozen=True)
class Tile:
    """One sheet's part of the design, in design millimetres (mirrored if the print is)."""

    id: str  # "A1", "B3", …
    row: int  # 0-based, top to bottom
    column: int  # 0-based, left to right
    x_mm: float  # left edge of this sheet's part of the design
    y_mm: float  # top edge
    width_mm: float  # clipped at the design's right edge
    height_mm: float  # clipped at the design's bottom edge


@dataclass(frozen=True)
class TilePlan:
    """Where each sheet's window falls on the design, and where the window sits on the page."""

    paper_width_mm: float  # as fed, after orientation
    paper_height_mm: float
    orientation: str  # "portrait" or "landscape"
    window: tuple[float, float, float, float]  # x, y, width, height on the page, mm
    offset: tuple[float, float]  # extra x, y shift that centres a design smaller than the window
    overlap_mm: float
    rows: int
    columns: int
    step: tuple[float, float]  # distance between neighbouring windows on the design, x and y
    tiles: tuple[Tile, ...]  # every grid cell, row by row

    @property
    def count(self) -> int:
        """Number of grid cells (sheets before blank ones are skipped)."""
        return self.rows * self.columns

    def tile(self, row: int, column: int) -> Tile:
        """Return the tile at ``row``, ``column`` (0-based)."""
        return self.tiles[row * self.columns + column]


def paper_size_mm(print_settings: PrintSettings) -> tuple[float, float]:
    """Return the paper's (width, height) in mm, portrait (short side first)."""
    if print_settings.paper == "custom":
        width, height = print_settings.paper_width_mm, print_settings.paper_height_mm
    else:
        width, height = PAPER_SIZES_MM[print_settings.paper]
    return min(width, height), max(width, height)


def sheet_id(row: int, column: int) -> str:
    """Return a sheet's id: row letters (A…Z, AA…) then the 1-based column number."""
    letters = ""
    index = row + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{column + 1}"


def sheets_along(length_mm: float, window_mm: float, overlap_mm: float) -> int:
    """Sheets needed to cover ``length_mm`` with windows of ``window_mm`` overlapping by
    ``overlap_mm`` (1 when it fits; a micrometre of slack absorbs rounding)."""
    if length_mm <= window_mm + 1e-3:
        return 1
    return math.ceil((length_mm - overlap_mm - 1e-3) / (window_mm - overlap_mm))


def window_for(
    paper_width_mm: float, paper_height_mm: float, margin_mm: float
) -> tuple[float, float, float, float]:
    """Return the design window (x, y, width, height) on a sheet of the given size, mm."""
    x = margin_mm + SIDE_MM
    y = margin_mm + HEADER_MM
    return (
        x,
        y,
        paper_width_mm - 2 * x,
        paper_height_mm - y - margin_mm - FOOTER_MM,
    )


def _plan(
    design_w_mm: float, design_h_mm: float, settings: PrintSettings, orientation: str
) -> TilePlan | None:
    short, long = paper_size_mm(settings)
    paper_w, paper_h = (short, long) if orientation == "portrait" else (long, short)
    window = window_for(paper_w, paper_h, settings.margin_mm)
    _, _, window_w, window_h = window
    smallest_window = max(MIN_WINDOW_MM, 2 * settings.overlap_mm + 10.0)
    if (
        paper_w - 2 * settings.margin_mm < MIN_PRINTABLE_WIDTH_MM
        or min(window_w, window_h) < smallest_window
    ):
        return None
    overlap = settings.overlap_mm
    columns = sheets_along(design_w_mm, window_w, overlap)
    rows = sheets_along(design_h_mm, window_h, overlap)
    step = (window_w - overlap, window_h - overlap)
    tiles = []
    for row in range(rows):
        for column in range(columns):
            x, y = column * step[0], row * step[1]
            tiles.append(
                Tile(
                    id=sheet_id(row, column),
                    row=row,
                    column=column,
                    x_mm=x,
                    y_mm=y,
                    width_mm=min(window_w, design_w_mm - x),
                    height_mm=min(window_h, design_h_mm - y),
                )
            )
    offset = (
        max(0.0, (window_w - design_w_mm) / 2) if columns == 1 else 0.0,
        max(0.0, (window_h - design_h_mm) / 2) if rows == 1 else 0.0,
    )
    return TilePlan(
        paper_width_mm=paper_w,
        paper_height_mm=paper_h,
        orientation=orientation,
        window=window,
        offset=offset,
        overlap_mm=overlap,
        rows=rows,
        columns=columns,
        step=step,
        tiles=tuple(tiles),
    )


def plan_tiles(design_w_mm: float, design_h_mm: float, print_settings: PrintSettings) -> TilePlan:
    """Split a design of the given size over sheets of the chosen paper.

    Parameters
    ----------
    design_w_mm, design_h_mm : float
        Design size on the wood, mm.
    print_settings : PrintSettings
        Paper, orientation ("auto" takes whichever needs fewer sheets, portrait on a tie),
        margin and overlap.

    Returns
    -------
    TilePlan
        Every grid cell, blank or not; skipping blank sheets is the exporter's business, so
        ids stay the same whatever the content.

    Raises
    ------
    SettingsError
        If the paper minus the margins cannot hold the calibration bar and a useful window.
    """
    orientations = (
        ("portrait", "landscape")
        if print_settings.orientation == "auto"
        else (print_settings.orientation,)
    )
    plans = [_plan(design_w_mm, design_h_mm, print_settings, o) for o in orientations]
    valid = [plan for plan in plans if plan is not None]
    if not valid:
        short, long = paper_size_mm(print_settings)
        paper_w, paper_h = (
            (long, short) if print_settings.orientation == "landscape" else (short, long)
        )
        _, _, window_w, window_h = window_for(paper_w, paper_h, print_settings.margin_mm)
        smallest = max(MIN_WINDOW_MM, 2 * print_settings.overlap_mm + 10.0)
        raise SettingsError(
            "print.error.paper_too_small",
            width=round(max(0.0, window_w), 1),
            height=round(max(0.0, window_h), 1),
            min_width=max(smallest, MIN_PRINTABLE_WIDTH_MM - 2 * SIDE_MM),
            min_height=smallest,
        )
    return min(valid, key=lambda plan: plan.count)


# A design this much wider than one sheet allows (as a share of its width) gets the hint
# "N mm narrower fits on one sheet": the A4 portrait case of issue 9 is 22 mm of 200 (11%).
NEAR_ONE_SHEET_SHARE = 0.15


def one_sheet_width_mm(aspect: float, print_settings: PrintSettings) -> float:
    """Return the widest design (whole mm) of the given shape that fits one sheet.

    Parameters
    ----------
    aspect : float
        Design width / height (of the photo after rotation and crop).
    print_settings : PrintSettings
        Paper, orientation ("auto" tries both), margin. Whole millimetres, rounded down with
        half a millimetre to spare, keep the fit when the working raster rounds the height.

    Returns
    -------
    float
        At least 20 mm (the smallest design width); a very tall design may still need more
        than one sheet at that width.

    Raises
    ------
    SettingsError
        If the paper minus the margins cannot hold the page layout (as :func:`plan_tiles`).
    """
    if not aspect > 0:
        raise ValueError(f"aspect must be positive, got {aspect}")
    plan_tiles(1.0, 1.0, print_settings)  # the same refusal as printing would give
    short, long = paper_size_mm(print_settings)
    orientations = (
        ("portrait", "landscape")
        if print_settings.orientation == "auto"
        else (print_settings.orientation,)
    )
    best = 0.0
    for orientation in orientations:
        paper_w, paper_h = (short, long) if orientation == "portrait" else (long, short)
        _, _, window_w, window_h = window_for(paper_w, paper_h, print_settings.margin_mm)
        best = max(best, min(window_w - 0.5, (window_h - 0.5) * aspect))
    return float(min(max(math.floor(best), 20), 3000))


def narrower_for_one_sheet(
    width_mm: float, height_mm: float, print_settings: PrintSettings
) -> int | None:
    """Millimetres to take off the width so a design just too big fits one sheet, else None.

    ``None`` when the design already fits one sheet, or when it is far too big for one
    (more than :data:`NEAR_ONE_SHEET_SHARE` of its width): then tiling is what was meant.
    """
    if plan_tiles(width_mm, height_mm, print_settings).count == 1:
        return None
    fits = one_sheet_width_mm(width_mm / height_mm, print_settings)
    excess = math.ceil(width_mm - fits)
    if excess <= 0 or excess > NEAR_ONE_SHEET_SHARE * width_mm:
        return None
    return excess
