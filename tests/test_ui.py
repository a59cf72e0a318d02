"""The app's pure helpers (ui.py) and presets, tested without Streamlit."""

from __future__ import annotations

import dataclasses
import io
import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pyropattern import ui
from pyropattern.errors import SettingsError
from pyropattern.i18n import table
from pyropattern.presets import DEFAULT_PRESET, PRESETS, apply_preset, preset_name_key
from pyropattern.settings import (
    CleanSettings,
    LabelSettings,
    PrepareSettings,
    PrintSettings,
    Settings,
    ToneSettings,
)

# ----------------------------------------------------------------------------- units and shape


@pytest.mark.parametrize(
    ("mm", "unit", "shown"), [(200, "mm", 200), (200, "cm", 20), (254, "in", 10)]
)
def test_units_convert_both_ways(mm, unit, shown):
    assert ui.to_unit(mm, unit) == pytest.approx(shown)
    assert ui.from_unit(shown, unit) == pytest.approx(mm)


def test_design_aspect_follows_rotation_then_crop():
    photo = (400, 200)
    assert ui.design_aspect(photo, PrepareSettings()) == pytest.approx(2.0)
    cropped = PrepareSettings(crop=(0.0, 0.0, 0.5, 1.0))
    assert ui.design_aspect(photo, cropped) == pytest.approx(1.0)
    assert ui.design_aspect(photo, PrepareSettings(rotate_quarters=1)) == pytest.approx(0.5)
    assert ui.design_aspect(photo, PrepareSettings(rotate_quarters=2)) == pytest.approx(2.0)
    # The crop box is in fractions of the turned photo (200 wide, 400 high).
    turned = PrepareSettings(rotate_quarters=1, crop=(0.0, 0.0, 1.0, 0.25))
    assert ui.design_aspect(photo, turned) == pytest.approx(2.0)


# ------------------------------------------------------------------------- state <-> settings


def test_state_round_trips_every_preset():
    for settings in PRESETS.values():
        assert ui.settings_from_state(ui.state_from_settings(settings)) == settings


def test_state_keys_are_the_settings_flat_names():
    state = ui.state_from_settings(Settings())
    assert state["tones.levels"] == 5
    assert state["print.width_mm"] == 200.0
    assert "prepare.crop" not in state
    assert state[ui.CROP_HORIZONTAL] == (0.0, 100.0)
    assert state[ui.CROP_VERTICAL] == (0.0, 100.0)


def test_crop_percent_becomes_fractions():
    state = ui.state_from_settings(Settings())
    state[ui.CROP_HORIZONTAL] = (10.0, 90.0)
    state[ui.CROP_VERTICAL] = (25.0, 100.0)
    assert ui.settings_from_state(state).prepare.crop == (0.1, 0.25, 0.9, 1.0)


def test_manual_thresholds_come_from_their_own_keys():
    state = ui.state_from_settings(Settings(tones=ToneSettings(levels=3)))
    state["tones.method"] = "manual"
    state[ui.threshold_key(0)] = 0.3
    state[ui.threshold_key(1)] = 0.7
    assert ui.settings_from_state(state).tones.thresholds == (0.3, 0.7)
    state["tones.method"] = "otsu"
    assert ui.settings_from_state(state).tones.thresholds == ()


def test_thresholds_out_of_order_are_refused():
    state = ui.state_from_settings(Settings(tones=ToneSettings(levels=3)))
    state["tones.method"] = "manual"
    state[ui.threshold_key(0)] = 0.7
    state[ui.threshold_key(1)] = 0.3
    with pytest.raises(SettingsError, match="2 increasing values"):
        ui.settings_from_state(state)


def test_widget_float_noise_is_rounded_away():
    state = ui.state_from_settings(Settings())
    state["clean.boundary_smooth_mm"] = 0.1 + 0.2
    assert ui.settings_from_state(state).clean.boundary_smooth_mm == 0.3


def test_even_thresholds():
    assert ui.even_thresholds(4) == (0.25, 0.5, 0.75)
    assert ui.even_thresholds(2) == (0.5,)


# ------------------------------------------------------------------------------------- query


def test_default_settings_give_an_empty_query():
    assert ui.query_from_settings(Settings()) == {}


