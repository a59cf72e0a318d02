"""Preview rasters and the drawing conventions shared by every output."""

import numpy as np
import pytest
from _export_fixtures import make_test_stencil
from hypothesis import given, settings
from hypothesis import strategies as st

from pyropattern.errors import PyropatternError
from pyropattern.render import (
    PINE_RGB,
    design_shape_px,
    effective_mirror,
    label_box,
    leader_line,
    level_grays,
    level_shades,
    mm_to_px,
    render_stencil,
    render_tone_map,
    stroke_styles,
)
from pyropattern.settings import PrintSettings


@pytest.fixture(scope="module")
def stencil():
    return make_test_stencil(200.0, 150.0)


@pytest.mark.parametrize("n", range(1, 11))
def test_level_shades_start_at_pine_and_darken(n):
    shades = level_shades(n)
    assert len(shades) == n
    assert shades[0] == PINE_RGB
    lightness = [sum(rgb) for rgb in shades]
    assert lightness == sorted(lightness, reverse=True)
    assert len(set(shades)) == n


def test_level_shades_are_the_same_list_everywhere():
    assert level_shades(5) == level_shades(5)
    assert level_shades(5)[-1] == level_shades(10)[-1]


def test_level_shades_rejects_zero():
    with pytest.raises(ValueError, match="at least 1"):
        level_shades(0)


def test_level_grays_exact():
    assert level_grays(5) == [255, 191, 128, 64, 0]
    assert level_grays(2) == [255, 0]


@given(mm=st.floats(20, 3000), dpi=st.floats(72, 1200))
@settings(max_examples=50, deadline=None)
def test_mm_to_px_is_linear(mm, dpi):
    assert mm_to_px(mm, dpi) == pytest.approx(mm / 25.4 * dpi)
    assert mm_to_px(2 * mm, dpi) == pytest.approx(2 * mm_to_px(mm, dpi))


def test_render_stencil_size_and_lines(stencil):
    image = render_stencil(stencil, 127)  # 5 px per mm
    assert image.shape == design_shape_px(stencil, 127) == (750, 1000)
    assert image.dtype == np.uint8
    # White paper away from lines, a dark line on the vertical border at x = 100 mm.
    assert image[100, 250] == 255
    assert image[300, 500] < 128
    # The frame's outer side is the design edge: the first column is ink.
    assert image[400, 0] < 128


def test_render_stencil_mirror_is_exact_flip(stencil):
    normal = render_stencil(stencil, 100)
    mirrored = render_stencil(stencil, 100, mirror=True)
    np.testing.assert_array_equal(mirrored, normal[:, ::-1])


def test_render_stencil_numbers_optional(stencil):
    with_numbers = render_stencil(stencil, 100)
    without = render_stencil(stencil, 100, numbers=False)
    assert (without < 128).sum() < (with_numbers < 128).sum()
    # The number "1" of the left region sits at (50, 75) mm.
    x, y = round(mm_to_px(50, 100)), round(mm_to_px(75, 100))
    assert (with_numbers[y - 10 : y + 10, x - 10 : x + 10] < 128).any()
    assert (without[y - 10 : y + 10, x - 10 : x + 10] == 255).all()


def test_leader_line_starts_outside_the_number(stencil):
    outside = next(label for label in stencil.labels.items if not label.inside)
    start, end = leader_line(outside)
    left, baseline, width, _ = label_box(outside)
    assert end == (outside.anchor_x_mm, outside.anchor_y_mm)
    inside_box = left <= start[0] <= left + width and baseline - outside.height_mm <= start[1]
    assert not (inside_box and start[1] <= baseline)


def test_label_box_centres_the_digits(stencil):
    label = stencil.labels.items[0]
    left, baseline, width, size = label_box(label)
    assert left + width / 2 == pytest.approx(label.x_mm)
    assert baseline - label.height_mm / 2 == pytest.approx(label.y_mm)
    assert size > label.height_mm  # em size exceeds the digit height


def test_tone_map_uses_only_level_shades(stencil):
    rgb = render_tone_map(stencil, 50)
    colours = {tuple(c) for c in rgb.reshape(-1, 3)}
    shades = level_shades(5)
    assert colours == {shades[0], shades[2], shades[4]}


def test_tone_map_with_lines_darkens(stencil):
    plain = render_tone_map(stencil, 50)
    lined = render_tone_map(stencil, 50, lines=True)
    assert (lined <= plain).all() and (lined < plain).any()


def test_stroke_styles_per_transfer():
    graphite = stroke_styles(PrintSettings(transfer="graphite", line_weight_mm=0.3))
    toner = stroke_styles(PrintSettings(transfer="toner", line_weight_mm=0.3))
    lightbox = stroke_styles(PrintSettings(transfer="lightbox", line_weight_mm=0.3))
    assert graphite.boundary.gray > 0 and toner.boundary.gray == 0
    assert lightbox.boundary.width_mm == pytest.approx(0.6)
    for styles in (graphite, toner, lightbox):
        # A stroke to burn is solid black and wider than any border, bold wider still.
        assert styles.burn_fine.dash_mm is None and styles.burn_fine.gray == 0
        assert styles.boundary.width_mm < styles.burn_fine.width_mm < styles.burn_bold.width_mm
    assert (
        stroke_styles(PrintSettings(transfer="lightbox", line_weight_mm=1.5)).boundary.width_mm == 2
    )


def test_toner_is_always_mirrored():
    assert effective_mirror(PrintSettings(transfer="toner"))
    assert effective_mirror(PrintSettings(mirror=True))
    assert not effective_mirror(PrintSettings())


def test_oversized_raster_is_refused_before_allocating():
    huge = make_test_stencil(3000.0, 3000.0)
    with pytest.raises(PyropatternError, match="lower dpi or a smaller design"):
        render_stencil(huge, 1200)
