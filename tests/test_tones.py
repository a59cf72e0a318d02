import numpy as np
import pytest
from engine_helpers import photo_from_gray, prepared_from_gray
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage.filters import threshold_multiotsu

from pyropattern.prepare import prepare_gray
from pyropattern.settings import PrepareSettings, ToneSettings
from pyropattern.tones import otsu_thresholds, quantize_tones


def step_wedge(grays, band=10, height=8):
    """Vertical bands of the given grays, left to right."""
    return np.repeat(np.asarray(grays, dtype=np.float32), band)[None, :].repeat(height, axis=0)


@pytest.mark.parametrize("method", ["otsu", "quantile", "even"])
def test_four_band_step_wedge_gives_four_levels_in_tone_order(method):
    wedge = step_wedge([0.1, 0.4, 0.65, 0.9])
    tones = quantize_tones(prepared_from_gray(wedge), ToneSettings(levels=4, method=method))
    bands = tones.levels[0, ::10]
    # Darkest band burns darkest (level 3 = people's 4), lightest is bare wood (level 0).
    assert bands.tolist() == [3, 2, 1, 0]
    assert all((tones.levels[:, i * 10 : (i + 1) * 10] == bands[i]).all() for i in range(4))
    assert tones.area_share == pytest.approx((0.25, 0.25, 0.25, 0.25))
    assert tones.level_grays == pytest.approx((0.9, 0.65, 0.4, 0.1), abs=1 / 255)


def test_manual_thresholds_are_used_as_given():
    wedge = step_wedge([0.1, 0.3, 0.5, 0.7, 0.9])
    manual = ToneSettings(levels=3, method="manual", thresholds=(0.2, 0.6))
    tones = quantize_tones(prepared_from_gray(wedge), manual)
    assert tones.levels[0, ::10].tolist() == [2, 1, 1, 0, 0]


def test_otsu_matches_scikit_image():
    rng = np.random.default_rng(7)
    hist = np.bincount(
        np.clip(np.concatenate([rng.normal(m, 12, 4000) for m in (40, 110, 170, 220)]), 0, 255)
        .astype(int),
        minlength=256,
    )
    ours = otsu_thresholds(hist, 4)
    theirs = threshold_multiotsu(hist=hist, classes=4)
    # Ours are cut points (class = bins below the cut), scikit-image's are last bins.
    assert np.abs(ours - 1 - theirs).max() <= 1


def test_flat_photo_gives_one_level_and_no_crash():
    tones = quantize_tones(prepared_from_gray(np.full((20, 30), 0.5)), ToneSettings(levels=5))
    assert len(np.unique(tones.levels)) == 1
    assert sum(share > 0 for share in tones.area_share) == 1
    assert len(tones.level_grays) == 5 and all(0 <= g <= 1 for g in tones.level_grays)


@settings(max_examples=40, deadline=None)
@given(
    gray=arrays(np.float32, (12, 16), elements=st.floats(0, 1, width=32)),
    levels=st.integers(2, 10),
    method=st.sampled_from(["otsu", "quantile", "even"]),
)
def test_levels_never_exceed_n_and_follow_brightness(gray, levels, method):
    tones = quantize_tones(prepared_from_gray(gray), ToneSettings(levels=levels, method=method))
    assert tones.levels.max() < levels
    assert len(tones.level_grays) == levels == len(tones.area_share)
    order = np.argsort(gray.ravel(), kind="stable")
    # Sorted from dark to light, levels never go up: a darker gray never gets a lighter level.
    assert np.all(np.diff(tones.levels.ravel()[order].astype(int)) <= 0)


def test_prepare_keeps_aspect_and_sets_the_print_scale():
    photo = photo_from_gray(np.tile(np.arange(0, 200, dtype=np.uint8), (100, 1)))
    prepared = prepare_gray(photo, PrepareSettings(working_px=400, smooth_mm=0), 200.0)
    assert prepared.gray.shape == (200, 400)
    assert prepared.scale.mm_per_px == pytest.approx(0.5)
    assert prepared.scale.height_mm == pytest.approx(100.0)
    assert not prepared.gray.flags.writeable


def test_prepare_rotates_flips_crops_and_inverts():
    gray = np.zeros((40, 80), dtype=np.uint8)
    gray[:, :40] = 255  # left half white
    photo = photo_from_gray(gray)
    turned = prepare_gray(photo, PrepareSettings(working_px=80, rotate_quarters=1, smooth_mm=0), 80)
    assert turned.gray.shape == (80, 40)
    assert turned.gray[:40].mean() > 0.99 and turned.gray[40:].mean() < 0.01  # white on top
    flipped = prepare_gray(photo, PrepareSettings(working_px=80, flip_horizontal=True,
                                                   smooth_mm=0), 80)
    assert flipped.gray[:, :40].mean() < 0.01
    cropped = prepare_gray(photo, PrepareSettings(working_px=64, crop=(0.5, 0, 1, 1),
                                                   invert=True, smooth_mm=0), 64)
    assert cropped.gray.shape == (64, 64) and cropped.gray.mean() > 0.99  # black half, inverted


def test_smoothing_is_given_in_millimetres_at_print_size():
    gray = np.zeros((100, 100), dtype=np.uint8)
    gray[:, 50:] = 255
    photo = photo_from_gray(gray)
    narrow = prepare_gray(photo, PrepareSettings(working_px=100, smooth_mm=2), 100)  # 1 px/mm
    wide = prepare_gray(photo, PrepareSettings(working_px=100, smooth_mm=2), 50)  # 2 px/mm
    # Same 2 mm blur: twice the pixels wide when each pixel is half a millimetre.
    ramp_narrow = ((narrow.gray[50] > 0.05) & (narrow.gray[50] < 0.95)).sum()
    ramp_wide = ((wide.gray[50] > 0.05) & (wide.gray[50] < 0.95)).sum()
    assert ramp_wide == pytest.approx(2 * ramp_narrow, abs=2)
