"""pyropattern in the browser: photo in, burn-by-number stencil out, in English or Indonesian.

Run with ``make run`` (``streamlit run app.py``). The page is thin on purpose: sidebar
functions *return* settings, each pipeline stage is one cached wrapper keyed on the photo
digest and that stage's settings (``pyropattern.ui.stage_keys``), and the views only show
what the cached stages made. All state lives in ``st.session_state`` under the settings'
flat names ("tones.levels"); all words come from ``locales/app.toml``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from functools import cache, partial
from typing import Any

import numpy as np
import streamlit as st
from streamlit_image_coordinates import streamlit_image_coordinates

from pyropattern import pipeline, ui
from pyropattern.errors import PyropatternError
from pyropattern.export import (
    plan_tiles,
    printed_tiles,
    stencil_pdf,
    stencil_png,
    stencil_svg,
    tones_png,
)
from pyropattern.i18n import Message, format_number, tr
from pyropattern.labels import LabelRoom
from pyropattern.load import MAX_BYTES, UPLOAD_EXTENSIONS, describe_limits, load_photo
from pyropattern.model import (
    BurnLines,
    Importance,
    Labels,
    Outlines,
    Photo,
    Prepared,
    Regions,
    Stencil,
    ToneMap,
)
from pyropattern.prepare import orient_and_crop
from pyropattern.presets import PRESETS, apply_preset, preset_name_key
from pyropattern.render import (
    design_shape_px,
    render_burn_preview,
    render_stencil,
    render_tone_map,
    stencil_shades,
)
from pyropattern.samples import DEFAULT_SAMPLE_ID, get_sample, list_samples
from pyropattern.settings import (
    BACKGROUNDS,
    MAX_LEVELS,
    MIN_LEVELS,
    PAPERS,
    TONE_METHODS,
    Settings,
    settings_from_json,
    settings_to_json,
)

LOG = logging.getLogger("pyropattern.app")

# Width of the on-screen previews, px: about the stencil column on a 1920 px projector; 1400
# px cost ≈15 ms more per changed view (render + PNG) for no visible gain.
PREVIEW_PX = 1200
# Width of the photo the focus area is dragged on (the sidebar is about 300 px wide).
FOCUS_PX = 480
# Slider stops: fine where small changes matter, coarse beyond (a slider with hundreds of
# stops costs every rerun ≈40 ms of option formatting, measured with cProfile).
MM_STOPS = (*ui.grid(0.0, 2.0, 0.1), 2.5, 3.0, 3.5, 4.0, 5.0)
AREA_STOPS = (*range(11), 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200)
HEIGHT_STOPS = (*ui.grid(1.0, 8.0, 0.5), 9.0, 10.0, 12.0, 15.0, 20.0)
CONTRAST_STOPS = (*ui.grid(0.25, 2.0, 0.05), 2.5, 3.0, 3.5, 4.0)
# The keys that hold the app's own state (not settings).
LANG, PRESET, UNIT, SAMPLE = "ui.lang", "ui.preset", "ui.unit", "photo.sample"
WIDTH_SHOWN, HEIGHT_SHOWN, SETTINGS_FILE = "ui.width_shown", "ui.height_shown", "ui.settings_file"
UPLOAD_ROUND = "ui.upload_round"  # bumped to empty the photo uploader when a sample is picked
PHOTO_CHOICE = "photo.choice"  # "sample" or "upload": which of the two the user picked last
SEEN_UPLOAD = "photo.seen_upload"  # file id of the newest upload, to notice a new one
GOOD_PHOTO, GOOD_SETTINGS, GOOD_STENCIL = "good.photo", "good.settings", "good.stencil"
VIEW = "ui.view"  # the open tab
PENDING = "ui.pending_messages"  # errors raised in callbacks, shown on the next run
DOWNLOADS = "downloads"  # {file kind: bytes} last built, so tests and users get the same bytes
BUILDERS = "download.builders"  # {file kind: builder} of the stencil on screen
ASPECT = "ui.aspect"  # width / height of the design, for the height box's callback
FOCUS_PICKER = "ui.focus_picker"  # the box last dragged on the photo (image component)
# The last photo that loaded: (source, file bytes, digest, (width, height) upright, px).
GoodPhoto = tuple[str, bytes, str, tuple[int, int]]


# ---------------------------------------------------------------------------------------------
# Cached stages. Arguments starting with "_" are not hashed: the key strings stand for them.
# Upstream results are passed as thunks so a cache hit downstream never touches upstream.
#
# The stages use st.cache_resource, not st.cache_data: their results are frozen dataclasses
# whose arrays are all read-only, so handing every session the same object is safe, while
# cache_data pickles each result on store and unpickles a copy on every hit (the prepared
# image alone is 20 MB at 1600 × 1600 px). Measured with AppTest on the portrait sample,
# median of 9 changes: levels 0.61 → 0.49 s, labels 0.17 → 0.14 s. The small results (PNG
# previews, sheet count) stay in st.cache_data.


@st.cache_resource(max_entries=4, show_spinner=False)
def photo_stage(digest: str, working_px: int, _data: bytes) -> Photo:
    """Decode the photo, reduced towards the working size (JPEGs decode straight at it)."""
    return load_photo(_data, target_long_side=working_px)


@st.cache_resource(max_entries=8, show_spinner=False)
def prepare_stage(key: str, _photo: Callable[[], Photo], _settings: Settings) -> Prepared:
    """Gray image at working size (crop, rotate, adjust, smooth)."""
    return pipeline.prepare_gray(_photo(), _settings.prepare, _settings.print.width_mm)


@st.cache_resource(max_entries=8, show_spinner=False)
def importance_stage(
    key: str, _photo: Callable[[], Photo], _prepared: Callable[[], Prepared], _settings: Settings
) -> Importance:
    """Where the pattern may be finer (focus) and what is bare background."""
    return pipeline.importance_map(_photo(), _prepared(), _settings)


@st.cache_resource(max_entries=8, show_spinner=False)
def lines_stage(
    key: str,
    _prepared: Callable[[], Prepared],
    _importance: Callable[[], Importance],
    _settings: Settings,
) -> BurnLines:
    """Thin dark features as burn lines."""
    return pipeline.extract_lines(_prepared(), _importance(), _settings)


@st.cache_resource(max_entries=8, show_spinner=False)
def source_stage(
    key: str,
    _prepared: Callable[[], Prepared],
    _importance: Callable[[], Importance],
    _lines: Callable[[], BurnLines],
    _settings: Settings,
) -> Prepared:
    """The gray the tones are taken from: lines filled in, smoothed by importance."""
    return pipeline.tone_source(_prepared(), _importance(), _lines(), _settings)


@st.cache_resource(max_entries=8, show_spinner=False)
def tones_stage(key: str, _prepared: Callable[[], Prepared], _settings: Settings) -> ToneMap:
    """Burn level per pixel."""
    return pipeline.quantize_tones(_prepared(), _settings.tones)


@st.cache_resource(max_entries=8, show_spinner=False)
def smooth_stage(
    key: str,
    _tones: Callable[[], ToneMap],
    _importance: Callable[[], Importance],
    _settings: Settings,
) -> ToneMap:
    """Borders rounded by the majority filter (bare background cleared first)."""
    return pipeline.smooth_levels(_tones(), _settings.clean, _importance())


@st.cache_resource(max_entries=8, show_spinner=False)
def outlines_stage(
    key: str,
    _smoothed: Callable[[], ToneMap],
    _prepared: Callable[[], Prepared],
    _importance: Callable[[], Importance],
    _settings: Settings,
) -> tuple[Regions, Outlines]:
    """Burnable regions and their traced borders, the minimum area checked as drawn.

    Cleaning and tracing share one cache entry because the area check may clean again
    (``pipeline.clean_and_trace``); the key folds in both the clean and trace settings.
    """
    return pipeline.clean_and_trace(_smoothed(), _prepared(), _importance(), _settings)


@st.cache_resource(max_entries=8, show_spinner=False)
def room_stage(key: str, _shapes: Callable[[], tuple[Regions, Outlines]]) -> LabelRoom:
    """Free space for numbers; depends on the regions only, so number sizes reuse it."""
    return pipeline.measure_room(_shapes()[0])


@st.cache_resource(max_entries=8, show_spinner=False)
def labels_stage(
    key: str,
    _shapes: Callable[[], tuple[Regions, Outlines]],
    _room: Callable[[], LabelRoom],
    _settings: Settings,
) -> Labels:
    """Level numbers placed in (or beside) their regions."""
    regions, outlines = _shapes()
    return pipeline.place_labels(
        regions, outlines, _room(), _settings.labels, _settings.print.line_weight_mm
    )


def preview_dpi(stencil: Stencil) -> float:
    """Resolution that makes the on-screen previews :data:`PREVIEW_PX` wide."""
    return PREVIEW_PX * 25.4 / stencil.width_mm


@st.cache_data(max_entries=8, show_spinner=False)
def stencil_view(key: str, _stencil: Stencil) -> bytes:
    """The stencil (lines and numbers) as a PNG for the screen."""
    return ui.png_bytes(render_stencil(_stencil, preview_dpi(_stencil)))


@st.cache_data(max_entries=8, show_spinner=False)
def tones_view(key: str, _stencil: Stencil) -> bytes:
    """Each level in its burn shade, lines and numbers on top, as a PNG for the screen."""
    return ui.png_bytes(render_tone_map(_stencil, preview_dpi(_stencil), lines=True))


@st.cache_data(max_entries=8, show_spinner=False)
def burn_view(key: str, _stencil: Stencil) -> bytes:
    """The levels as sepia burns on plain wood, as a PNG for the screen."""
    return ui.png_bytes(render_burn_preview(_stencil, preview_dpi(_stencil)))


@st.cache_data(max_entries=4, show_spinner=False)
def photo_view(
    digest: str, framing: str, _photo: Callable[[], Photo], _settings: Settings
) -> bytes:
    """The photo turned, flipped and cropped as the stencil is, as a PNG for the screen."""
    framed = orient_and_crop(_photo().rgb, _settings.prepare)
    return ui.png_bytes(framed, max_width=PREVIEW_PX // 2)


def build_stencil(digest: str, data: bytes, settings: Settings) -> tuple[Stencil, ui.StageKeys]:
    """Run the cached stages for a photo and settings; only changed stages recompute.

    Each stage is fetched at most once per run (``functools.cache`` on the thunks), so a
    stage needed by two others is looked up once.
    """
    keys = ui.stage_keys(digest, settings)
    working_px = settings.prepare.working_px

    @cache
    def photo() -> Photo:
        return photo_stage(digest, working_px, data)

    @cache
    def prepared() -> Prepared:
        return prepare_stage(keys.prepare, photo, settings)

    @cache
    def importance() -> Importance:
        return importance_stage(keys.importance, photo, prepared, settings)

    @cache
    def lines() -> BurnLines:
        return lines_stage(keys.lines, prepared, importance, settings)

    @cache
    def source() -> Prepared:
        return source_stage(keys.lines, prepared, importance, lines, settings)

    @cache
    def tones() -> ToneMap:
        return tones_stage(keys.tones, source, settings)

    @cache
    def smoothed() -> ToneMap:
        return smooth_stage(keys.clean, tones, importance, settings)

    @cache
    def shapes() -> tuple[Regions, Outlines]:
        return outlines_stage(keys.outlines, smoothed, source, importance, settings)

    @cache
    def room() -> LabelRoom:
        return room_stage(keys.outlines, shapes)

    labels = labels_stage(keys.labels, shapes, room, settings)
    regions, outlines = shapes()
    stencil = pipeline.assemble_stencil(
        settings, photo(), source(), tones(), regions, outlines, lines(), importance(), labels
    )
    return stencil, keys


# ---------------------------------------------------------------------------------------------
# Session start and callbacks


def lang() -> str:
    """The interface language of this session."""
    return st.session_state.get(LANG, "en")


def say(key: str, **params: Any) -> str:
    """Translate an app string into the session's language."""
    return tr(key, lang(), **params)


