import numpy as np
import pytest
from engine_helpers import disk, photo_from_gray
from skimage import data

from pyropattern.model import Photo
from pyropattern.pipeline import make_stencil
from pyropattern.settings import LabelSettings, PrepareSettings, Settings


def test_blank_photo_gives_one_region_and_a_warning():
    stencil = make_stencil(photo_from_gray(np.full((300, 400), 200)), Settings())
    assert stencil.regions.count == 1
    assert stencil.outlines.boundaries == ()
    assert [label.number for label in stencil.labels.items] == [1]
    assert [w.key for w in stencil.warnings] == ["warning.few_tones"]
    assert stencil.warnings[0].text("id").startswith("Hanya 1 dari 5 tingkat bakar")
    assert stencil.width_mm == pytest.approx(200) and stencil.height_mm == pytest.approx(150)


def test_simple_photo_gives_the_expected_stencil():
    gray = np.full((400, 400), 230, dtype=np.uint8)
    gray[disk((400, 400), (200, 200), 120)] = 60  # dark disk on light ground
    settings = Settings(prepare=PrepareSettings(working_px=400))
    stencil = make_stencil(photo_from_gray(gray), settings)
    report = stencil.report
    assert sum(report.level_area_share) == pytest.approx(1.0)
    assert report.region_count == stencil.regions.count >= 2
    assert report.smallest_region_mm2 >= settings.clean.min_region_mm2
    assert report.line_length_m > 0.3  # the disk's edge alone is ≈ 0.38 m at 200 mm wide
    assert all(label.inside for label in stencil.labels.items)


def test_real_photo_keeps_the_minimum_on_the_drawn_geometry():
    rgb = data.astronaut()
    photo = Photo(rgb=rgb, format="PNG", original_size=(rgb.shape[1], rgb.shape[0]))
    settings = Settings(prepare=PrepareSettings(working_px=800))
    stencil = make_stencil(photo, settings)
    assert stencil.outlines.region_area_mm2.min() >= settings.clean.min_region_mm2
    assert stencil.report.smallest_region_mm2 >= settings.clean.min_region_mm2
    # Every region numbered, inside or with a leader; nothing silently dropped.
    assert stencil.report.unlabelled_regions + len(stencil.labels.items) == stencil.regions.count
    for warning in stencil.warnings:
        assert warning.text("en") and warning.text("id")


def test_labels_off_reports_no_unlabelled_regions():
    photo = photo_from_gray(np.tile(np.linspace(0, 255, 300).astype(np.uint8), (200, 1)))
    stencil = make_stencil(photo, Settings(labels=LabelSettings(show=False)))
    assert stencil.labels.items == () and stencil.report.unlabelled_regions == 0
