"""Stage 5: regions → lines in millimetres, each border between two regions traced once.

Borders are followed along pixel *cracks* (the edges between pixels) rather than around each
region, so the border between two regions is one chain of crack corners shared by both: no
double lines by construction, like potrace's path decomposition. Chains run from junction to
junction (corners where three or more regions meet); junctions stay fixed while each chain is
smoothed and simplified, so neighbouring chains still meet exactly.
"""

from __future__ import annotations

import cv2
import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from .model import Boundary, Outlines, PrintScale, Regions, frozen_array
from .settings import TraceSettings


def walk_chains(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Split an undirected graph into maximal chains through nodes of degree 2.

    Parameters
    ----------
    u, v : (E,) int arrays
        Edge end points (any integer node ids; each edge once, no self-loops).

    Returns
    -------
    nodes : (K,) int array
        The distinct node ids; chains index into it.
    chains : list of (L,) int arrays
        Node sequences (indices into ``nodes``). A chain starts and ends at nodes whose degree
        is not 2; a loop of degree-2 nodes comes once, its first node repeated at the end.
        Every edge is walked exactly once.

    Notes
    -----
    Vectorised so no Python loop runs per node: every edge end at a junction (degree ≠ 2)
    gets a private copy of that node, which leaves a disjoint union of simple paths and
    cycles; one edge of each cycle is cut; a virtual root joined to one end of every path
    makes a single depth-first search (SciPy, in C) list every chain in order. About 10×
    faster than walking node by node in Python (≈90 ms → ≈9 ms at 1600 px).
    """
    nodes, inverse = np.unique(np.concatenate([u, v]), return_inverse=True)
    count, edges = len(nodes), len(u)
    a, b = inverse[:edges], inverse[edges:]
    junction = np.bincount(inverse, minlength=count) != 2
    # Copy ids: count + e for the u end of edge e, count + edges + e for its v end.
    a_split = np.where(junction[a], count + np.arange(edges), a)
    b_split = np.where(junction[b], count + edges + np.arange(edges), b)
    total = count + 2 * edges
    original = np.concatenate([np.arange(count), a, b])  # node each split id stands for
    split = sparse.coo_matrix((np.ones(edges), (a_split, b_split)), shape=(total, total))
    parts, component = csgraph.connected_components(split, directed=False)
    degree = np.bincount(np.concatenate([a_split, b_split]), minlength=total)
    # Start each path at its smallest end (degree 1); a cycle at its smallest node, cutting
    # the edge from that node that appears first.
    used = degree > 0
    ends = np.flatnonzero(used & (degree == 1))
    start = np.full(parts, total, dtype=np.int64)
    np.minimum.at(start, component[ends], ends)
    is_cycle = start == total
    cycle_nodes = np.flatnonzero(used & is_cycle[component])
    np.minimum.at(start, component[cycle_nodes], cycle_nodes)
    cut = np.zeros(edges, dtype=bool)
    if is_cycle.any():
        touches = np.flatnonzero(
            is_cycle[component[a_split]]
            & ((a_split == start[component[a_split]]) | (b_split == start[component[a_split]]))
        )
        first_cut = np.full(parts, edges, dtype=np.int64)
        np.minimum.at(first_cut, component[a_split[touches]], touches)
        cut[first_cut[is_cycle & (first_cut < edges)]] = True
    keep = ~cut
    starts = start[np.unique(component[np.flatnonzero(used)])]
    root = total
    rows = np.concatenate([a_split[keep], np.full(len(starts), root)])
    cols = np.concatenate([b_split[keep], starts])
    forest = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(total + 1, total + 1)
    )
    order = csgraph.depth_first_order(forest, root, directed=False, return_predecessors=False)
    order = order[1:]  # drop the root
    # Each chain begins where the order returns to the root's child.
    breaks = np.flatnonzero(np.isin(order, starts))
    chains = []
    for begin, finish in zip(breaks, [*breaks[1:], len(order)], strict=True):
        chain = original[order[begin:finish]]
        if is_cycle[component[order[begin]]]:
            chain = np.append(chain, chain[0])
        chains.append(chain)
    return nodes, chains


def crack_chains(
    ids: np.ndarray, borders_from: np.ndarray | None = None
) -> list[tuple[np.ndarray, int, int]]:
    """Trace every border of a region map once, along pixel cracks.

    Parameters
    ----------
    ids : (M, N) int array
        Region id per pixel.
    borders_from : (M, N) uint8 array, optional
        A map that changes exactly where ``ids`` does, such as the level map of cleaned
        regions (touching regions always differ in level); comparing 8-bit values instead of
        the int32 ids saves a quarter of the stage. Values must stay below 255.

    Returns
    -------
    list of (points, left, right)
        ``points`` (K, 2) float64 corner coordinates (x = col, y = row, pixel units, from the
        top-left corner of the image); ``left``/``right`` the region ids on either side when
        walking the points in order (y down), -1 outside the image.
    """
    rows, cols = ids.shape
    if borders_from is None:
        padded = np.pad(ids.astype(np.int32, copy=False), 1, constant_values=-1)
    else:
        padded = np.pad(borders_from, 1, constant_values=255)
    width = cols + 1  # corner (i, j) has id i * width + j
    # Horizontal cracks (i, j)-(i, j+1) between pixels above and below.
    horizontal = padded[: rows + 1, 1 : cols + 1] != padded[1 : rows + 2, 1 : cols + 1]
    hi, hj = np.nonzero(horizontal)
    # Vertical cracks (i, j)-(i+1, j) between pixels left and right.
    vertical = padded[1 : rows + 1, : cols + 1] != padded[1 : rows + 1, 1 : cols + 2]
    vi, vj = np.nonzero(vertical)
    hi, hj, vi, vj = (a.astype(np.int64) for a in (hi, hj, vi, vj))  # ids beyond 2**31
    u = np.concatenate([hi * width + hj, vi * width + vj])
    v = np.concatenate([hi * width + hj + 1, (vi + 1) * width + vj])
    if len(u) == 0:
        return []
    nodes, chains = walk_chains(u, v)

    def region_at(row: int, col: int) -> int:  # padded coordinates; -1 outside the image
        return int(ids[row - 1, col - 1]) if 0 < row <= rows and 0 < col <= cols else -1

    result = []
    for chain in chains:
        corner = nodes[chain]
        i, j = corner // width, corner % width
        (i0, j0), (i1, j1) = (int(i[0]), int(j[0])), (int(i[1]), int(j[1]))
        # Which pixels lie left and right of the first step, with y pointing down.
        if i1 == i0:  # horizontal step
            above, below = region_at(i0, max(j0, j1)), region_at(i0 + 1, max(j0, j1))
            left, right = (above, below) if j1 > j0 else (below, above)
        else:  # vertical step
            west, east = region_at(max(i0, i1), j0), region_at(max(i0, i1), j0 + 1)
            left, right = (east, west) if i1 > i0 else (west, east)
        result.append((np.stack([j, i], axis=1).astype(np.float64), left, right))
    return result


def smooth_polyline(points: np.ndarray, half_window: int) -> np.ndarray:
    """Moving-average a polyline; open ends stay fixed, closed loops wrap around.

    The window shrinks near the ends of an open line so its end points (junctions shared
    with other lines) never move.
    """
    count = len(points)
    if half_window < 1 or count < 3:
        return points
    closed = np.array_equal(points[0], points[-1])
    if closed:
        ring = points[:-1]
        h = min(half_window, (len(ring) - 1) // 2)
        padded = np.concatenate([ring[-h:], ring, ring[:h]]) if h else ring
        cumulative = np.concatenate([[[0.0, 0.0]], np.cumsum(padded, axis=0)])
        window = 2 * h + 1
        out = (cumulative[window:] - cumulative[:-window]) / window
        return np.concatenate([out, out[:1]])
    index = np.arange(count)
    h = np.minimum(np.minimum(index, count - 1 - index), half_window)
    cumulative = np.concatenate([[[0.0, 0.0]], np.cumsum(points, axis=0)])
    return (cumulative[index + h + 1] - cumulative[index - h]) / (2 * h + 1)[:, None]


def simplify_polyline(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Drop points while staying within ``tolerance`` (Douglas-Peucker); ends are kept."""
    if len(points) < 3:
        return points
    closed = np.array_equal(points[0], points[-1])
    body = points[:-1] if closed else points
    kept = cv2.approxPolyDP(body.astype(np.float32).reshape(-1, 1, 2), tolerance, closed)
    out = kept.reshape(-1, 2).astype(np.float64)
    if closed:
        return np.concatenate([out, out[:1]])
    # approxPolyDP keeps the end points exactly but in float32: restore them bit for bit.
    out[0], out[-1] = points[0], points[-1]
    return out


def round_corners(points: np.ndarray, iterations: int = 2) -> np.ndarray:
    """Cut every corner of a polyline (Chaikin), so a simplified line reads as a curve.

    Each pass replaces a segment by the points at 1/4 and 3/4 of it; an open line keeps its
    end points (junctions shared with other lines), a closed one stays closed. After two
    passes a corner becomes a smooth arc; the line stays within a quarter of a segment of
    the original.
    """
    closed = len(points) > 2 and np.array_equal(points[0], points[-1])
    for _ in range(iterations):
        if len(points) < 3:
            return points
        start, end = points[:-1], points[1:]
        cuts = np.empty((2 * len(start), 2))
        cuts[0::2] = 0.75 * start + 0.25 * end
        cuts[1::2] = 0.25 * start + 0.75 * end
        if closed:
            points = np.concatenate([cuts, cuts[:1]])
        else:
            points = np.concatenate([points[:1], cuts[1:-1], points[-1:]])
    return points


def _half_window(scale: PrintScale, settings: TraceSettings) -> int:
    """Half the moving-average window in points (crack corners are one pixel apart).

    At least 2 when smoothing is on: a shorter window leaves the pixel stairs visible on a
    coarse working raster, whatever the millimetres say.
    """
    if settings.smooth_mm <= 0:
        return 0
    return max(2, round(scale.to_px(settings.smooth_mm) / 2))


def shoelace_by_region(boundaries: list[Boundary], count: int) -> np.ndarray:
    """Area of each region enclosed by its borders, (count,) in the points' units squared.

    The shoelace sum is additive over edges, and each region's borders (walked with the
    region on the left) form closed rings, so summing every border's signed term into its
    left region and out of its right one gives each region's net area, holes included,
    without assembling rings.
    """
    areas = np.zeros(count)
    for boundary in boundaries:
        x, y = boundary.points[:, 0], boundary.points[:, 1]
        # With y pointing down, a ring with its region on the left has a negative sum.
        term = -0.5 * float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))
        if boundary.left >= 0:
            areas[boundary.left] += term
        if boundary.right >= 0:
            areas[boundary.right] -= term
    return areas


