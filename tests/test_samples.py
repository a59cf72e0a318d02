"""The bundled sample photos: present, loadable, named in both languages, documented."""

from __future__ import annotations

import numpy as np
import pytest

from pyropattern.load import load_photo
from pyropattern.samples import DEFAULT_SAMPLE_ID, SAMPLES_DIR, get_sample, list_samples


def test_at_least_six_samples_with_unique_ids():
    samples = list_samples()
    assert len(samples) >= 6
    assert len({sample.id for sample in samples}) == len(samples)
    assert DEFAULT_SAMPLE_ID in {sample.id for sample in samples}


@pytest.mark.parametrize("sample", list_samples(), ids=lambda sample: sample.id)
def test_sample_loads_and_is_named_in_both_languages(sample):
    photo = load_photo(sample.path)
    assert min(photo.rgb.shape[:2]) >= 256
    assert sample.name("en") != sample.name("id")
    assert sample.hint("en").endswith(".") and sample.hint("id").endswith(".")


def test_every_sample_file_is_listed_and_documented():
    sources = (SAMPLES_DIR / "SOURCES.md").read_text(encoding="utf-8")
    photos = {path.name for path in SAMPLES_DIR.iterdir() if path.suffix in (".jpg", ".png")}
    assert photos == {sample.path.name for sample in list_samples()}
    for name in photos:
        assert f"`{name}`" in sources


def test_grayscale_and_low_contrast_samples_are_what_they_say():
    camera = load_photo(get_sample("camera").path).rgb
    assert np.array_equal(camera[..., 0], camera[..., 1])
    coins = load_photo(get_sample("coins").path).rgb[..., 0]
    low, high = np.percentile(coins, [5, 95])
    assert high - low < 60


def test_unknown_sample_lists_the_known_ones():
    with pytest.raises(KeyError, match="no sample 'kat'; the samples are horse, cat"):
        get_sample("kat")