def start_session() -> None:
    """First run of a session: language, settings and sample from the URL, else defaults."""
    if GOOD_SETTINGS in st.session_state:
        return
    params = st.query_params.to_dict()
    st.session_state[LANG] = ui.initial_lang(params.get("lang"), st.context.locale)
    st.session_state[PENDING] = []
    st.session_state[DOWNLOADS] = {}
    st.session_state[UPLOAD_ROUND] = 0
    st.session_state[PHOTO_CHOICE] = "sample"
    st.session_state[UNIT] = "mm"
    samples = {sample.id: sample for sample in list_samples()}
    wanted = params.get("sample")
    st.session_state[SAMPLE] = wanted if wanted in samples else DEFAULT_SAMPLE_ID
    # A link without settings opens its sample with the preset that suits it.
    st.session_state[PRESET] = samples[st.session_state[SAMPLE]].preset
    try:
        settings = ui.settings_from_query(params)
        if settings == Settings():
            settings = apply_preset(st.session_state[PRESET], settings)
    except PyropatternError as err:
        st.session_state[PENDING].append(err.message)
        settings = Settings()
    st.session_state.update(ui.state_from_settings(settings))
    st.session_state[GOOD_SETTINGS] = settings


def current_settings() -> Settings:
    """The settings the widgets show, or the last valid ones when they do not validate."""
    try:
        return ui.settings_from_state(st.session_state, st.session_state[GOOD_SETTINGS])
    except PyropatternError:
        return st.session_state[GOOD_SETTINGS]


