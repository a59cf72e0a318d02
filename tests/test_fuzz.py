"""Fuzzing with hypothesis: mutated photo bytes into the loader, random settings into the schema.

Only the project's own errors may escape, within bounded time (hypothesis' deadline) and
memory (every accepted decode fits the loader's budget); whatever the schema accepts makes a
stencil.
"""

from __future__ import annotations

import io
import json
from functools import cache

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from pyropattern import ui
from pyropattern.errors import ImageLoadError, SettingsError
from pyropattern.load import MAX_DECODED_BYTES, load_photo
from pyropattern.model import Photo
from pyropattern.pipeline import make_stencil
from pyropattern.samples import get_sample, list_samples
from pyropattern.settings import (
    Settings,
    setting_rules,
    settings_from_dict,
    settings_from_flat,
    settings_from_json,
)

FORMATS = ("JPEG", "PNG", "WEBP", "TIFF", "GIF", "BMP")


@cache
def seed_files() -> tuple[bytes, ...]:
    """Each bundled sample, shrunk to 96 px and saved in each format: real photo bytes."""
    files = []
    for index, sample in enumerate(list_samples()):
        image = Image.open(get_sample(sample.id).path).convert("RGB")
        image.thumbnail((96, 96))
        buffer = io.BytesIO()
        image.save(buffer, FORMATS[index % len(FORMATS)])
        files.append(buffer.getvalue())
    return tuple(files)


@st.composite
def mutated_photos(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(seed_files())))
    for _ in range(draw(st.integers(1, 12))):
        position = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(("set", "insert", "delete", "max")))
        if kind == "set":
            data[position] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete" and len(data) > 1:
            del data[position : position + draw(st.integers(1, 32))]
        else:  # a size field pushed to its largest value, as a decompression bomb would
            data[position : position + 2] = b"\xff\xff"
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_photos())
def test_mutated_photo_bytes_load_or_give_the_projects_error(data):
    try:
        photo = load_photo(data, target_long_side=1600)
    except ImageLoadError as error:
        assert error.text("id") and error.text("en")
        return
    assert isinstance(photo, Photo)
    assert photo.rgb.dtype == np.uint8 and photo.rgb.ndim == 3
    width, height = photo.original_size
    assert width * height * 4 <= MAX_DECODED_BYTES or photo.format == "JPEG"


# --- settings --------------------------------------------------------------------------------

RULES = setting_rules()
KNOWN_KEYS = tuple(RULES)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=6)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
keys = st.sampled_from(KNOWN_KEYS) | st.text(max_size=20)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=4))
def test_random_flat_settings_are_settings_or_one_clear_error(flat):
    try:
        result = settings_from_flat(flat)
    except SettingsError as error:
        assert "\n" not in error.text("en") and len(error.text("en")) < 300
        return
    assert isinstance(result, Settings)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_random_documents_are_settings_or_one_clear_error(document):
    as_text = json.dumps(document)
    for attempt in (lambda: settings_from_dict(document), lambda: settings_from_json(as_text)):
        try:
            assert isinstance(attempt(), Settings)
        except SettingsError as error:
            assert "\n" not in error.text("id")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, st.text(max_size=60), max_size=6))
def test_random_links_are_settings_or_one_clear_error(query):
    try:
        assert isinstance(ui.settings_from_query(query), Settings)
    except SettingsError as error:
        assert "\n" not in error.text("en")


def _value_for(rule):
    if isinstance(rule.kind, tuple):
        return st.sampled_from(rule.kind)
    if rule.kind is bool:
        return st.booleans()
    if rule.kind is int:
        return st.integers(int(rule.low), int(rule.high))
    if rule.kind is float:
        return st.floats(rule.low, rule.high)
    items = st.floats(rule.low, rule.high)
    return st.lists(items, min_size=rule.length or 0, max_size=rule.length or 9)


# Every setting drawn from its own rule in the schema; the working size kept small so each
# example runs in a fraction of a second (its range is tested by the schema tests).
valid_flat = st.fixed_dictionaries(
    {key: _value_for(rule) for key, rule in RULES.items() if key != "prepare.working_px"}
)


@cache
def small_photo() -> Photo:
    yy, xx = np.mgrid[0:120, 0:160]
    gray = (np.sin(xx / 9.0) * np.cos(yy / 13.0) * 110 + 128).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(gray).save(buffer, "PNG")
    return load_photo(buffer.getvalue())


def _meet_cross_field_rules(flat: dict) -> dict:
    """Order what must be ordered; manual thresholds evenly spaced (their own rule is tested
    in test_settings)."""
    left, top, right, bottom = flat["prepare.crop"]
    low, high = sorted((flat["labels.min_height_mm"], flat["labels.max_height_mm"]))
    manual = flat["tones.method"] == "manual"
    thresholds = ui.even_thresholds(flat["tones.levels"]) if manual else ()
    area = flat.get("focus.area", [])
    if len(area) >= 4:  # a box: left < right, top < bottom
        area = [*sorted((area[0], area[2])), *sorted((area[1], area[3]))]
        area = [area[0], area[2], area[1], area[3]]
    return {
        **flat,
        "focus.area": [] if len(area) < 4 else area,
        "prepare.crop": [*sorted((left, right)), *sorted((top, bottom))],
        "labels.min_height_mm": low,
        "labels.max_height_mm": high,
        "tones.thresholds": list(thresholds),
    }


@settings(max_examples=20, deadline=None)
@given(valid_flat.map(_meet_cross_field_rules), st.integers(64, 240))
def test_whatever_validation_accepts_makes_a_stencil(flat, working_px):
    try:
        accepted = settings_from_flat({**flat, "prepare.working_px": working_px})
    except SettingsError:
        assume(False)  # a crop box under 2 % of the photo
    stencil = make_stencil(small_photo(), accepted)
    assert stencil.regions.count >= 1
    assert stencil.tones.count == accepted.tones.levels
