"""Stages 3 and 4: round the borders of the tone map, then make every region burnable.

A region is a 4-connected area of one level. "Burnable" means at least ``min_region_mm2`` in
area and at least ``min_strip_mm`` across at its widest point, both at print size. Regions that
fail merge into the neighbour whose level tone is closest to their own mean gray, smallest
first, through a region adjacency graph with union-find (merge order made no measurable
difference in a calibration run, design.md §8).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import cv2
import numpy as np

from .errors import SettingsError
from .model import Importance, Prepared, Regions, ToneMap, frozen_array
from .settings import CleanSettings, Settings, blend, outside_values
from .tones import gray_to_bins

# Beyond this many regions the pattern is noise, not a design: tracing and numbering it would
# take minutes (a noise photo with every minimum at 0 gives ≈10⁶ regions).
MAX_REGIONS = 5000
# The merge runs in Python at ≈27 µs a region; beyond this many before merging (≈3 s) the
# map is refused. Real photos give a few hundred here, even with all smoothing off.
_MAX_REGIONS_TO_MERGE = 100_000


def smooth_levels(
    tones: ToneMap,
    settings: CleanSettings,
    importance: Importance | None = None,
    gray: np.ndarray | None = None,
) -> ToneMap:
    """Round region borders and give thin strips to their thick neighbours.

    Where ``importance`` marks background to leave bare, the level is 0 (bare wood). Then a
    Gaussian-weighted majority filter: each pixel takes the level that holds the
    largest weighted share of its neighbourhood (sigma ``boundary_smooth_mm`` at print size),
    so pixel stairs and specks narrower than about the sigma disappear. Then bands of an
    in-between level along an edge narrower than ``max_band_mm``
    (:func:`remove_transition_bands`; with ``gray``, split where the photo crosses halfway
    between the two sides, :func:`split_bands_at_edges`), and then every part of a region
    narrower than ``min_strip_mm`` (:func:`remove_thin_parts`), take the level of the nearest
    part that is wide enough.

    Returns
    -------
    ToneMap
        Same thresholds and level grays, new levels and area shares.
    """
    scale = tones.scale
    levels = tones.levels
    if importance is not None and not importance.subject.all():
        levels = np.where(importance.subject, levels, np.uint8(0))
    levels = majority_filter(levels, scale.to_px(settings.boundary_smooth_mm))
    band_radius = scale.to_px(max(settings.max_band_mm, settings.min_strip_mm)) / 2
    banded = remove_transition_bands(levels, band_radius)
    if gray is not None:
        banded = split_bands_at_edges(levels, banded, gray, tones.level_grays, band_radius)
    levels = banded
    # After the bands: moving them can leave slivers, which this pass gives away too.
    levels = remove_thin_parts(levels, scale.to_px(settings.min_strip_mm) / 2)
    counts = np.bincount(levels.ravel(), minlength=tones.count)
    return ToneMap(
        levels=frozen_array(levels),
        thresholds=tones.thresholds,
        level_grays=tones.level_grays,
        area_share=tuple(float(c) for c in counts / counts.sum()),
        scale=tones.scale,
    )


def majority_filter(levels: np.ndarray, sigma_px: float) -> np.ndarray:
    """Each pixel of an (M, N) uint8 level map takes its Gaussian-weighted majority level."""
    if sigma_px < 0.5:
        return levels
    best_weight = best_level = None
    # 8-bit masks and a stack blur, whose kernel variance r(r+2)/6 matches the Gaussian's
    # sigma: its cost does not grow with the radius, and at sigma = 8 px the filter took
    # 38 ms against 77 ms with cv2.GaussianBlur, agreeing on 99.6% of pixels.
    radius = round(math.sqrt(1 + 6 * sigma_px**2) - 1)
    size = 2 * radius + 1
    for level in np.unique(levels).tolist():
        weight = cv2.stackBlur(cv2.compare(levels, level, cv2.CMP_EQ), (size, size))
        if best_weight is None:
            best_weight, best_level = weight, np.full(levels.shape, level, dtype=np.uint8)
            continue
        better = cv2.compare(weight, best_weight, cv2.CMP_GT).view(bool)
        np.copyto(best_weight, weight, where=better)
        best_level[better] = level
    return best_level


def transition_pixels(levels: np.ndarray, radius_px: float) -> np.ndarray:
    """Pixels whose level lies strictly between a lighter and a darker one nearby.

    Blurring a hard edge before quantizing leaves such pixels as bands of in-between levels
    along it; a woodburner wants one line there, not three. A thin feature of its own (a dark
    whisker on light fur) is darker than everything around it, so it is not in between.
    "Nearby" is within twice the radius: every pixel of a band up to ``2 * radius_px`` wide,
    its edges included, then sees both sides.
    """
    # A square, not a disk: only candidates are marked here (they must also be thin to
    # change), and OpenCV erodes and dilates by a square in constant time per pixel
    # (≈3 ms against ≈31 ms for a 29 px disk at 1600 × 1600).
    size = 2 * round(2 * radius_px) + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    return (cv2.erode(levels, kernel) < levels) & (levels < cv2.dilate(levels, kernel))


def remove_transition_bands(levels: np.ndarray, radius_px: float) -> np.ndarray:
    """Give in-between bands narrower than ``2 * radius_px`` to the levels on their sides.

    Bands are wide (a millimetre or more), so from 8 px of radius up the work runs on every
    other pixel, a quarter of the cost (≈10 ms against ≈45 ms at 1600 × 1600). A changed
    half-size pixel changes its 2 × 2 block; a one-pixel sliver the coarser grid misses is
    thin, and the strip pass that follows removes it.
    """
    if radius_px < 8:
        return remove_thin_parts(levels, radius_px, only=transition_pixels(levels, radius_px))
    small = np.ascontiguousarray(levels[::2, ::2])
    half = radius_px / 2
    moved = remove_thin_parts(small, half, only=transition_pixels(small, half))
    if moved is small:
        return levels
    rows, cols = levels.shape
    size = (2 * small.shape[1], 2 * small.shape[0])
    changed = cv2.resize(cv2.compare(moved, small, cv2.CMP_NE), size,
                         interpolation=cv2.INTER_NEAREST)[:rows, :cols]
    enlarged = cv2.resize(moved, size, interpolation=cv2.INTER_NEAREST)[:rows, :cols]
    out = levels.copy()
    np.copyto(out, enlarged, where=changed.view(bool))
    return out


def split_bands_at_edges(
    before: np.ndarray,
    after: np.ndarray,
    gray: np.ndarray,
    level_grays: tuple[float, ...],
    radius_px: float,
) -> np.ndarray:
    """Split each removed band where the photo crosses halfway between the tones beside it.

    :func:`remove_transition_bands` gives a band to its nearest wide sides, which puts the
    border midway between where the outer levels start: off the photo's edge whenever the
    in-between thresholds sit unevenly in the blurred ramp (0.6 mm on a blurred step at
    5 levels). The edge itself is where the gray is halfway between the two sides' tones,
    so each pixel that changed takes the darker side where it is darker than that, else
    the lighter one.
    """
    changed = np.flatnonzero(cv2.compare(before, after, cv2.CMP_NE))
    if len(changed) == 0:
        return after
    size = 2 * round(2 * radius_px) + 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    light = cv2.erode(after, kernel).ravel()[changed]  # level 0 is the lightest
    dark = cv2.dilate(after, kernel).ravel()[changed]
    tones = np.asarray(level_grays, dtype=np.float32)
    halfway = (tones[light] + tones[dark]) / 2
    out = after.copy()
    out.ravel()[changed] = np.where(gray.ravel()[changed] < halfway, dark, light)
    return out


def remove_thin_parts(
    levels: np.ndarray, radius_px: float, only: np.ndarray | None = None
) -> np.ndarray:
    """Give every part of a region narrower than ``2 * radius_px`` to the nearest wide part.

    A *core* pixel is farther than the radius from every border, so a disk of that radius
    around it lies in one region; the wide parts of the map are the union of those disks.
    Any pixel outside them (a thin tail, a band along an edge, a narrow neck) takes the level
    of its nearest core, which is its own level wherever it is near its own wide part. This
    is the opening of every level at once, from two distance transforms; per-level opening
    left the thin bands a blurred edge leaves as near-parallel double lines, because they
    are parts of large regions that a per-region width test keeps. ``only`` (a boolean mask)
    limits which thin pixels change.
    """
    if radius_px < 0.5:
        return levels
    # Zeros at the cores: each pixel learns its distance to, and the index of, the nearest
    # core pixel (cores numbered from 1 in raster order). OpenCV compares instead of numpy
    # ones: no full-size bool or float temporaries.
    sources = cv2.compare(boundary_distance(levels), radius_px, cv2.CMP_LE)
    if cv2.countNonZero(sources) == sources.size:
        return levels  # everything is thin: the region merge decides
    distance, nearest = cv2.distanceTransformWithLabels(
        sources, cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL
    )
    thin = cv2.compare(distance, radius_px, cv2.CMP_GT)
    if only is not None:
        thin = cv2.bitwise_and(thin, only.view(np.uint8))
    changed = np.flatnonzero(thin)  # a few percent of the pixels
    if len(changed) == 0:
        return levels
    cores = np.flatnonzero(sources.ravel() == 0)
    out = levels.copy()
    out.ravel()[changed] = levels.ravel()[cores[nearest.ravel()[changed] - 1]]
    return out


def label_regions(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split a level map into 4-connected regions.

    Returns
    -------
    ids : (M, N) int32
        Region id per pixel, 0..R-1, numbered level by level.
    region_levels : (R,) uint8
        The level of each region.
    """
    ids = np.zeros(levels.shape, dtype=np.int32)
    region_levels = []
    next_id = 0
    for level in np.unique(levels):
        count, components = cv2.connectedComponents(
            (levels == level).astype(np.uint8), connectivity=4, ltype=cv2.CV_32S
        )
        mask = components > 0
        ids[mask] = components[mask] + (next_id - 1)
        region_levels.extend([level] * (count - 1))
        next_id += count - 1
    return ids, np.array(region_levels, dtype=np.uint8)