def show_settings(settings: Settings) -> None:
    """Put ``settings`` into the widgets (only from callbacks: before widgets are drawn)."""
    st.session_state.update(ui.state_from_settings(settings))


def on_preset() -> None:
    show_settings(apply_preset(st.session_state[PRESET], current_settings()))


def on_settings_file() -> None:
    upload = st.session_state.get(SETTINGS_FILE)
    if upload is None:
        return
    try:
        show_settings(settings_from_json(upload.getvalue(), current_settings()))
    except PyropatternError as err:
        st.session_state[PENDING].append(err.message)


def on_levels() -> None:
    # Manual thresholds must number levels - 1; restart them evenly spaced.
    for index, value in enumerate(ui.even_thresholds(st.session_state["tones.levels"])):
        st.session_state[ui.threshold_key(index)] = value


def on_method() -> None:
    # Fine-tuning starts from the thresholds the automatic method found for this photo.
    if st.session_state["tones.method"] != "manual" or GOOD_STENCIL not in st.session_state:
        return
    stencil: Stencil = st.session_state[GOOD_STENCIL][0]
    if stencil.tones.count == st.session_state["tones.levels"]:
        for index, value in enumerate(stencil.tones.thresholds):
            st.session_state[ui.threshold_key(index)] = round(float(value), 3)


def on_threshold(moved: int) -> None:
    # Thresholds must stay increasing: one dragged past another pushes it along.
    keys = [ui.threshold_key(index) for index in range(st.session_state["tones.levels"] - 1)]
    pushed = ui.push_apart([st.session_state[key] for key in keys], moved)
    st.session_state.update(zip(keys, pushed, strict=True))


def on_width() -> None:
    unit = st.session_state[UNIT]
    st.session_state["print.width_mm"] = round(ui.from_unit(st.session_state[WIDTH_SHOWN], unit), 2)