def trace_outlines(regions: Regions, settings: TraceSettings) -> Outlines:
    """Trace each border between regions once, as smooth polylines in millimetres.

    Parameters
    ----------
    regions : Regions
        Cleaned regions.
    settings : TraceSettings
        Smoothing window and simplification tolerance in mm.

    Returns
    -------
    Outlines
        Borders (points (x, y) mm from the design's top-left corner), design-edge pieces,
        and each region's area as drawn (polygon area, mm²).
    """
    scale: PrintScale = regions.scale
    half_window = _half_window(scale, settings)
    tolerance_px = scale.to_px(settings.tolerance_mm)
    borders, frame = [], []
    for points, left, right in crack_chains(regions.ids, borders_from=regions.levels):
        if left < 0:  # keep the region on the left of every design-edge piece
            points, left, right = points[::-1], right, left
        if right >= 0:  # the design edge stays a straight-sided rectangle
            points = smooth_polyline(points, half_window)
            points = simplify_polyline(points, tolerance_px)
            if settings.smooth_mm > 0:
                points = round_corners(points)
        else:
            points = simplify_polyline(points, tolerance_px)
        boundary = Boundary(frozen_array(scale.to_mm(points)), left, right)
        (frame if right < 0 else borders).append(boundary)
    areas = shoelace_by_region(borders + frame, regions.count)
    return Outlines(
        boundaries=tuple(borders),
        frame=tuple(frame),
        region_area_mm2=frozen_array(areas),
        width_mm=scale.width_mm,
        height_mm=scale.height_mm,
    )