def test_query_is_readable():
    settings = Settings(
        tones=ToneSettings(levels=6, method="even"),
        prepare=PrepareSettings(crop=(0.1, 0.0, 1.0, 1.0)),
        labels=LabelSettings(show=False),
    )
    assert ui.query_from_settings(settings) == {
        "tones.levels": "6",
        "tones.method": "even",
        "prepare.crop": "[0.1,0.0,1.0,1.0]",
        "labels.show": "false",
    }


settings_strategy = st.builds(
    Settings,
    prepare=st.builds(
        PrepareSettings,
        smooth_mm=st.floats(0, 10).map(lambda v: round(v, 2)),
        rotate_quarters=st.integers(0, 3),
        invert=st.booleans(),
    ),
    tones=st.builds(
        ToneSettings, levels=st.integers(2, 10), method=st.sampled_from(["otsu", "even"])
    ),
    clean=st.builds(CleanSettings, min_region_mm2=st.floats(0, 400).map(lambda v: round(v, 1))),
    print=st.builds(PrintSettings, width_mm=st.floats(20, 3000).map(lambda v: round(v, 1))),
)


@given(settings_strategy)
def test_query_round_trips(settings):
    assert ui.settings_from_query(ui.query_from_settings(settings)) == settings


def test_query_ignores_plain_params_and_refuses_bad_settings():
    assert ui.settings_from_query({"lang": "id", "sample": "cat"}) == Settings()
    with pytest.raises(SettingsError, match=r"tones\.levels must be between 2 and 10"):
        ui.settings_from_query({"tones.levels": "12"})
    with pytest.raises(SettingsError, match=r"Unknown setting tones\.levelz"):
        ui.settings_from_query({"tones.levelz": "5"})
    with pytest.raises(SettingsError, match="wrong type"):
        ui.settings_from_query({"labels.show": "maybe"})


@pytest.mark.parametrize(
    ("query", "browser", "expected"),
    [("id", "en-US", "id"), (None, "id-ID", "id"), (None, "in", "id"), (None, None, "en"),
     ("xx", "fr-FR", "en"), ("en", "id-ID", "en")],
)  # fmt: skip
def test_initial_lang(query, browser, expected):
    assert ui.initial_lang(query, browser) == expected


# ---------------------------------------------------------------------------------- stage keys


def test_stage_keys_change_only_downstream_of_a_setting():
    base = Settings()
    keys = ui.stage_keys("abc", base)
    labels_only = ui.stage_keys(
        "abc", dataclasses.replace(base, labels=LabelSettings(max_height_mm=5.0))
    )
    assert labels_only.outlines == keys.outlines
    assert labels_only.labels != keys.labels
    assert labels_only.stencil != keys.stencil
    levels = ui.stage_keys("abc", dataclasses.replace(base, tones=ToneSettings(levels=7)))
    assert levels.prepare == keys.prepare
    assert levels.tones != keys.tones
    paper = ui.stage_keys("abc", dataclasses.replace(base, print=PrintSettings(paper="F4")))
    assert paper.labels == keys.labels
    assert paper.stencil != keys.stencil
    assert ui.stage_keys("abd", base).prepare != keys.prepare


# ------------------------------------------------------------------------------- small helpers


def test_grid_is_tidy():
    assert ui.grid(0.0, 1.0, 0.25) == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert ui.grid(0.0, 0.3, 0.1) == (0.0, 0.1, 0.2, 0.3)  # not 0.30000000000000004


def test_slider_options_include_an_off_grid_value():
    stops = ui.grid(0.0, 1.0, 0.25)
    assert ui.slider_options(stops, None) == stops
    assert ui.slider_options(stops, 0.5) == stops
    assert 0.3 in ui.slider_options(stops, 0.3)
    assert ui.slider_options((0, 100), 150.0) == (0.0, 100.0, 150.0)


def test_quantities_use_the_language_decimal_mark():
    assert ui.format_quantity(1.5, "mm", "en") == "1.5 mm"
    assert ui.format_quantity(1.5, "mm", "id") == "1,5 mm"
    assert ui.format_quantity(12.5, "%", "id") == "12,5%"
    assert ui.format_quantity(0.25, "", "id", 2) == "0,25"


