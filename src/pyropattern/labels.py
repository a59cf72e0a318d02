"""Stage 6: a level number for every region, placed where it crosses no line.

Each number goes at the region's pole of inaccessibility (the pixel farthest from any border,
from a distance transform), as large as fits up to the maximum. A region too small for the
smallest number gets it outside, at the nearest free spot, with a short leader line.

Two steps: :func:`measure_room` depends only on the regions, :func:`place_labels` on the
label settings too, so a front end that caches them redoes only the cheap second step when
the number size changes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .model import Label, Labels, Outlines, PrintScale, Regions, frozen_array
from .regions import boundary_distance, region_argmax
from .settings import LabelSettings

# Ink box of a number relative to its digit height: DejaVu/Vera digits are ≈0.7 of their
# height wide; a small gap keeps neighbouring numbers apart.
_DIGIT_WIDTH = 0.7
_GAP_MM = 0.5
# How far from its region an outside number may go, in multiples of the largest number.
_SEARCH_REACH = 4.0


def _half_diagonal(height_mm: float, digits: int) -> float:
    """Half the diagonal of a number's ink box: the circle it needs around its centre."""
    return 0.5 * height_mm * math.hypot(1.0, _DIGIT_WIDTH * digits)


def label_margin_mm(line_weight_mm: float, scale: PrintScale) -> float:
    """Clearance a number keeps from every line: half the printed line, plus one pixel
    because drawn lines are smoothed and may sit up to about a pixel off the raster border."""
    return line_weight_mm / 2 + scale.to_mm(1.0)


def label_width_px(
    settings: LabelSettings, levels: int, line_weight_mm: float, scale: PrintScale
) -> float:
    """Width (twice the inscribed radius, px) a region needs to hold its smallest number.

    The cleaning stage merges narrower regions when numbers must fit inside, and
    :func:`place_labels` puts a number inside exactly when its region is at least this wide
    at its pole, so the two agree by construction. ``levels`` sets the digit count (2 for
    level 10).
    """
    if not (settings.show and settings.fit_inside):
        return 0.0
    need_mm = _half_diagonal(settings.min_height_mm, len(str(levels)))
    return 2 * scale.to_px(need_mm + label_margin_mm(line_weight_mm, scale))


@dataclass(frozen=True, eq=False)
class LabelRoom:
    """Where numbers can go: the free space around every pixel and each region's best spot."""

    distance_mm: np.ndarray  # (M, N) float32, pixel centre to the nearest border or edge, mm
    poles: np.ndarray  # (R,) int64 flat index of each region's pole of inaccessibility


def measure_room(regions: Regions) -> LabelRoom:
    """Distance to the nearest border everywhere, and each region's farthest pixel from it.

    Returns
    -------
    LabelRoom
        What :func:`place_labels` needs from the regions, independent of label settings.
    """
    distance_mm = regions.scale.to_mm(boundary_distance(regions.levels))
    poles = region_argmax(distance_mm, regions.ids, regions.count)
    return LabelRoom(distance_mm=frozen_array(distance_mm), poles=frozen_array(poles))