def boundary_distance(levels: np.ndarray) -> np.ndarray:
    """Distance in pixels from each pixel centre to the nearest region border or design edge.

    Regions are the connected areas of one level, so two touching regions always differ in
    level and the borders can be found on the (M, N) uint8 level map, where 8-bit
    morphology is cheap. Border pixels (a 4-neighbour of another level, or the outermost
    ring) get 0.5: the border itself runs half a pixel away, between pixel centres.
    """
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    inside = cv2.compare(cv2.dilate(levels, cross), cv2.erode(levels, cross), cv2.CMP_EQ)
    inside[[0, -1], :] = 0
    inside[:, [0, -1]] = 0
    # The 5×5 mask is within 0.1% of the exact transform here at a third of its cost
    # (12 ms against 35 ms at 1600 px).
    return cv2.distanceTransform(inside, cv2.DIST_L2, 5) + 0.5


def region_adjacency(ids: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Return the (E, 2) unique pairs ``a < b`` of 4-adjacent region ids.

    Touching regions always differ in level, so the borders are found on the 8-bit level
    map, a quarter of the memory traffic of comparing the int32 ids.
    """
    lows, highs = [], []
    for a, b, la, lb in (
        (ids[:, :-1], ids[:, 1:], levels[:, :-1], levels[:, 1:]),
        (ids[:-1, :], ids[1:, :], levels[:-1, :], levels[1:, :]),
    ):
        differ = la != lb
        lows.append(np.minimum(a[differ], b[differ]))
        highs.append(np.maximum(a[differ], b[differ]))
    # One int64 key per pair: a 1-D unique is ≈10× faster than np.unique(axis=0) here.
    stride = int(ids.max()) + 1
    keys = np.unique(np.concatenate(lows).astype(np.int64) * stride + np.concatenate(highs))
    return np.stack([keys // stride, keys % stride], axis=1)


def region_argmax(values: np.ndarray, ids: np.ndarray, count: int) -> np.ndarray:
    """Flat index of the largest of ``values`` in each region; ties go to the first.

    The maxima first, then only the few pixels that reach their region's maximum are
    sorted out, so no full-size index array is ever built.
    """
    best = region_max(values, ids, count)
    candidates = np.flatnonzero(values.ravel() == best[ids.ravel()])
    owners, first = np.unique(ids.ravel()[candidates], return_index=True)
    out = np.zeros(count, dtype=np.int64)
    out[owners] = candidates[first]
    return out


def region_max(values: np.ndarray, ids: np.ndarray, count: int) -> np.ndarray:
    """Largest of ``values`` in each region, (count,) of ``values``' dtype.

    ``np.maximum.at`` takes ≈7 ms at 1600 × 1600 px where ``ndimage.maximum`` sorts every
    pixel (≈300 ms); ``out`` must share the values' dtype or it falls back to a slow
    casting loop (≈30× slower).
    """
    out = np.full(count, -np.inf, dtype=values.dtype)
    np.maximum.at(out, ids.ravel(), values.ravel())
    return out


class _RegionGraph:
    """Union-find over regions, with each root's area, widest point, gray sum and neighbours."""

    def __init__(self, ids, levels, region_levels, gray, weight, adjacency):
        count = len(region_levels)
        flat = ids.ravel()
        self.parent = list(range(count))
        self.weight = region_max(weight, ids, count).tolist()
        self.level = region_levels.astype(int).tolist()
        self.area = np.bincount(flat, minlength=count).astype(float).tolist()
        self.gray_sum = np.bincount(flat, weights=gray.ravel(), minlength=count).tolist()
        distance = boundary_distance(levels)
        self.width = (2 * region_max(distance, ids, count)).tolist()
        self.neighbours: list[set[int]] = [set() for _ in range(count)]
        for a, b in adjacency.tolist():
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)

    def find(self, region: int) -> int:
        root = region
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[region] != root:  # path compression
            self.parent[region], region = root, self.parent[region]
        return root

    def absorb(self, keeper: int, other: int) -> None:
        """Merge root ``other`` into root ``keeper`` (which keeps its level)."""
        self.parent[other] = keeper
        self.area[keeper] += self.area[other]
        self.gray_sum[keeper] += self.gray_sum[other]
        # The union is at least as wide as either part; taking the max never over-states it,
        # so a region kept here really is wide enough when measured again.
        self.width[keeper] = max(self.width[keeper], self.width[other])
        # Likewise the most important pixel: a merged region's minimum never rises.
        self.weight[keeper] = max(self.weight[keeper], self.weight[other])
        merged = (self.neighbours[keeper] | self.neighbours[other]) - {keeper, other}
        self.neighbours[keeper] = merged
        self.neighbours[other] = set()
        for neighbour in merged:
            self.neighbours[neighbour].discard(other)
            self.neighbours[neighbour].add(keeper)