def on_height() -> None:
    unit = st.session_state[UNIT]
    height_mm = ui.from_unit(st.session_state[HEIGHT_SHOWN], unit)
    width_mm = height_mm * st.session_state.get(ASPECT, 1.0)
    st.session_state["print.width_mm"] = round(min(max(width_mm, 20.0), 3000.0), 2)


TAB_KEYS = ("app.tab.stencil", "app.tab.tones", "app.tab.burn", "app.tab.compare", "app.tab.report")
# Every widget whose shown text depends on the language: selects, sliders and tabs travel to
# and from the browser as their *shown* text.
RESTATED_KEYS = (
    SAMPLE,
    PRESET,
    UNIT,
    *ui.state_from_settings(Settings()),
    *(ui.threshold_key(index) for index in range(MAX_LEVELS - 1)),
)


def on_lang() -> None:
    # After a language switch the browser still sends the old language's text ("0.6 mm"),
    # which the new options ("0,6 mm") no longer match, and Streamlit would fall back to a
    # default. Writing each value back makes the stored value win for this run; the open tab
    # is carried over by its translated name.
    new = st.session_state[LANG]
    old = "en" if new == "id" else "id"
    for key in RESTATED_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    for tab in TAB_KEYS:
        if st.session_state.get(VIEW) == tr(tab, old):
            st.session_state[VIEW] = tr(tab, new)


def on_sample() -> None:
    # Picking a sample empties the uploader, so the sample is what the stencil shows; the
    # sample's own preset comes with it, and an area marked on the last photo goes.
    st.session_state[PHOTO_CHOICE] = "sample"
    st.session_state[UPLOAD_ROUND] += 1
    sample = get_sample(st.session_state[SAMPLE])
    st.session_state[PRESET] = sample.preset
    settings = apply_preset(sample.preset, current_settings())
    show_settings(dataclasses.replace(settings, focus=dataclasses.replace(settings.focus, area=())))


# ---------------------------------------------------------------------------------------------
# Sidebar: each function draws its controls, bound to session state; sidebar() returns the
# settings they describe


def photo_controls() -> tuple[str, bytes, str] | None:
    """Sample picker and uploader; returns (source, bytes, digest) of the chosen photo.

    ``source`` is the sample id, or the uploaded file's name. ``None`` means "keep the photo
    on screen": the uploader was emptied, either by the user or because the browser removes
    the old file before sending its replacement (a rerun can fall in between). A sample is
    shown only when one is picked, so a failed replacement falls back to the photo before it.
    """
    language = lang()  # bound now: Streamlit may call format functions later
    st.header(say("app.header.photo"))
    samples = {sample.id: sample for sample in list_samples()}
    st.selectbox(
        say("app.sample"),
        list(samples),
        key=SAMPLE,
        format_func=lambda sample_id: samples[sample_id].name(language),
        on_change=on_sample,
        help=samples[st.session_state[SAMPLE]].hint(language),  # what it teaches in class
    )
    max_mb = MAX_BYTES // (1024 * 1024)
    st.caption(say("app.caption.upload"))
    upload = st.file_uploader(
        say("app.upload", max_mb=max_mb),
        type=list(UPLOAD_EXTENSIONS),
        key=f"photo.upload.{st.session_state[UPLOAD_ROUND]}",
        help=describe_limits(language),
    )
    if upload is not None and upload.file_id != st.session_state.get(SEEN_UPLOAD):
        st.session_state[SEEN_UPLOAD] = upload.file_id
        st.session_state[PHOTO_CHOICE] = "upload"
        st.session_state["focus.area"] = []  # marked on another photo
    if st.session_state[PHOTO_CHOICE] == "upload":
        st.button(say("app.use_sample"), on_click=on_sample, width="stretch")
        if upload is None:
            return None
        data = upload.getvalue()
        return upload.name, data, ui.bytes_digest(data)
    sample = samples[st.session_state[SAMPLE]]
    data = sample.path.read_bytes()
    return sample.id, data, ui.bytes_digest(data)


def number_slider(
    label: str,
    key: str,
    stops: tuple[float, ...],
    unit: str = "",
    digits: int = 1,
    **options: Any,
) -> None:
    """A slider over ``stops`` whose numbers read right in the language (``1,5 mm``)."""
    language = lang()  # bound now: Streamlit may call format functions later
    st.select_slider(
        label,
        ui.slider_options(stops, st.session_state.get(key)),
        key=key,
        format_func=lambda value: ui.format_quantity(value, unit, language, digits),
        **options,
    )


