import numpy as np
import pytest
from engine_helpers import disk, photo_from_gray
from skimage import data

from pyropattern.errors import SettingsError
from pyropattern.model import Photo
from pyropattern.pipeline import make_stencil
from pyropattern.settings import LabelSettings, PrepareSettings, Settings, settings_from_flat


def test_blank_photo_gives_one_region_and_a_warning():
    stencil = make_stencil(photo_from_gray(np.full((300, 400), 200)), Settings())
    assert stencil.regions.count == 1
    assert stencil.outlines.boundaries == ()
    assert [label.number for label in stencil.labels.items] == [1]
    assert [w.key for w in stencil.warnings] == ["warning.few_tones"]
    assert stencil.warnings[0].text("id").startswith("Hanya 1 dari 5 tingkat bakar")
    assert stencil.width_mm == pytest.approx(200) and stencil.height_mm == pytest.approx(150)


def test_hard_edged_disk_is_one_line_not_a_band_of_rings():
    gray = np.full((400, 400), 230, dtype=np.uint8)
    gray[disk((400, 400), (200, 200), 120)] = 60  # dark disk on light ground
    settings = Settings()
    stencil = make_stencil(photo_from_gray(gray), settings)
    report = stencil.report
    # The blur before quantizing makes a ramp across the edge; its in-between levels must
    # not come out as thin rings (three near-parallel lines a woodburner cannot use).
    assert report.region_count == stencil.regions.count == 2
    assert report.level_region_count == (1, 0, 0, 0, 1)
    assert len(stencil.outlines.boundaries) == 1
    assert report.line_length_m == pytest.approx(2 * np.pi * 60 / 1000, rel=0.02)  # r = 60 mm
    assert sum(report.level_area_share) == pytest.approx(1.0)
    assert [(label.number, label.inside) for label in stencil.labels.items] == [
        (1, True), (5, True)]


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


NO_CLEANING = {"clean.min_region_mm2": 0.0, "clean.min_strip_mm": 0.0,
               "clean.boundary_smooth_mm": 0.0, "prepare.smooth_mm": 0.0,
               "focus.automatic": False, "labels.fit_inside": False,
               "lines.enabled": False}  # fmt: skip


@pytest.mark.parametrize("working_px", [400, 1600])
def test_noise_with_no_cleaning_is_refused_quickly_not_hung(working_px):
    # 400 px: ≈6·10⁴ regions, under the merge bound but over what can be burned;
    # 1600 px: ≈10⁶ regions, refused before merging. Both used to take minutes.
    rng = np.random.default_rng(0)
    photo = photo_from_gray(rng.integers(0, 256, (300, 400)).astype(np.uint8))
    settings = settings_from_flat({**NO_CLEANING, "prepare.working_px": working_px})
    with pytest.raises(SettingsError, match=r"too many to burn \(at most 5,000\)") as caught:
        make_stencil(photo, settings)
    assert caught.value.text("id").startswith("Foto dan pengaturan ini menghasilkan")
