"""PNG exports: DPI in the file, exact grays in the tone map."""

import io

import numpy as np
import pytest
from _export_fixtures import make_test_stencil
from PIL import Image

from pyropattern.export.png import stencil_png, tones_png
from pyropattern.render import level_grays, render_stencil


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.fixture(scope="module")
def stencil():
    return make_test_stencil(200.0, 150.0)


@pytest.mark.parametrize("dpi", [72, 300])
def test_stencil_png_carries_its_dpi(stencil, dpi):
    image = _open(stencil_png(stencil, dpi=dpi))
    assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    assert image.size == (round(200 / 25.4 * dpi), round(150 / 25.4 * dpi))
    assert image.mode == "L"


def test_stencil_png_defaults_follow_settings():
    toner = make_test_stencil(100.0, 80.0, transfer="toner", dpi=100)
    pixels = np.asarray(_open(stencil_png(toner)))
    np.testing.assert_array_equal(pixels, render_stencil(toner, 100, mirror=True))


def test_tones_png_has_one_gray_per_level(stencil):
    image = _open(tones_png(stencil))
    pixels = np.asarray(image)
    assert image.mode == "L"
    assert pixels.shape == stencil.regions.levels.shape
    grays = level_grays(5)
    assert set(np.unique(pixels)) == {grays[0], grays[2], grays[4]}
    np.testing.assert_array_equal(pixels, np.array(grays, dtype=np.uint8)[stencil.regions.levels])
    # The working raster is 80 px across 200 mm: 10,16 dpi.
    assert image.info["dpi"][0] == pytest.approx(80 / (200 / 25.4), abs=0.01)


def test_tones_png_at_dpi_keeps_exact_grays(stencil):
    image = _open(tones_png(stencil, dpi=254))
    assert image.size == (2000, 1500)
    assert set(np.unique(np.asarray(image))) <= set(level_grays(5))
    assert image.info["dpi"] == pytest.approx((254, 254), abs=0.01)


def test_tones_png_mirror(stencil):
    plain = np.asarray(_open(tones_png(stencil)))
    mirrored = np.asarray(_open(tones_png(stencil, mirror=True)))
    np.testing.assert_array_equal(mirrored, plain[:, ::-1])