def style_controls(settings: Settings) -> None:
    """Preset, levels and the simple controls; the rest in 'Advanced' expanders."""
    language = lang()  # bound now: Streamlit may call format functions later
    st.header(say("app.header.controls"))
    st.selectbox(
        say("app.preset"),
        list(PRESETS),
        key=PRESET,
        format_func=lambda name: tr(preset_name_key(name), language),
        on_change=on_preset,
        help=say("app.help.preset"),
    )
    if apply_preset(st.session_state[PRESET], settings) != settings:
        st.caption(say("app.caption.preset_changed"))
    st.slider(
        say("app.levels"),
        MIN_LEVELS,
        MAX_LEVELS,
        step=1,
        key="tones.levels",
        on_change=on_levels,
        help=say("app.help.levels"),
    )
    number_slider(say("app.detail"), "prepare.smooth_mm", MM_STOPS, "mm",
                  help=say("app.help.detail"))  # fmt: skip
    number_slider(say("app.min_region"), "clean.min_region_mm2", AREA_STOPS, "mm²", 0,
                  help=say("app.help.min_region"))  # fmt: skip
    st.toggle(say("app.labels_show"), key="labels.show")
    st.toggle(say("app.burn_lines"), key="lines.enabled", help=say("app.help.burn_lines"))

    with st.expander(say("app.header.tones_advanced")):
        st.selectbox(
            say("app.method"),
            TONE_METHODS,
            key="tones.method",
            format_func=lambda method: tr(f"app.option.method.{method}", language),
            on_change=on_method,
            help=say("app.help.method"),
        )
        if st.session_state["tones.method"] == "manual":
            levels = st.session_state["tones.levels"]
            for index in range(levels - 1):
                number_slider(
                    say("app.threshold", darker=levels - index, lighter=levels - index - 1),
                    ui.threshold_key(index),
                    ui.grid(0.01, 0.99, 0.01),
                    digits=3,
                    on_change=on_threshold,
                    args=(index,),
                )
        else:
            st.caption(say("app.caption.manual_hint"))

    with st.expander(say("app.header.clean_advanced")):
        number_slider(say("app.boundary_smooth"), "clean.boundary_smooth_mm", MM_STOPS,
                      "mm", help=say("app.help.boundary_smooth"))  # fmt: skip
        number_slider(say("app.min_strip"), "clean.min_strip_mm", MM_STOPS, "mm",
                      help=say("app.help.min_strip"))  # fmt: skip
        number_slider(say("app.max_band"), "clean.max_band_mm", MM_STOPS, "mm",
                      help=say("app.help.max_band"))  # fmt: skip
        number_slider(say("app.line_smooth"), "trace.smooth_mm", MM_STOPS, "mm",
                      help=say("app.help.line_smooth"))  # fmt: skip
        number_slider(say("app.line_contrast"), "lines.min_contrast", ui.grid(0.05, 1.0, 0.05),
                      digits=2, disabled=not st.session_state["lines.enabled"],
                      help=say("app.help.line_contrast"))  # fmt: skip

    with st.expander(say("app.header.lines_advanced")):
        number_slider(
            say("app.line_weight"), "print.line_weight_mm", ui.grid(0.05, 1.0, 0.05), "mm", 2
        )
        labels_off = not st.session_state["labels.show"]
        number_slider(say("app.label_min"), "labels.min_height_mm", HEIGHT_STOPS, "mm",
                      disabled=labels_off, help=say("app.help.label_min"))  # fmt: skip
        number_slider(say("app.label_max"), "labels.max_height_mm", HEIGHT_STOPS, "mm",
                      disabled=labels_off)  # fmt: skip


def size_controls(aspect: float) -> None:
    """Print width and height in the chosen unit, the aspect locked to the (cropped) photo."""
    language = lang()  # bound now: Streamlit may call format functions later
    st.session_state[ASPECT] = aspect
    unit = st.session_state[UNIT]
    decimals = ui.UNIT_DECIMALS[unit]
    width_mm = st.session_state["print.width_mm"]
    # Shown values follow the stored millimetres on every run, so a unit switch or a new
    # photo's aspect updates both boxes; their callbacks write millimetres back.
    st.session_state[WIDTH_SHOWN] = round(ui.to_unit(width_mm, unit), decimals)
    st.session_state[HEIGHT_SHOWN] = round(ui.to_unit(width_mm / aspect, unit), decimals)
    st.header(say("app.header.size"))
    st.segmented_control(
        say("app.unit"),
        ui.UNITS,
        key=UNIT,
        format_func=lambda name: tr(f"app.option.unit.{name}", language),
        required=True,
    )
    step = ui.UNIT_STEP[unit]
    number_format = f"%.{decimals}f"
    left, right = st.columns(2)
    unit_name = say(f"app.option.unit.{unit}")
    left.number_input(
        say("app.width", unit=unit_name),
        round(ui.to_unit(20.0, unit), decimals),
        round(ui.to_unit(3000.0, unit), decimals),
        step=step,
        format=number_format,
        key=WIDTH_SHOWN,
        on_change=on_width,
    )
    right.number_input(
        say("app.height", unit=unit_name),
        round(ui.to_unit(20.0 / aspect, unit), decimals),
        round(ui.to_unit(3000.0 / aspect, unit), decimals),
        step=step,
        format=number_format,
        key=HEIGHT_SHOWN,
        on_change=on_height,
        help=say("app.help.height"),
    )


