"""Stage 6: a level number for every region, placed where it crosses no line.

Each number goes at the region's pole of inaccessibility (the pixel farthest from any border,
from a distance transform), as large as fits up to the maximum. A region too small for the
smallest number gets it outside, in the nearest free spot, with a short leader line.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .model import Label, Labels, Outlines, Regions
from .regions import boundary_distance, region_max
from .settings import LabelSettings

# Ink box of a number relative to its digit height: DejaVu/Vera digits are ≈0.7 of their
# height wide; a small gap keeps neighbouring numbers apart.
_DIGIT_WIDTH = 0.7
_GAP_MM = 0.5
# How far from its region an outside number may go, in multiples of the largest label.
_SEARCH_REACH = 4.0

def _half_diagonal(height_mm: float, digits: int) -> float:
    """Half the diagonal of a number's ink box: the circle it needs around its centre."""
    return 0.5 * height_mm * math.hypot(1.0, _DIGIT_WIDTH * digits)

def place_labels(
    regions: Regions, outlines: Outlines, settings: LabelSettings, line_weight_mm: float
) -> Labels:
    """Place each region's level number (1 = lightest) inside it, or outside with a leader.

    Parameters
    ----------
    regions : Regions
        Cleaned regions; positions come from their distance transform.
    outlines : Outlines
        The drawn lines (their areas decide the suggested minimum region size).
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
    mm = scale.mm_per_px
    # Drawn lines are smoothed and may sit up to about a pixel off the raster border.
    margin_mm = line_weight_mm / 2 + mm
    distance = boundary_distance(regions.levels)
    distance_mm = distance * mm
    poles = _region_poles(distance, regions.ids, regions.count)
    occupied = np.zeros(regions.ids.shape, dtype=bool)
    items: list[Label] = []
    misfits: list[int] = []
    for region in range(regions.count):
        row, col = poles[region]
        number = int(regions.region_levels[region]) + 1
        digits = len(str(number))
        room = distance_mm[row, col] - margin_mm
        height = min(settings.max_height_mm, room / _half_diagonal(1.0, digits))
        x, y = (col + 0.5) * mm, (row + 0.5) * mm
        if height >= settings.min_height_mm:
            items.append(Label(region, number, x, y, height, True, x, y))
            _occupy(occupied, x, y, height, digits, mm)
        else:
            misfits.append(region)
    for region in misfits:
        row, col = poles[region]
        number = int(regions.region_levels[region]) + 1
        spot = _free_spot(distance_mm, occupied, row, col, settings, margin_mm, number, mm)
        if spot is None:
            continue
        x, y = spot
        items.append(
            Label(region, number, x, y, settings.min_height_mm, False,
                  (col + 0.5) * mm, (row + 0.5) * mm)
        )
        _occupy(occupied, x, y, settings.min_height_mm, len(str(number)), mm)
    suggested = None
    if misfits:
        drawn = outlines.region_area_mm2[misfits]
        suggested = float(math.floor(drawn.max()) + 1)
    items.sort(key=lambda label: label.region)
    return Labels(items=tuple(items), suggested_min_region_mm2=suggested)

def _region_poles(distance: np.ndarray, ids: np.ndarray, count: int) -> np.ndarray:
    """(count, 2) (row, col) of the pixel farthest from any border in each region."""
    best = region_max(distance, ids, count)
    at_best = distance == best[ids]
    rows, cols = np.nonzero(at_best)
    owners = ids[rows, cols]
    poles = np.zeros((count, 2), dtype=np.int64)
    # Several pixels may tie; keep the first in reading order for each region.
    first = np.unique(owners, return_index=True)[1]
    poles[owners[first]] = np.stack([rows[first], cols[first]], axis=1)
    return poles

def _occupy(occupied, x, y, height, digits, mm):
    """Mark a number's box plus a gap as taken."""
    half_w = (0.5 * _DIGIT_WIDTH * digits * height + _GAP_MM) / mm
    half_h = (0.5 * height + _GAP_MM) / mm
    r, c = y / mm, x / mm
    occupied[
        max(0, int(r - half_h)) : int(r + half_h) + 1, max(0, int(c - half_w)) : int(c + half_w) + 1
    ] = True

def _free_spot(distance_mm, occupied, row, col, settings, margin_mm, number, mm):
    """Nearest point to (row, col) where a smallest-size number crosses no line or number."""
    digits = len(str(number))
    need = _half_diagonal(settings.min_height_mm, digits) + margin_mm
    reach = int(_SEARCH_REACH * settings.max_height_mm / mm)
    r0, r1 = max(0, row - reach), min(distance_mm.shape[0], row + reach + 1)
    c0, c1 = max(0, col - reach), min(distance_mm.shape[1], col + reach + 1)
    # A number's box must not touch another's: test a box-sized neighbourhood of occupancy.
    window_ok = (distance_mm[r0:r1, c0:c1] >= need) & ~_dilate_box(
        occupied[r0:r1, c0:c1], settings.min_height_mm, digits, mm
    )
    candidates = np.argwhere(window_ok)
    if len(candidates) == 0:
        return None
    offsets = candidates + np.array([r0 - row, c0 - col])
    best = candidates[np.argmin(np.einsum("ij,ij->i", offsets, offsets))]
    return (best[1] + c0 + 0.5) * mm, (best[0] + r0 + 0.5) * mm


def _dilate_box(mask, height, digits, mm):
    """Grow ``mask`` by half a number's box, so a free centre means a free box."""

    half_w = max(1, round((0.5 * _DIGIT_WIDTH * digits * height) / mm))
    half_h = max(1, round((0.5 * height) / mm))
    kernel = np.ones((2 * half_h + 1, 2 * half_w + 1), np.uint8)
    return cv2.dilate(mask.astype(np.uint8), kernel) > 0
