import itertools
import math

import cv2
import numpy as np
import pytest
from engine_helpers import disk, tone_map
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pyropattern.regions import label_regions, make_regions
from pyropattern.settings import TraceSettings
from pyropattern.trace import crack_chains, round_corners, trace_outlines, walk_chains

SHARP = TraceSettings(smooth_mm=0.0, tolerance_mm=0.01)


def regions_of(levels, mm_per_px=1.0):
    levels = np.asarray(levels, dtype=np.uint8)
    ids, region_levels = label_regions(levels)
    return make_regions(ids, region_levels, tone_map(levels, mm_per_px))


def trace(levels, trace_settings=None, mm_per_px=1.0):
    regions = regions_of(levels, mm_per_px)
    return regions, trace_outlines(regions, trace_settings or TraceSettings())


def test_disk_traces_to_one_closed_outline_with_its_area():
    radius = 40.0
    levels = disk((120, 120), (60, 60), radius).astype(np.uint8)
    _, outlines = trace(levels, TraceSettings(smooth_mm=1.0, tolerance_mm=0.1))
    assert len(outlines.boundaries) == 1
    (circle,) = outlines.boundaries
    assert circle.closed
    x, y = circle.points[:, 0], circle.points[:, 1]
    area = 0.5 * abs(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))
    assert area == pytest.approx(math.pi * radius**2, rel=0.02)
    # The outline is a smooth curve, not pixel stairs: every point near the true circle.
    distance = np.hypot(x - 60, y - 60)
    assert np.abs(distance - radius).max() < 1.0


def test_unsmoothed_areas_equal_pixel_counts_exactly():
    rng = np.random.default_rng(3)
    levels = np.kron(rng.integers(0, 3, (5, 7)), np.ones((4, 4), dtype=np.int64))
    regions, outlines = trace(levels, SHARP)
    pixel_areas = np.bincount(regions.ids.ravel())
    assert np.allclose(outlines.region_area_mm2, pixel_areas)


small_maps = arrays(np.int64, st.tuples(st.integers(1, 9), st.integers(1, 9)),
                    elements=st.integers(0, 3))


def crack_segments(levels):
    """Unit crack segments of every traced chain, as sorted corner pairs."""
    segments = []
    for points, _, _ in crack_chains(np.asarray(levels)):
        for a, b in itertools.pairwise(points):
            segments.append(tuple(sorted([tuple(a), tuple(b)])))
    return segments


@settings(max_examples=60, deadline=None)
@given(small_maps)
def test_every_border_is_traced_exactly_once(ids):
    segments = crack_segments(ids)
    assert len(segments) == len(set(segments)), "a crack was traced twice"
    padded = np.pad(ids, 1, constant_values=-1)
    expected = int((padded[1:, 1:-1] != padded[:-1, 1:-1]).sum()
                   + (padded[1:-1, 1:] != padded[1:-1, :-1]).sum())
    assert len(segments) == expected, "a crack was missed"


@settings(max_examples=60, deadline=None)
@given(small_maps)
def test_left_and_right_regions_are_right(ids):
    padded = np.pad(ids, 1, constant_values=-1)
    for points, left, right in crack_chains(ids):
        (x0, y0), (x1, y1) = points[0], points[1]
        # Pixel just left / right of the first step's midpoint, with y pointing down.
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        dx, dy = x1 - x0, y1 - y0
        lx, ly = mx + dy * 0.5, my - dx * 0.5
        rx, ry = mx - dy * 0.5, my + dx * 0.5
        assert padded[math.floor(ly) + 1, math.floor(lx) + 1] == left
        assert padded[math.floor(ry) + 1, math.floor(rx) + 1] == right


def test_walk_chains_splits_at_junctions_and_closes_loops():
    # A square loop 0-1-2-3 with a tail 3-4-5, and a separate triangle 10-11-12.
    u = np.array([0, 1, 2, 3, 3, 4, 10, 11, 12])
    v = np.array([1, 2, 3, 0, 4, 5, 11, 12, 10])
    nodes, chains = walk_chains(u, v)
    walked = sorted(tuple(nodes[c].tolist()) for c in chains)
    assert walked == [(3, 0, 1, 2, 3), (3, 4, 5), (10, 12, 11, 10)]


@settings(max_examples=30, deadline=None)
@given(
    levels=arrays(np.uint8, (5, 6), elements=st.integers(0, 2)).map(
        lambda small: np.kron(small, np.ones((6, 6), dtype=np.uint8))
    ),
    width=st.sampled_from([30.0, 123.4]),
)
def test_round_trip_trace_rasterize_compare(levels, width):
    regions, outlines = trace(levels, TraceSettings(), mm_per_px=width / levels.shape[1])
    scale = regions.scale
    # Every point inside the design.
    for boundary in outlines.boundaries + outlines.frame:
        assert (boundary.points >= -1e-9).all()
        assert (boundary.points[:, 0] <= scale.width_mm + 1e-9).all()
        assert (boundary.points[:, 1] <= scale.height_mm + 1e-9).all()
    # Drawn areas add up to the design and stay close to each region's pixel area.
    assert outlines.region_area_mm2.sum() == pytest.approx(scale.width_mm * scale.height_mm,
                                                           rel=0.01)
    pixel_area = regions.region_area_mm2
    assert np.abs(outlines.region_area_mm2 - pixel_area).max() <= 0.15 * pixel_area.max()
    # Rasterize the drawn lines back at 4× and check each region's pixels stay on its side:
    # borders drawn where the region map changes, nowhere else.
    factor = 4
    canvas = np.zeros((levels.shape[0] * factor, levels.shape[1] * factor), np.uint8)
    for boundary in outlines.boundaries:
        points = np.round(boundary.points / scale.mm_per_px * factor * 16).astype(np.int32)
        cv2.polylines(canvas, [points], False, 255, 1, cv2.LINE_8, shift=4)
    drawn = canvas > 0
    border = np.zeros_like(levels, dtype=bool)
    border[:, 1:] |= levels[:, 1:] != levels[:, :-1]
    border[:, :-1] |= levels[:, 1:] != levels[:, :-1]
    border[1:, :] |= levels[1:, :] != levels[:-1, :]
    border[:-1, :] |= levels[1:, :] != levels[:-1, :]
    near_border = cv2.dilate(border.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    near_big = np.kron(near_border, np.ones((factor, factor), dtype=bool))
    assert not (drawn & ~near_big).any(), "a line was drawn away from every border"
    if border.any():
        assert drawn.any()


def test_blank_map_has_no_borders_only_the_frame():
    _regions, outlines = trace(np.zeros((10, 20)))
    assert outlines.boundaries == ()
    assert len(outlines.frame) == 1 and outlines.frame[0].closed
    assert outlines.region_area_mm2.tolist() == pytest.approx([200.0])
    assert outlines.line_length_mm == 0.0


def test_round_corners_keeps_junctions_and_stays_close():
    zigzag = np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [8.0, 4.0]])
    rounded = round_corners(zigzag)
    assert np.array_equal(rounded[0], zigzag[0]) and np.array_equal(rounded[-1], zigzag[-1])
    assert len(rounded) > len(zigzag)
    # Every new point lies within a quarter segment (1 mm) of the original corners' path.
    assert np.abs(rounded[:, 1] - np.clip(rounded[:, 1], 0, 4)).max() == 0
    square = np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0], [0.0, 0.0]])
    loop = round_corners(square)
    assert np.array_equal(loop[0], loop[-1])
    x, y = loop[:, 0], loop[:, 1]
    area = 0.5 * abs(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))
    assert 12.0 < area < 16.0  # corners cut, sides kept