def photo_adjust_controls() -> None:
    """Crop, rotate, flip, invert, brightness and contrast."""
    language = lang()  # bound now: Streamlit may call format functions later
    with st.expander(say("app.header.photo_advanced")):
        st.slider(say("app.crop_horizontal"), 0.0, 100.0, step=1.0, key=ui.CROP_HORIZONTAL,
                  format="%.0f%%")  # fmt: skip
        st.slider(say("app.crop_vertical"), 0.0, 100.0, step=1.0, key=ui.CROP_VERTICAL,
                  format="%.0f%%")  # fmt: skip
        st.selectbox(
            say("app.rotate"),
            (0, 1, 2, 3),
            key="prepare.rotate_quarters",
            format_func=lambda turns: tr("app.option.rotate", language, degrees=90 * turns),
        )
        st.checkbox(say("app.flip_horizontal"), key="prepare.flip_horizontal")
        st.checkbox(say("app.flip_vertical"), key="prepare.flip_vertical")
        st.checkbox(say("app.invert"), key="prepare.invert", help=say("app.help.invert"))
        number_slider(
            say("app.brightness"), "prepare.brightness", ui.grid(-0.5, 0.5, 0.05), digits=2
        )
        number_slider(say("app.contrast"), "prepare.contrast", CONTRAST_STOPS, digits=2)


@st.cache_data(max_entries=4, show_spinner=False)
def focus_view(
    digest: str, framing: str, area: tuple[float, ...], _photo: Callable[[], Photo],
    _settings: Settings,
) -> np.ndarray:
    """The framed photo, small, with the marked focus ellipse drawn on it."""
    return ui.focus_picture(orient_and_crop(_photo().rgb, _settings.prepare), area, FOCUS_PX)


def on_focus_drag() -> None:
    """A box dragged on the photo becomes the focus area (a click alone is ignored)."""
    area = ui.focus_from_drag(st.session_state.get(FOCUS_PICKER))
    if area is not None:
        st.session_state["focus.area"] = list(area)


def on_focus_clear() -> None:
    st.session_state["focus.area"] = []


def focus_controls(good: GoodPhoto, settings: Settings) -> None:
    """The subject: found automatically or dragged on the photo; what the background becomes."""
    language = lang()  # bound now: Streamlit may call format functions later
    with st.expander(say("app.header.focus")):
        _, data, digest, _ = good
        prepare = settings.prepare
        framing = repr((prepare.rotate_quarters, prepare.flip_horizontal,
                        prepare.flip_vertical, prepare.crop))  # fmt: skip
        photo = partial(photo_stage, digest, prepare.working_px, data)
        st.caption(say("app.caption.focus_drag"))
        picture = focus_view(digest, framing, settings.focus.area, photo, settings)
        streamlit_image_coordinates(picture, key=FOCUS_PICKER, click_and_drag=True,
                                    on_click=on_focus_drag, width="stretch")  # fmt: skip
        if settings.focus.area:
            st.button(say("app.focus_clear"), on_click=on_focus_clear)
        st.toggle(say("app.focus_automatic"), key="focus.automatic",
                  disabled=bool(settings.focus.area), help=say("app.help.focus_automatic"))
        st.selectbox(
            say("app.background"),
            BACKGROUNDS,
            key="focus.background",
            format_func=lambda choice: tr(f"app.option.background.{choice}", language),
            help=say("app.help.background"),
        )


def settings_file_controls() -> None:
    """Upload a settings JSON saved earlier."""
    with st.expander(say("app.header.settings_file")):
        st.file_uploader(
            say("app.settings_file"),
            type=["json"],
            key=SETTINGS_FILE,
            on_change=on_settings_file,
            help=say("app.help.settings_file"),
        )


# ---------------------------------------------------------------------------------------------
# Main area


def show_legend(stencil: Stencil) -> None:
    """The value scale 1..N: one swatch per level with its share of the design."""
    entries = ui.legend_entries(
        stencil_shades(stencil), stencil.report.level_area_share, lang()
    )
    st.markdown(f"**{say('app.header.legend')}**")
    for column, entry in zip(st.columns(len(entries)), entries, strict=True):
        column.markdown(
            f'<div class="pp-swatch" style="background:{entry.color};height:2.2rem;'
            f'border:1px solid #8a7560;border-radius:4px"></div>'
            f"<div style='text-align:center'><b>{entry.number}</b><br>{entry.share}</div>",
            unsafe_allow_html=True,
        )
    st.caption(say("app.caption.legend", levels=stencil.tones.count))


def show_report(stencil: Stencil) -> None:
    """The engine's figures and warnings in plain words."""
    report, language = stencil.report, lang()
    first, second, third = st.columns(3)
    first.metric(say("app.report.regions"), format_number(report.region_count, language, 0))
    second.metric(
        say("app.report.smallest"), f"{format_number(report.smallest_region_mm2, language, 1)} mm²"
    )
    third.metric(say("app.report.lines"), f"{format_number(report.line_length_m, language, 1)} m")
    st.write(
        say(
            "app.report.size",
            width=round(stencil.width_mm),
            height=round(stencil.height_mm),
            levels=stencil.tones.count,
        )
    )
    rows = [
        {
            say("app.report.level"): index + 1,
            say("app.report.area"): f"{format_number(share * 100, language, 1)}%",
            say("app.report.count"): count,
        }
        for index, (share, count) in enumerate(
            zip(report.level_area_share, report.level_region_count, strict=True)
        )
    ]
    st.table(rows)
    if not stencil.warnings:
        st.success(say("app.report.no_warnings"))
    for warning in stencil.warnings:
        st.warning(warning.text(language))


