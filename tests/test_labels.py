import numpy as np
import pytest
from engine_helpers import tone_map

from pyropattern.labels import measure_room, place_labels
from pyropattern.regions import label_regions, make_regions
from pyropattern.settings import LabelSettings, TraceSettings
from pyropattern.trace import trace_outlines

LINE_MM = 0.3


def stencil_parts(levels, mm_per_px=0.25):
    levels = np.asarray(levels, dtype=np.uint8)
    ids, region_levels = label_regions(levels)
    regions = make_regions(ids, region_levels, tone_map(levels, mm_per_px))
    outlines = trace_outlines(regions, TraceSettings())
    return regions, outlines


def distance_to_lines(x, y, outlines):
    """Shortest distance (mm) from a point to any drawn border or frame segment."""
    best = np.inf
    for boundary in outlines.boundaries + outlines.frame:
        a, b = boundary.points[:-1], boundary.points[1:]
        ab = b - a
        t = np.clip(((np.array([x, y]) - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-12),
                    0, 1)
        nearest = a + t[:, None] * ab
        best = min(best, np.hypot(nearest[:, 0] - x, nearest[:, 1] - y).min())
    return best


def test_big_region_gets_a_large_number_at_its_centre():
    levels = np.zeros((400, 400), dtype=np.uint8)
    levels[100:300, 100:300] = 2  # a 50 × 50 mm square inside a light field
    regions, outlines = stencil_parts(levels)
    labels = place_labels(regions, outlines, measure_room(regions), LabelSettings(), LINE_MM)
    square = next(label for label in labels.items if label.number == 3)
    assert square.inside
    assert square.height_mm == 6.0  # clamped to the maximum
    assert (square.x_mm, square.y_mm) == pytest.approx((50, 50), abs=0.5)
    assert labels.suggested_min_region_mm2 is None


def test_tiny_region_gets_its_number_outside_with_a_leader():
    levels = np.zeros((200, 200), dtype=np.uint8)
    levels[98:110, 98:110] = 1  # 3 × 3 mm: too small for a 2 mm number plus margins
    regions, outlines = stencil_parts(levels)
    labels = place_labels(regions, outlines, measure_room(regions), LabelSettings(), LINE_MM)
    small = next(label for label in labels.items if label.number == 2)
    assert not small.inside
    assert small.height_mm == 2.0
    # The leader starts inside the small region and the number sits clear of every line.
    assert 24.5 <= small.anchor_x_mm <= 27.5 and 24.5 <= small.anchor_y_mm <= 27.5
    assert distance_to_lines(small.x_mm, small.y_mm, outlines) >= 0.61 * 2.0 + LINE_MM / 2
    drawn = outlines.region_area_mm2[small.region]
    assert labels.suggested_min_region_mm2 == np.floor(drawn) + 1  # just above the misfit
    assert labels.outside_count == 1


def test_numbers_never_cross_a_line():
    rng = np.random.default_rng(11)
    levels = np.kron(rng.integers(0, 4, (6, 6)), np.ones((40, 40), dtype=np.int64))
    regions, outlines = stencil_parts(levels)
    labels = place_labels(regions, outlines, measure_room(regions), LabelSettings(), LINE_MM)
    assert len(labels.items) == regions.count
    for label in labels.items:
        half_diagonal = 0.5 * label.height_mm * np.hypot(1, 0.7 * len(str(label.number)))
        assert distance_to_lines(label.x_mm, label.y_mm, outlines) >= (
            half_diagonal + LINE_MM / 2
        )
        assert label.number == regions.region_levels[label.region] + 1


def test_numbers_can_be_switched_off():
    regions, outlines = stencil_parts(np.zeros((50, 50)))
    room = measure_room(regions)
    labels = place_labels(regions, outlines, room, LabelSettings(show=False), LINE_MM)
    assert labels.items == () and labels.suggested_min_region_mm2 is None
