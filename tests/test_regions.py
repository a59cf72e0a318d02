import numpy as np
import pytest
from engine_helpers import flat_importance, prepared_from_gray, tone_map
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pyropattern.regions import (
    clean_regions,
    label_regions,
    remove_thin_parts,
    remove_transition_bands,
    smooth_levels,
    transition_pixels,
)
from pyropattern.settings import CleanSettings, Settings


def clean(levels, min_area=0.0, min_strip=0.0, grays=None):
    """Clean a level map at 1 px = 1 mm; the photo gray is each level's gray unless given."""
    tones = tone_map(levels, count=int(np.max(levels)) + 1)
    gray = np.asarray(tones.level_grays)[levels] if grays is None else grays
    settings = Settings(clean=CleanSettings(min_region_mm2=min_area, min_strip_mm=min_strip))
    return clean_regions(tones, prepared_from_gray(gray), flat_importance(levels.shape), settings)


def test_one_pixel_speck_disappears():
    levels = np.zeros((8, 8), dtype=np.uint8)
    levels[3, 4] = 2
    regions = clean(levels, min_area=2)
    assert regions.count == 1
    assert (regions.levels == 0).all()
    assert regions.region_area_mm2.tolist() == [64.0]


def test_small_region_joins_the_neighbour_closest_in_tone():
    levels = np.zeros((10, 20), dtype=np.uint8)
    levels[:, 10:] = 2
    levels[4:6, 9:11] = 1  # a 2 × 2 region straddling the border
    tones = tone_map(levels)  # level grays 0.9, 0.5, 0.1
    gray = np.asarray(tones.level_grays, dtype=np.float32)[levels]
    gray[4:6, 9:11] = 0.2  # the photo is darker there: closer to level 2's 0.1 than 0's 0.9
    regions = clean(levels, min_area=5, grays=gray)
    assert regions.count == 2
    assert (regions.levels[4:6, 9:11] == 2).all()


def test_thin_strip_is_merged_even_when_large():
    levels = np.zeros((20, 40), dtype=np.uint8)
    levels[10, 2:38] = 1  # 36 mm² but only 1 mm wide
    assert clean(levels, min_area=9).count == 2
    assert clean(levels, min_area=9, min_strip=2).count == 1


def test_regions_are_four_connected():
    levels = np.array([[1, 0], [0, 1]], dtype=np.uint8)
    _ids, region_levels = label_regions(levels)
    assert len(region_levels) == 4  # diagonal neighbours are separate regions
    assert sorted(region_levels.tolist()) == [0, 0, 1, 1]


def test_majority_filter_removes_specks_and_keeps_large_areas():
    levels = np.zeros((40, 40), dtype=np.uint8)
    levels[:, 20:] = 1
    levels[10, 5] = 1  # speck
    tones = tone_map(levels)
    smoothed = smooth_levels(tones, CleanSettings(boundary_smooth_mm=1.5))
    assert smoothed.levels[10, 5] == 0
    assert (smoothed.levels[:, :18] == 0).all() and (smoothed.levels[:, 22:] == 1).all()
    assert sum(smoothed.area_share) == pytest.approx(1.0)


block_maps = arrays(np.uint8, (6, 6), elements=st.integers(0, 3)).map(
    lambda small: np.kron(small, np.ones((3, 3), dtype=np.uint8))  # 18 × 18, blocks of 9 px
)


@settings(max_examples=40, deadline=None)
@given(levels=block_maps, min_area=st.sampled_from([0, 10, 30, 80]), strip=st.sampled_from([0, 4]))
def test_cleaning_guarantees_the_minimum_and_is_idempotent(levels, min_area, strip):
    once = clean(levels, min_area=min_area, min_strip=strip)
    if once.count > 1:
        assert once.region_area_mm2.min() >= min_area
    twice = clean_regions(
        tone_map(once.levels, count=int(levels.max()) + 1),
        prepared_from_gray(np.asarray(tone_map(levels).level_grays)[once.levels]),
        flat_importance(levels.shape),
        Settings(clean=CleanSettings(min_region_mm2=min_area, min_strip_mm=strip)),
    )
    assert np.array_equal(twice.levels, once.levels)
    # The same regions (ids are names, and may be numbered differently): the id pairs
    # over all pixels form a one-to-one map.
    pairs = np.unique(np.stack([once.ids.ravel(), twice.ids.ravel()]), axis=1)
    assert pairs.shape[1] == once.count == twice.count
    # Regions are exactly the connected same-level areas, numbered 0..R-1.
    _ids, region_levels = label_regions(once.levels)
    assert len(region_levels) == once.count
    assert np.array_equal(once.region_levels[once.ids], once.levels)


def test_transition_band_goes_but_a_dark_line_of_the_same_width_stays():
    levels = np.zeros((40, 60), dtype=np.uint8)
    levels[:, 30:] = 4
    levels[:, 28:31] = 2  # 3 px band of an in-between level along the 0 | 4 edge
    levels[5:35, 10:13] = 4  # 3 px dark line on the light side: a real feature
    between = transition_pixels(levels, radius_px=3)
    assert between[:, 28:31].all() and not between[5:35, 10:13].any()
    out = remove_thin_parts(levels, radius_px=3, only=between)
    assert not (out == 2).any()  # the band joined its two sides: one edge, one line
    assert (out[:, 28] == 0).all() and (out[:, 30] == 4).all()
    assert (out[5:35, 10:13] == 4).all()


def test_thin_tail_goes_to_its_wide_neighbour_and_wide_parts_stay():
    levels = np.zeros((40, 80), dtype=np.uint8)
    levels[5:35, 5:35] = 1  # a wide square ...
    levels[19:21, 35:75] = 1  # ... with a 2 px tail
    out = remove_thin_parts(levels, radius_px=2)
    assert (out[19:21, 45:75] == 0).all()  # the tail away from the square is gone
    assert (out[8:32, 8:32] == 1).all()  # the square is untouched


def test_wide_bands_are_removed_on_the_half_size_grid_too():
    levels = np.zeros((80, 120), dtype=np.uint8)
    levels[:, 60:] = 4
    levels[:, 55:65] = 2  # a 10 px in-between band; radius 8 takes the half-size path
    levels[10:70, 15:25] = 4  # a 10 px dark line on the light side stays
    out = remove_transition_bands(levels, radius_px=8)
    # The half-size grid may leave a one-pixel sliver of the band (here column 55) ...
    assert (out == 2).sum(axis=1).max() <= 1
    # ... which the strip pass that follows in smooth_levels removes.
    out = remove_thin_parts(out, radius_px=2)
    assert not (out == 2).any()
    assert (out[:, 30:54] == 0).all() and (out[:, 66:] == 4).all()
    assert (out[12:68, 15:25] == 4).all()  # the line stays (its square corners get rounded)
    # The band splits between its two sides, near its middle.
    edge = np.argmax(out[72:] == 4, axis=1)  # first dark column, on rows clear of the line
    assert (np.abs(edge - 60) <= 2).all()