def show_views(
    stencil: Stencil, keys: ui.StageKeys, photo_name: str, photo_image: Callable[[], bytes]
) -> None:
    """The legend, then five tabs: stencil, tone map, burn preview, side by side, report.

    ``photo_name`` is markdown-escaped (captions render markdown).

    The tabs rerun on switching and only the open one is drawn, so a changed setting
    renders one view, not five. (Where Streamlit does not track the open tab, all are drawn.)
    """
    show_legend(stencil)
    if stencil.warnings:
        st.info(say("app.caption.warnings", count=len(stencil.warnings)))
    tabs = st.tabs([say(tab) for tab in TAB_KEYS], key=VIEW, on_change="rerun")
    if tabs[0].open is not False:
        with tabs[0]:
            st.image(stencil_view(keys.stencil, stencil), output_format="PNG",
                     caption=say("app.caption.stencil"))  # fmt: skip
    if tabs[1].open is not False:
        with tabs[1]:
            st.image(tones_view(keys.stencil, stencil), output_format="PNG",
                     caption=say("app.caption.tones"))  # fmt: skip
    if tabs[2].open is not False:
        with tabs[2]:
            # The burn preview shows levels only, so it keeps its image when labels change.
            st.image(burn_view(keys.outlines, stencil), output_format="PNG",
                     caption=say("app.caption.burn"))  # fmt: skip
    if tabs[3].open is not False:
        with tabs[3]:
            left, right = st.columns(2)
            left.image(photo_image(), output_format="PNG", caption=photo_name)
            right.image(stencil_view(keys.stencil, stencil), output_format="PNG",
                        caption=say("app.tab.stencil"))  # fmt: skip
    if tabs[4].open is not False:
        with tabs[4]:
            show_report(stencil)


def download_builders(stencil: Stencil, title: str) -> dict[str, Callable[[], bytes]]:
    """One builder per file kind. Each runs only when its button is clicked (on Streamlit's
    download thread) and keeps the bytes it made in the session, so tests read the same bytes
    a user gets; tests call these builders directly, since AppTest cannot click a download."""
    store: dict[str, bytes] = st.session_state[DOWNLOADS]
    language = lang()
    makers: dict[str, Callable[[], bytes | str]] = {
        "stencil_png": lambda: stencil_png(stencil),
        "stencil_svg": lambda: stencil_svg(stencil, language, legend=True, name=title),
        "tones_png": lambda: tones_png(stencil),
        "pdf": lambda: stencil_pdf(stencil, language, name=title),
    }

    def keeping(kind: str, make: Callable[[], bytes | str]) -> Callable[[], bytes]:
        def build() -> bytes:
            data = make()
            store[kind] = data.encode() if isinstance(data, str) else data
            return store[kind]

        return build

    return {kind: keeping(kind, make) for kind, make in makers.items()}


@st.cache_data(max_entries=8, show_spinner=False)
def sheet_count(key: str, _stencil: Stencil) -> int:
    """Sheets the PDF prints the design on (blank ones are left out)."""
    settings = _stencil.settings.print
    plan = plan_tiles(_stencil.width_mm, _stencil.height_mm, settings)
    return len(printed_tiles(_stencil, plan))


def show_downloads(stencil: Stencil, keys: ui.StageKeys, stem: str, title: str) -> None:
    """Files for the class, built only when their button is clicked."""
    language = lang()  # bound now: Streamlit may call format functions later
    settings = stencil.settings
    builders = download_builders(stencil, title)
    st.session_state[BUILDERS] = builders
    st.subheader(say("app.header.download"))
    paper = settings.print.paper if settings.print.paper != "custom" else say("app.paper_custom")
    buttons = (
        ("pdf", say("app.download.pdf", paper=paper, sheets=sheet_count(keys.stencil, stencil)),
         "pdf", "application/pdf"),
        ("stencil_png", say("app.download.stencil_png", dpi=settings.print.dpi), "png",
         "image/png"),
        ("stencil_svg", say("app.download.stencil_svg"), "svg", "image/svg+xml"),
        ("tones_png", say("app.download.tone_png"), "png", "image/png"),
    )  # fmt: skip
    # A huge design at 300 dpi is refused by the renderer; say so before anyone clicks.
    refusals = {}
    try:
        design_shape_px(stencil, settings.print.dpi)
    except PyropatternError as err:
        refusals["stencil_png"] = err.text(language)
    for kind, label, extension, mime in buttons:
        st.download_button(
            label,
            builders[kind],
            file_name=f"{stem}-{kind.replace('_', '-')}.{extension}",
            mime=mime,
            on_click="ignore",
            width="stretch",
            type="primary" if kind == "pdf" else "secondary",
            key=f"download.{kind}",
            disabled=kind in refusals,
            help=refusals.get(kind),
        )
    # Settings are a few hundred bytes: built on every run, kept for tests and sharing.
    settings_json = settings_to_json(settings).encode()
    st.session_state[DOWNLOADS]["settings_json"] = settings_json
    st.download_button(
        say("app.download.settings"),
        settings_json,
        file_name=f"{stem}-settings.json",
        mime="application/json",
        on_click="ignore",
        width="stretch",
        key="download.settings_json",
    )
    st.caption(say("app.caption.pdf"))
    st.selectbox(say("app.paper"), PAPERS, key="print.paper",
                 format_func=lambda paper: tr(f"app.option.paper.{paper}", language))  # fmt: skip
    if st.session_state["print.paper"] == "custom":
        left, right = st.columns(2)
        left.number_input(say("app.paper_width"), 50.0, 2000.0, step=5.0, format="%.0f",
                          key="print.paper_width_mm")  # fmt: skip
        right.number_input(say("app.paper_height"), 50.0, 2000.0, step=5.0, format="%.0f",
                           key="print.paper_height_mm")  # fmt: skip
    st.checkbox(say("app.mirror"), key="print.mirror", help=say("app.help.mirror"))