@dataclass(frozen=True)
class Minimums:
    """The smallest area and width a region may have, by its importance (0..1), in pixels.

    Each goes linearly from its general value at importance 0 to its focus value at 1; a
    region's importance is that of its most important pixel.
    """

    area_px: tuple[float, float]  # (general, focus)
    width_px: tuple[float, float]  # (general, focus)

    def area(self, weight: float | np.ndarray) -> float | np.ndarray:
        """Minimum area at ``weight``, px."""
        return blend(weight, *self.area_px)

    def width(self, weight: float | np.ndarray) -> float | np.ndarray:
        """Minimum width at ``weight``, px."""
        return blend(weight, *self.width_px)


def region_minimums(
    settings: Settings, scale, label_width_px: float = 0.0, area_margin: float = 1.0
) -> Minimums:
    """Minimum area and width (px) at importance 0 and 1, from the settings.

    ``label_width_px`` is the width a region needs to hold its number inside; when given, no
    region may be narrower, wherever it lies.
    """
    _, outside_area, outside_strip = outside_values(settings)
    focus = settings.focus
    return Minimums(
        area_px=(scale.area_to_px(outside_area) * area_margin,
                 scale.area_to_px(focus.min_region_mm2) * area_margin),
        width_px=(max(scale.to_px(outside_strip), label_width_px),
                  max(scale.to_px(focus.min_strip_mm), label_width_px)),
    )


