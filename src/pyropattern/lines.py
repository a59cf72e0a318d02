"""Thin dark features become burn lines: single centre lines with a width class, no numbers.

A glasses frame, a whisker, a crack or a window mullion is darker than what surrounds it and
narrower than a tip can fill as a region. Left to the tone stages it is either merged away or
forced into a sliver no one can number. Here it is found first (a black top-hat: the photo's
morphological closing minus the photo is large exactly on dark features narrower than the
structuring element), traced along its skeleton as one line, and its pixels are filled with
the surrounding tone, so the regions flow under it.

This replaces the earlier "detail lines" (Canny photo edges away from the tone borders):
with borders that follow the photo's edges, an edge line beside a border was a double line,
while a thin dark feature is something a woodburner burns as one stroke. One concept: a
burn line is a stroke of the writing tip.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
from skimage.morphology import skeletonize

from .model import BurnLines, Importance, Prepared, PrintScale, frozen_array
from .settings import LineSettings, Settings
from .trace import round_corners, simplify_polyline, smooth_polyline, walk_chains

# A feature shorter than this many times its width is a dot (a pupil, a nostril, a nail
# head), drawn as a small ring to burn solid, not a line.
_DOT_ASPECT = 2.5
# Lines are searched on a raster of at most this many pixels per mm.
_SEARCH_PX_PER_MM = 5.0
# A dot must be this many times the line contrast darker than its surroundings.
_DOT_CONTRAST = 2.0
# Dots with two others this close (mm) are texture, not features.
_DOT_CROWD_MM = 6.0
# Smallest ring drawn for a dot, radius mm: smaller does not print as a ring.
_DOT_MM = 0.4
# Strips are found on the adjusted gray after a blur of this sigma, mm: JPEG noise and wood
# grain in a photo are finer than any tip.
_NOISE_MM = 0.12
# Smoothing and simplifying of the centre lines, as for region borders.
_SMOOTH_MM = 0.4
_TOLERANCE_MM = 0.08


def dark_strips(
    gray: np.ndarray, width_px: float, contrast: float
) -> tuple[np.ndarray, np.ndarray]:
    """Pixels of dark features narrower than ``width_px``, and how much darker each pixel is.

    Parameters
    ----------
    gray : (M, N) float32
        0..1, 0 = black.
    width_px : float
        Widest feature taken, px.
    contrast : float
        How much darker than the closing a pixel must be to seed a feature (gray units);
        features grow from seeds down to half of it (hysteresis, as in Canny), so a line
        that fades a little stays whole.

    Returns
    -------
    mask : (M, N) bool
        The features.
    tophat : (M, N) float32
        How much darker than its surroundings (the closing) each pixel is.
    """
    size = 2 * int(np.ceil(width_px / 2)) + 1  # odd, wider than the widest feature
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    closing = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, kernel)
    tophat = closing - gray
    weak = (tophat >= contrast / 2).astype(np.uint8)
    count, parts = cv2.connectedComponents(weak, connectivity=8)
    strong = np.zeros(count, dtype=bool)
    strong[parts[tophat >= contrast]] = True
    strong[0] = False
    return strong[parts], tophat


def skeleton_chains(skeleton: np.ndarray) -> list[np.ndarray]:
    """Split a one-pixel skeleton into chains between ends and junctions.

    Returns
    -------
    list of (K, 2) float64
        Pixel-centre points (x = col + 0.5, y = row + 0.5) in order along each chain.
    """
    rows, cols = np.nonzero(skeleton)
    if len(rows) == 0:
        return []
    shape = skeleton.shape
    node = np.full(shape, -1, dtype=np.int64)
    node[rows, cols] = np.arange(len(rows))
    padded = np.pad(node, 1, constant_values=-1)
    links = []
    # 4-neighbour links, plus diagonal ones only where no 4-path joins the two pixels, so a
    # thin curve is a simple chain rather than a string of little triangles.
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        other = padded[1 + dr : 1 + dr + shape[0], 1 + dc : 1 + dc + shape[1]]
        linked = (node >= 0) & (other >= 0)
        if dr and dc:
            side_a = padded[1 + dr : 1 + dr + shape[0], 1 : 1 + shape[1]] >= 0
            side_b = padded[1 : 1 + shape[0], 1 + dc : 1 + dc + shape[1]] >= 0
            linked &= ~side_a & ~side_b
        links.append((node[linked], other[linked]))
    u = np.concatenate([a for a, _ in links])
    v = np.concatenate([b for _, b in links])
    chains = []
    if len(u):
        nodes, walks = walk_chains(u, v)
        chains = [nodes[walk] for walk in walks]
    # Pixels with no neighbour at all (a one-pixel skeleton of a dot).
    linked_any = np.zeros(len(rows), dtype=bool)
    linked_any[u] = linked_any[v] = True
    chains += [np.array([i]) for i in np.flatnonzero(~linked_any)]
    return [
        np.stack([cols[chain] + 0.5, rows[chain] + 0.5], axis=1).astype(np.float64)
        for chain in chains
    ]


def _crowded(centres: np.ndarray, radius_px: float) -> np.ndarray:
    """True for each centre with two or more others within ``radius_px``.

    A pupil or a nostril stands alone or in a pair; dark specks in a cluster are texture.
    """
    if len(centres) < 3:
        return np.zeros(len(centres), dtype=bool)
    offsets = centres[:, None, :] - centres[None, :, :]
    close = np.einsum("ijk,ijk->ij", offsets, offsets) <= radius_px**2
    return close.sum(axis=1) - 1 >= 2


def _ring(centre_px: np.ndarray, radius_px: float) -> np.ndarray:
    """A closed 12-point circle: how a dot is drawn."""
    angles = np.linspace(0, 2 * np.pi, 13)
    return centre_px + radius_px * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def extract_lines(prepared: Prepared, importance: Importance, settings: Settings) -> BurnLines:
    """Find thin dark features and trace each as one burn line (or a dot), in mm.

    Parameters
    ----------
    prepared : Prepared
        Its ``adjusted`` gray (not smoothed) is searched.
    importance : Importance
        No lines on a bare-wood background.
    settings : Settings
        ``lines`` (width limit, contrast, shortest line, bold class).

    Returns
    -------
    BurnLines
        Lines with their measured widths and class, and the pixel mask whose tone
        :func:`~pyropattern.prepare.tone_source` fills in from the surroundings.
    """
    line_settings: LineSettings = settings.lines
    full_shape = prepared.adjusted.shape
    empty = BurnLines((), (), (), frozen_array(np.zeros(full_shape, dtype=bool)))
    if not line_settings.enabled:
        return empty
    # Found on a raster of at most _SEARCH_PX_PER_MM: the finest line a tip burns (0.5 mm)
    # is still 2 px there, and at 1600 px for 200 mm (8 px/mm) the search costs a quarter.
    factor = max(1, math.ceil(prepared.scale.to_px(1.0) / _SEARCH_PX_PER_MM))
    rows, cols = full_shape[0] // factor, full_shape[1] // factor
    scale = PrintScale(prepared.scale.mm_per_px * factor, (rows, cols))
    adjusted = prepared.adjusted
    subject = importance.subject
    if factor > 1:
        adjusted = cv2.resize(adjusted[: rows * factor, : cols * factor], (cols, rows),
                              interpolation=cv2.INTER_AREA)
        subject = subject[: rows * factor : factor, : cols * factor : factor]
    gray = cv2.GaussianBlur(adjusted, (0, 0), max(0.5, scale.to_px(_NOISE_MM)))
    low, high = np.percentile(gray[:: 4, :: 4], (1, 99))
    contrast = line_settings.min_contrast * max(float(high - low), 0.05)
    width_px = scale.to_px(line_settings.max_width_mm)
    mask, tophat = dark_strips(gray, width_px, contrast)
    mask &= subject
    if not mask.any():
        return empty
    # A feature's width is measured at half its depth (as a blurred line's width is read at
    # half its darkness): the rim that hysteresis adds is where the photo's blur fades it.
    size = 2 * int(np.ceil(width_px / 2)) + 1
    # (A square neighbourhood: any nearby peak will do, and OpenCV dilates by a square in
    # constant time per pixel.)
    depth = cv2.dilate(tophat, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    core = (mask & (tophat >= depth / 2)).view(np.uint8)
    distance = cv2.distanceTransform(core, cv2.DIST_L2, 5)
    # Skeleton and chains on the box that holds the features (a few percent of the photo).
    rows_any, cols_any = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    top, left = int(rows_any[0]), int(cols_any[0])
    box = (slice(top, int(rows_any[-1]) + 1), slice(left, int(cols_any[-1]) + 1))
    offset = np.array([left, top], dtype=np.float64)
    min_length_px = scale.to_px(line_settings.min_length_mm)
    half_window = max(2, round(scale.to_px(_SMOOTH_MM) / 2))
    tolerance_px = scale.to_px(_TOLERANCE_MM)
    paths, widths, grays, kept = [], [], [], []
    count, parts = cv2.connectedComponents(mask.view(np.uint8), connectivity=8)
    for points in skeleton_chains(skeletonize(mask[box])):
        points = points + offset
        pixels = np.floor(points).astype(np.int64)
        # A centre pixel d away from the nearest outside pixel lies in a strip 2d - 1 wide.
        width_px = max(1.0, 2.0 * float(distance[pixels[:, 1], pixels[:, 0]].mean()) - 1.0)
        length_px = float(np.hypot(*np.diff(points, axis=0).T).sum()) if len(points) > 1 else 0
        if length_px < max(min_length_px, _DOT_ASPECT * width_px):
            continue
        points = simplify_polyline(smooth_polyline(points, half_window), tolerance_px)
        grays.append(float(np.median(gray[pixels[:, 1], pixels[:, 0]])))
        paths.append(round_corners(points))
        widths.append(width_px)
        kept.append(parts[pixels[:, 1], pixels[:, 0]])
    keep = np.zeros(count, dtype=bool)
    if kept:
        keep[np.concatenate(kept)] = True
    keep[0] = False
    keep = keep[parts]
    # Dots: compact features whose skeleton was too short for a line.
    dots = mask & ~keep
    count, parts, stats, centroids = cv2.connectedComponentsWithStats(dots.view(np.uint8), 8)
    crowded = _crowded(centroids[1:], scale.to_px(_DOT_CROWD_MM))
    dot_kept = np.zeros(count, dtype=bool)
    for part in range(1, count):
        left, top, box_w, box_h, area = stats[part]
        width_px = 2.0 * np.sqrt(area / np.pi)
        if max(box_w, box_h) > _DOT_ASPECT * width_px or width_px < 2 * scale.to_px(_NOISE_MM) + 1:
            continue  # a short curl or a speck: neither a line nor a dot
        if crowded[part - 1]:
            continue  # texture (a badge, a pattern on cloth): the tones render it
        box = (slice(top, top + box_h), slice(left, left + box_w))
        inside = parts[box] == part
        if float(tophat[box][inside].max()) < _DOT_CONTRAST * contrast:
            continue  # a pupil or a nostril is a deep dark; a faint spot is shading
        paths.append(_ring(centroids[part] + 0.5, max(width_px / 2, scale.to_px(_DOT_MM))))
        widths.append(width_px)
        grays.append(float(np.median(gray[box][inside])))
        dot_kept[part] = True
    keep |= dot_kept[parts]
    if factor > 1:
        keep = np.pad(np.repeat(np.repeat(keep, factor, axis=0), factor, axis=1),
                      ((0, full_shape[0] - rows * factor), (0, full_shape[1] - cols * factor)))
    widths_mm = tuple(float(scale.to_mm(w)) for w in widths)
    return BurnLines(
        paths=tuple(frozen_array(scale.to_mm(p)) for p in paths),
        widths_mm=widths_mm,
        # Bold: wide and dark, worth several strokes side by side; a wide but pale strip is
        # one light stroke.
        bold=tuple(w >= line_settings.bold_width_mm and g <= (low + high) / 2
                   for w, g in zip(widths_mm, grays, strict=True)),
        mask=frozen_array(keep),
        grays=tuple(grays),
    )