def test_legend_entries():
    entries = ui.legend_entries([(255, 255, 255), (0, 0, 0)], [0.125, 0.875], "id")
    assert [(e.number, e.color, e.share) for e in entries] == [
        (1, "#ffffff", "12,5%"),
        (2, "#000000", "87,5%"),
    ]
    assert ui.legend_entries([1.0], [1.0], "en")[0].color == "#ffffff"
    with pytest.raises(ValueError, match="one shade per level: got 1 shades for 2 levels"):
        ui.legend_entries([1.0], [0.5, 0.5], "en")


@pytest.mark.parametrize(
    ("source", "stem"),
    [("cat", "pola-cat"), ("IMG 0042.HEIC", "pola-img-0042"), ("Ðž.jpg", "pola"),
     ("kucing_saya.final.png", "pola-kucing-saya-final")],
)  # fmt: skip
def test_file_stem(source, stem):
    assert ui.file_stem(source) == stem


def test_png_bytes_round_trip():
    image = np.zeros((3, 4, 3), dtype=np.uint8)
    image[1, 2] = (10, 20, 30)
    decoded = np.asarray(Image.open(io.BytesIO(ui.png_bytes(image))))
    np.testing.assert_array_equal(decoded, image)


# -------------------------------------------------------------------------------------- presets


def test_every_preset_has_a_name_in_both_languages():
    assert DEFAULT_PRESET in PRESETS
    for name in PRESETS:
        assert set(table()[preset_name_key(name)]) == {"en", "id"}


def test_preset_keeps_framing_and_print():
    current = Settings(
        prepare=PrepareSettings(crop=(0.1, 0.1, 0.9, 0.9), rotate_quarters=1, smooth_mm=3.0),
        print=PrintSettings(width_mm=300.0, paper="F4"),
    )
    applied = apply_preset("beginner", current)
    assert applied.tones.levels == 3
    assert applied.prepare.smooth_mm == PRESETS["beginner"].prepare.smooth_mm
    assert applied.prepare.crop == (0.1, 0.1, 0.9, 0.9)
    assert applied.prepare.rotate_quarters == 1
    assert applied.print == current.print


def test_unknown_preset_is_a_key_error():
    with pytest.raises(KeyError):
        apply_preset("expert", Settings())


def test_png_bytes_shrinks_to_max_width():
    image = np.zeros((300, 400), dtype=np.uint8)
    with Image.open(io.BytesIO(ui.png_bytes(image, max_width=200))) as small:
        assert small.size == (200, 150)
    with Image.open(io.BytesIO(ui.png_bytes(image, max_width=800))) as same:
        assert same.size == (400, 300)


def test_escape_markdown_keeps_a_file_name_as_typed():
    assert ui.escape_markdown("IMG_0042 (1).jpg") == r"IMG\_0042 \(1\)\.jpg"
    assert ui.escape_markdown("$5 *sale* :cat:") == r"\$5 \*sale\* \:cat\:"
    assert ui.escape_markdown("kucing saya") == "kucing saya"


@given(settings_strategy)
def test_state_round_trips(settings):
    assert ui.settings_from_state(ui.state_from_settings(settings)) == settings


@given(
    st.lists(st.floats(0.01, 0.99), min_size=1, max_size=9).map(sorted),
    st.data(),
)
def test_push_apart_keeps_thresholds_increasing(values, data):
    moved = data.draw(st.integers(0, len(values) - 1))
    values[moved] = data.draw(st.floats(0.0, 1.0))
    pushed = ui.push_apart(values, moved)
    assert all(b - a >= 0.01 - 1e-9 for a, b in itertools.pairwise(pushed))
    assert 0.01 - 1e-9 <= pushed[0] and pushed[-1] <= 0.99 + 1e-9
    low, high = 0.01 + moved * 0.01, 0.99 - (len(values) - 1 - moved) * 0.01
    assert pushed[moved] == pytest.approx(min(max(values[moved], low), high), abs=1e-4)


def test_push_apart_moves_only_what_it_ran_into():
    assert ui.push_apart([0.2, 0.5, 0.8], 0) == (0.2, 0.5, 0.8)
    assert ui.push_apart([0.6, 0.5, 0.8], 0) == (0.6, 0.61, 0.8)
    assert ui.push_apart([0.2, 0.5, 0.1], 2) == (0.08, 0.09, 0.1)


def test_slider_options_span_the_schema_range():
    assert ui.slider_options((0.5, 1.0, 5.0), None, (1.0, 10.0)) == (1.0, 5.0, 10.0)