def merge_small_regions(
    ids: np.ndarray,
    levels: np.ndarray,
    region_levels: np.ndarray,
    gray: np.ndarray,
    weight: np.ndarray,
    level_grays: tuple[float, ...],
    minimums: Minimums,
) -> np.ndarray:
    """Merge every region below its area or width minimum into its closest-toned neighbour.

    Returns
    -------
    roots : (R,) int
        For each original region, the region it now belongs to. After merging no two adjacent
        groups share a level, so the groups are exactly the connected components of the new
        level map, and no labelling pass is needed to find them.
    levels : (R,) uint8
        The final level of each original region.
    """
    graph = _RegionGraph(ids, levels, region_levels, gray, weight, region_adjacency(ids, levels))

    def fails(region: int) -> bool:
        importance = graph.weight[region]
        return (graph.area[region] < minimums.area(importance)
                or graph.width[region] < minimums.width(importance))

    queue = [(graph.area[r], r) for r in range(len(region_levels)) if fails(r)]
    heapq.heapify(queue)
    while queue:
        area, region = heapq.heappop(queue)
        if graph.find(region) != region or area != graph.area[region] or not fails(region):
            continue  # stale entry
        if not graph.neighbours[region]:
            continue  # the only region in the design
        mean = graph.gray_sum[region] / graph.area[region]
        target = min(
            graph.neighbours[region],
            key=lambda n: (abs(level_grays[graph.level[n]] - mean), -graph.area[n]),
        )
        # The region takes the target's level, so its other neighbours of that level
        # now touch the target and become one region with it.
        joined = [n for n in graph.neighbours[region] if graph.level[n] == graph.level[target]]
        graph.absorb(target, region)
        for other in joined:
            if other != target:
                graph.absorb(target, other)
        if fails(target):
            heapq.heappush(queue, (graph.area[target], target))
    roots = np.array([graph.find(r) for r in range(len(region_levels))], dtype=np.int64)
    return roots, np.array(graph.level, dtype=np.uint8)[roots]