def show_messages(messages: list[Message]) -> None:
    """One ``st.error`` per message, in the session's language."""
    for message in messages:
        st.error(message.text(lang()))


def photo_label(source: str) -> str:
    """Display name of a photo source: a sample's name in the language, or the file name."""
    samples = {sample.id: sample for sample in list_samples()}
    return samples[source].name(lang()) if source in samples else source


def make_stencil_or_keep(
    good: GoodPhoto, settings: Settings
) -> tuple[Stencil, ui.StageKeys] | None:
    """Build the stencil; on failure show one line and return the last good one (if any)."""
    _, data, digest, _ = good
    try:
        stencil, keys = build_stencil(digest, data, settings)
    except PyropatternError as err:
        st.error(err.text(lang()))
        return st.session_state.get(GOOD_STENCIL)
    except Exception:  # a bug, not the user's doing: console gets the traceback
        LOG.exception("building the stencil failed")
        st.error(say("app.error.unexpected"))
        return st.session_state.get(GOOD_STENCIL)
    st.session_state[GOOD_SETTINGS] = settings
    st.session_state[GOOD_STENCIL] = (stencil, keys)
    return stencil, keys


def sidebar(errors: list[Message]) -> tuple[GoodPhoto | None, Settings]:
    """Draw every control; return the photo to use and the settings the controls describe.

    A photo that fails to load, or settings that do not validate, add a message to
    ``errors`` and give way to the last good ones, so the stencil on screen stays.
    """
    with st.sidebar:
        st.radio(
            "Language / Bahasa",
            ("en", "id"),
            key=LANG,
            format_func=lambda code: {"en": "English", "id": "Bahasa Indonesia"}[code],
            horizontal=True,
            on_change=on_lang,
        )
        chosen = photo_controls()
        # The widgets' values are in the session already; they are read before the style
        # widgets are drawn because the size boxes need the (cropped) photo's aspect.
        try:
            settings = ui.settings_from_state(st.session_state, st.session_state[GOOD_SETTINGS])
        except PyropatternError as err:
            errors.append(err.message)
            settings = st.session_state[GOOD_SETTINGS]
        good = st.session_state.get(GOOD_PHOTO)
        if chosen is not None and (good is None or good[2] != chosen[2]):
            source, data, digest = chosen
            try:
                photo = photo_stage(digest, settings.prepare.working_px, data)
                rows, cols = photo.rgb.shape[:2]
                good = (source, data, digest, (cols, rows))
                st.session_state[GOOD_PHOTO] = good
            except PyropatternError as err:
                errors.append(err.message)
        if good is not None:
            size_controls(ui.design_aspect(good[3], settings.prepare))
        style_controls(settings)
        if good is not None:
            focus_controls(good, settings)
        photo_adjust_controls()
        settings_file_controls()
    return good, settings


def main() -> None:
    """One run of the page."""
    st.set_page_config(page_title="pyropattern", layout="wide")
    # Streamlit leaves ~6rem above the title; on a 1080p projector that pushed the stencil
    # below the fold. Half of it is enough.
    st.html("<style>[data-testid=stMainBlockContainer]{padding-top:3rem}</style>")
    start_session()
    errors: list[Message] = list(st.session_state[PENDING])
    st.session_state[PENDING] = []

    good, settings = sidebar(errors)

    st.title(say("app.title"))
    st.caption(say("app.subtitle"))
    show_messages(errors)
    built = make_stencil_or_keep(good, settings) if good is not None else None
    if built is None:
        return
    stencil, keys = built
    source, data, digest, _ = good

    def original() -> bytes:
        prepare = stencil.settings.prepare
        framing = repr((prepare.working_px, prepare.rotate_quarters, prepare.flip_horizontal,
                        prepare.flip_vertical, prepare.crop))  # fmt: skip
        photo = partial(photo_stage, digest, prepare.working_px, data)
        return photo_view(digest, framing, photo, stencil.settings)

    views, files = st.columns([3, 1], gap="large")
    with views:
        name = ui.escape_markdown(photo_label(source))
        st.caption(say("app.caption.current_photo", name=name))
        show_views(stencil, keys, name, original)
    with files:
        show_downloads(stencil, keys, ui.file_stem(source), photo_label(source))
    st.query_params.from_dict(
        {**ui.query_from_settings(settings), "lang": lang(), "sample": st.session_state[SAMPLE]}
    )


try:
    main()
except Exception:  # the page gets one translated line, the console the traceback
    LOG.exception("pyropattern app failed")
    st.error(tr("app.error.unexpected", st.session_state.get(LANG, "en")))