def place_labels(
    regions: Regions,
    outlines: Outlines,
    room: LabelRoom,
    settings: LabelSettings,
    line_weight_mm: float,
) -> Labels:
    """Place each region's level number (1 = lightest) inside it, or outside with a leader.

    Parameters
    ----------
    regions : Regions
        Cleaned regions; positions come from their distance transform.
    outlines : Outlines
        The drawn lines (their areas give the suggested minimum region size).
    room : LabelRoom
        From :func:`measure_room` on the same regions.
    settings : LabelSettings
        Whether to number at all and the digit height range in mm.
    line_weight_mm : float
        Printed line width: a number keeps half of it plus a margin clear of every line.

    Returns
    -------
    Labels
        One label per region that found a place, and the minimum region size that would let
        every number fit inside (``None`` when all already do).
    """
    if not settings.show:
        return Labels(items=(), suggested_min_region_mm2=None)
    scale = regions.scale

    def centre_mm(row: int, col: int) -> tuple[float, float]:
        return float(scale.to_mm(col + 0.5)), float(scale.to_mm(row + 0.5))

    margin_mm = label_margin_mm(line_weight_mm, scale)
    distance_mm, poles = room.distance_mm, room.poles
    rows, cols = np.divmod(poles, regions.ids.shape[1])
    room = distance_mm.ravel()[poles] - margin_mm
    # Centres where a smallest number would touch a number already placed.
    blocked = np.zeros(regions.ids.shape, dtype=bool)
    smallest_box = (0.5 * _DIGIT_WIDTH * settings.min_height_mm, 0.5 * settings.min_height_mm)
    items: list[Label] = []
    misfits: list[int] = []
    for region in range(regions.count):
        number = int(regions.region_levels[region]) + 1
        digits = len(str(number))
        height = float(min(settings.max_height_mm, room[region] / _half_diagonal(1.0, digits)))
        x, y = centre_mm(rows[region], cols[region])
        if height >= settings.min_height_mm:
            items.append(Label(region, number, x, y, height, True, x, y))
            _block(blocked, x, y, height, digits, smallest_box, scale)
        else:
            misfits.append(region)
    reach = round(scale.to_px(_SEARCH_REACH * settings.max_height_mm))
    for region in misfits:
        number = int(regions.region_levels[region]) + 1
        digits = len(str(number))
        need = _half_diagonal(settings.min_height_mm, digits) + margin_mm
        spot = _nearest_free(distance_mm, blocked, rows[region], cols[region], need, reach)
        if spot is None:
            continue
        x, y = centre_mm(*spot)
        anchor_x, anchor_y = centre_mm(rows[region], cols[region])
        items.append(
            Label(region, number, x, y, settings.min_height_mm, False, anchor_x, anchor_y)
        )
        _block(blocked, x, y, settings.min_height_mm, digits, smallest_box, scale)
    suggested = None
    if misfits:
        suggested = float(math.floor(outlines.region_area_mm2[misfits].max()) + 1)
    items.sort(key=lambda label: label.region)
    return Labels(items=tuple(items), suggested_min_region_mm2=suggested)


def _block(blocked, x, y, height, digits, smallest_box, scale):
    """Mark the centres where a smallest number would overlap this one (plus a gap)."""
    half_w = scale.to_px(0.5 * _DIGIT_WIDTH * digits * height + smallest_box[0] + _GAP_MM)
    half_h = scale.to_px(0.5 * height + smallest_box[1] + _GAP_MM)
    r, c = scale.to_px(y), scale.to_px(x)
    blocked[max(0, int(r - half_h)) : int(r + half_h) + 1,
            max(0, int(c - half_w)) : int(c + half_w) + 1] = True  # fmt: skip


def _nearest_free(distance_mm, blocked, row, col, need, reach):
    """(row, col) nearest to the given pixel with ``need`` mm clear of lines and numbers.

    Searches a growing square (a quarter, half, then all of ``reach``): most free spots are
    close, and a small window is cheap. A spot found in a smaller square can still lose to
    a nearer one only at its corners, so the nearest candidate within the square's inscribed
    circle is taken, else the search widens.
    """
    for step in (reach // 4, reach // 2, reach):
        r0, c0 = max(0, row - step), max(0, col - step)
        window = (distance_mm[r0 : row + step + 1, c0 : col + step + 1] >= need) & ~blocked[
            r0 : row + step + 1, c0 : col + step + 1
        ]
        candidates = np.argwhere(window)
        if len(candidates) == 0:
            continue
        offsets = candidates - np.array([row - r0, col - c0])
        squared = np.einsum("ij,ij->i", offsets, offsets)
        nearest = int(np.argmin(squared))
        if squared[nearest] <= step * step or step == reach:
            best = candidates[nearest]
            return best[0] + r0, best[1] + c0
    return None
