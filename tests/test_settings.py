import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pyropattern.errors import SettingsError
from pyropattern.settings import (
    BACKGROUNDS,
    CleanSettings,
    FocusSettings,
    LabelSettings,
    LineSettings,
    PrepareSettings,
    PrintSettings,
    Settings,
    ToneSettings,
    flat_settings,
    settings_from_dict,
    settings_from_flat,
    settings_from_json,
    settings_to_json,
)


def test_defaults_are_valid_and_documented():
    settings = Settings()
    assert settings.tones.levels == 5
    assert settings.clean.min_region_mm2 == 9.0
    assert settings.labels.min_height_mm == 2.0 and settings.labels.max_height_mm == 6.0


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: ToneSettings(levels=12), r"tones.levels must be between 2 and 10, got 12"),
        (lambda: ToneSettings(levels=1), r"tones.levels must be between 2 and 10, got 1"),
        (lambda: ToneSettings(method="magic"), r"tones.method must be one of otsu, quantile"),
        (lambda: ToneSettings(levels=3, method="manual", thresholds=(0.6, 0.3)),
         r"Manual thresholds need 2 increasing values"),
        (lambda: CleanSettings(min_region_mm2=-1), r"clean.min_region_mm2 must be between 0"),
        (lambda: PrepareSettings(crop=(0.5, 0, 0.4, 1)), r"The crop must be four fractions"),
        (lambda: PrepareSettings(working_px=True), r"prepare.working_px must be between"),
        (lambda: LabelSettings(min_height_mm=5, max_height_mm=3), r"largest number height"),
        (lambda: PrintSettings(paper="A5"), r"print.paper must be one of A4, F4"),
        (lambda: PrintSettings(width_mm=float("nan")), r"print.width_mm must be between 20"),
    ],
)
def test_out_of_range_settings_state_the_whole_rule(build, pattern):
    with pytest.raises(SettingsError, match=pattern) as caught:
        build()
    assert caught.value.text("id") != str(caught.value)  # translated, not a copy


def test_error_translates_with_decimal_comma():
    with pytest.raises(SettingsError) as caught:
        PrintSettings(width_mm=1.5)
    assert caught.value.text("id") == "print.width_mm harus antara 20 dan 3.000, bukan 1,5."


settings_strategy = st.builds(
    Settings,
    prepare=st.builds(
        PrepareSettings,
        rotate_quarters=st.integers(0, 3),
        flip_horizontal=st.booleans(),
        contrast=st.floats(0.25, 4.0),
        smooth_mm=st.floats(0.0, 10.0),
    ),
    tones=st.builds(ToneSettings, levels=st.integers(2, 10),
                    method=st.sampled_from(["otsu", "quantile", "even"])),
    clean=st.builds(CleanSettings, min_region_mm2=st.floats(0, 400), min_strip_mm=st.floats(0, 20)),
    print=st.builds(PrintSettings, width_mm=st.floats(20, 3000), mirror=st.booleans(),
                    paper=st.sampled_from(["A4", "F4", "Letter"])),
    lines=st.builds(LineSettings, enabled=st.booleans(), min_contrast=st.floats(0.05, 1)),
    focus=st.builds(
        FocusSettings,
        automatic=st.booleans(),
        area=st.one_of(
            st.just(()),
            st.tuples(st.floats(0, 0.4), st.floats(0, 0.4), st.floats(0.5, 1), st.floats(0.5, 1)),
        ),
        background=st.sampled_from(BACKGROUNDS),
    ),
)


@given(settings_strategy)
def test_settings_survive_a_json_round_trip(settings):
    assert settings_from_json(settings_to_json(settings)) == settings


@given(settings_strategy)
def test_settings_survive_a_flat_round_trip(settings):
    assert settings_from_flat(flat_settings(settings)) == settings


def test_manual_thresholds_round_trip():
    settings = Settings(tones=ToneSettings(levels=3, method="manual", thresholds=(0.3, 0.7)))
    assert settings_from_json(settings_to_json(settings)) == settings


def test_partial_settings_keep_the_base():
    base = Settings(tones=ToneSettings(levels=7))
    out = settings_from_dict({"clean": {"min_region_mm2": 20}}, base)
    assert out.tones.levels == 7 and out.clean.min_region_mm2 == 20.0


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("{not json", r"settings file could not be read"),
        ("[1, 2]", r"settings file could not be read"),
        ('{"tones": {"levels": "five"}}', r"tones.levels has a value of the wrong type"),
        ('{"tones": {"levels": 2.5}}', r"tones.levels has a value of the wrong type"),
        ('{"tones": {"colour": 1}}', r"Unknown setting tones.colour"),
        ('{"wood": {}}', r"Unknown setting wood"),
        ('{"tones": {"levels": 40}}', r"tones.levels must be between 2 and 10, got 40"),
        ('{"labels": {"show": "yes"}}', r"labels.show has a value of the wrong type"),
    ],
)
def test_bad_settings_files_are_refused_clearly(text, pattern):
    with pytest.raises(SettingsError, match=pattern):
        settings_from_json(text)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().tones.levels = 3  # type: ignore[misc]