def level_medians(
    levels: np.ndarray,
    gray: np.ndarray,
    fallback: tuple[float, ...],
    where: np.ndarray | None = None,
) -> tuple[float, ...]:
    """Median gray (0..1, to 1/255) of each level's pixels; ``fallback`` for an empty level.

    ``where`` (bool) limits the pixels counted: a background left as bare wood is level 0
    whatever its photo gray, so it says nothing about the tone level 0 stands for.
    """
    count = len(fallback)
    keys = levels.astype(np.int64) * 256 + gray_to_bins(gray)
    if where is not None:
        keys = keys[where]
    hist = np.bincount(keys.ravel(), minlength=count * 256).reshape(count, 256)
    cumulative = np.cumsum(hist, axis=1)
    totals = cumulative[:, -1]
    medians = (cumulative >= (totals[:, None] + 1) // 2).argmax(axis=1) / 255
    return tuple(float(m) if t else float(f)
                 for m, t, f in zip(medians, totals, fallback, strict=True))


def make_regions(
    ids: np.ndarray,
    region_levels: np.ndarray,
    tones: ToneMap,
    gray: np.ndarray | None = None,
    subject: np.ndarray | None = None,
) -> Regions:
    """Build :class:`Regions` from region ids (0..R-1, 4-connected) and their levels.

    With ``gray`` (the photo gray the tones came from) each level's tone is the median gray
    of the pixels it holds after cleaning, so a level shows the tone it now stands for (the
    median, not the mean: the blurred rims of a region pull a mean off the tone most of it
    has); a level left empty keeps the tone map's value. Only ``subject`` pixels count
    when it is given.
    """
    area_px = np.bincount(ids.ravel(), minlength=len(region_levels))
    levels = region_levels[ids]
    level_grays = tones.level_grays
    if gray is not None:
        level_grays = level_medians(levels, gray, tones.level_grays, subject)
    return Regions(
        ids=frozen_array(ids),
        region_levels=frozen_array(region_levels),
        region_area_mm2=frozen_array(area_px * tones.scale.mm_per_px**2),
        levels=frozen_array(levels),
        level_grays=level_grays,
        scale=tones.scale,
    )


def clean_regions(
    tones: ToneMap,
    prepared: Prepared,
    importance: Importance,
    settings: Settings,
    label_width_px: float = 0.0,
    area_margin: float = 1.0,
) -> Regions:
    """Merge regions too small or too thin to burn into their closest-toned neighbour.

    Parameters
    ----------
    tones : ToneMap
        Usually the output of :func:`smooth_levels`.
    prepared : Prepared
        Gives each region's mean gray, to choose the neighbour it joins.
    importance : Importance
        A region's minimums go from the general ``clean`` values (importance 0) to the
        ``focus`` values (importance 1) by its most important pixel.
    settings : Settings
        ``clean`` and ``focus`` minimums at print size, and the background choice.
    label_width_px : float
        Width a region needs to hold its number inside (0: numbers may go outside).
    area_margin : float
        Factor on the minimum area. Tracing smooths borders, which can take a little area
        from a region; the pipeline raises this when a traced region comes out short.

    Returns
    -------
    Regions
        No region is smaller or narrower than the minimums where it lies (unless it is the
        only region), and cleaning the result again changes nothing.

    Raises
    ------
    SettingsError
        If the map is noise rather than a design (over 100 000 regions before merging).
    """
    ids, region_levels = label_regions(tones.levels)
    if len(region_levels) > _MAX_REGIONS_TO_MERGE:
        raise SettingsError(
            "error.too_many_regions", count=len(region_levels), limit=MAX_REGIONS
        )
    minimums = region_minimums(settings, tones.scale, label_width_px, area_margin)
    if max(minimums.area_px) <= 1 and max(minimums.width_px) <= 1:
        # Every region is at least one pixel in area and across: none can fail, and building
        # the merge graph for a noise-like map would take seconds.
        return make_regions(ids, region_levels, tones, prepared.gray, importance.subject)
    roots, final_levels = merge_small_regions(
        ids,
        tones.levels,
        region_levels,
        prepared.gray,
        importance.weight,
        tones.level_grays,
        minimums,
    )
    kept, new_ids = np.unique(roots, return_inverse=True)
    return make_regions(new_ids.astype(np.int32)[ids], final_levels[kept], tones, prepared.gray,
                        importance.subject)
