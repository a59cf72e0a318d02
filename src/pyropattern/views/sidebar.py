"""The sidebar: the simple path as numbered steps, the rest under one "More settings".

1. Photo (a sample or an upload), 2. Size and paper (fits one sheet unless asked otherwise),
3. Levels, 4. Print (signposted here; its choices sit with the downloads under the views).
Each step or section is one function, so a new control is one call in the right place.

Each control's session-state key is the flat name of the setting it shows ("tones.levels"),
so :func:`pyropattern.ui.settings_from_state` reads the settings back from the session; the
callbacks below keep related values consistent before the next run draws them. Parts whose
content comes and goes (captions, hints) sit in their own container, and the expander is
keyed, so a changed setting never shifts or closes the section the user is working in.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import numpy as np
import streamlit as st
from streamlit_image_coordinates import streamlit_image_coordinates

from .. import ui
from ..errors import PyropatternError
from ..export import narrower_for_one_sheet, one_sheet_width_mm
from ..i18n import tr
from ..load import UPLOAD_EXTENSIONS, describe_limits
from ..model import Photo, Stencil
from ..prepare import orient_and_crop
from ..presets import PRESETS, apply_preset, preset_name_key
from ..samples import get_sample, list_samples
from ..settings import (
    BACKGROUNDS,
    MAX_LEVELS,
    MIN_LEVELS,
    PAPERS,
    TONE_METHODS,
    Settings,
    setting_range,
    setting_rules,
    settings_from_json,
)
from .classroom import gated, upload_limit
from .session import (
    ASPECT,
    FITTED,
    GOOD_SETTINGS,
    GOOD_STENCIL,
    HEIGHT_SHOWN,
    LANG,
    LAST_SAMPLE,
    MORE,
    PDF_CONTENTS,
    PENDING,
    PHOTO_CHOICE,
    PRESET,
    SAMPLE,
    SETTINGS_FILE,
    TAB_KEYS,
    UNIT,
    UPLOAD_ROUND,
    VIEW,
    WIDTH_SHOWN,
    lang,
    say,
)

# Slider stops: fine where small changes matter, coarse beyond (a slider with hundreds of
# stops costs every rerun ≈40 ms of option formatting, measured with cProfile).
MM_STOPS = (*ui.grid(0.0, 2.0, 0.1), 2.5, 3.0, 3.5, 4.0, 5.0)
AREA_STOPS = (*range(11), 12, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200)
HEIGHT_STOPS = (*ui.grid(1.0, 8.0, 0.5), 9.0, 10.0, 12.0, 15.0, 20.0)
CONTRAST_STOPS = (*ui.grid(0.25, 2.0, 0.05), 2.5, 3.0, 3.5, 4.0)
WIDTH_RANGE = setting_range("print.width_mm")  # the size boxes span the schema's range


# ---------------------------------------------------------------------------------------------
# Callbacks


def current_settings() -> Settings:
    """The settings the widgets show, or the last valid ones when they do not validate."""
    try:
        return ui.settings_from_state(st.session_state, st.session_state[GOOD_SETTINGS])
    except PyropatternError:
        return st.session_state[GOOD_SETTINGS]


def show_settings(settings: Settings) -> None:
    """Put ``settings`` into the widgets (only from callbacks: before widgets are drawn)."""
    st.session_state.update(ui.state_from_settings(settings))


def apply_setting_changes(changes: Mapping[str, Any]) -> None:
    """Set flat settings from a callback (a warning's fix button), keeping the rest in step."""
    st.session_state.update(changes)
    if "tones.levels" in changes:
        on_levels()


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
    low, high = setting_range("print.width_mm")
    st.session_state["print.width_mm"] = round(min(max(width_mm, low), high), 2)


def on_fit() -> None:
    # Fit mode is "the width is the one the app fitted": the next run fits and records it.
    st.session_state[FITTED] = st.session_state["print.width_mm"]


# Every widget whose shown text depends on the language: selects, sliders and tabs travel to
# and from the browser as their *shown* text; the expander is a new widget under its new
# label, so its open state is carried over too.
RESTATED_KEYS = (
    MORE,
    SAMPLE,
    PRESET,
    UNIT,
    PDF_CONTENTS,
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
    if st.session_state.get(SAMPLE) is None:
        return
    st.session_state[LAST_SAMPLE] = st.session_state[SAMPLE]
    sample = get_sample(st.session_state[SAMPLE])
    st.session_state[PRESET] = sample.preset
    settings = apply_preset(sample.preset, current_settings())
    show_settings(dataclasses.replace(settings, focus=dataclasses.replace(settings.focus, area=())))


def on_use_sample() -> None:
    st.session_state[SAMPLE] = st.session_state[LAST_SAMPLE]
    on_sample()


def on_upload(key: str) -> None:
    # A new upload is what the page shows, and the sample picker stops naming a sample. An
    # emptied uploader changes nothing: the browser removes the old file before it sends
    # its replacement, and a rerun can fall in between.
    if st.session_state.get(key) is not None:
        st.session_state[PHOTO_CHOICE] = "upload"
        st.session_state[SAMPLE] = None
        st.session_state["focus.area"] = []  # marked on another photo


# ---------------------------------------------------------------------------------------------
# Steps


def language_control() -> None:
    """English / Bahasa Indonesia switch (named in both, so anyone can find it)."""
    st.radio(
        "Language / Bahasa",
        ("en", "id"),
        key=LANG,
        format_func=lambda code: {"en": "English", "id": "Bahasa Indonesia"}[code],
        horizontal=True,
        on_change=on_lang,
    )


def photo_controls() -> tuple[str, bytes, str] | None:
    """Step 1: sample picker and uploader; returns (source, bytes, digest) of the chosen photo.

    ``source`` is the sample id, or the uploaded file's name. ``None`` means "keep the photo
    on screen": the uploader was emptied, either by the user or because the browser removes
    the old file before sending its replacement (a rerun can fall in between). A sample is
    shown only when one is picked, so a failed replacement falls back to the photo before it.
    While an upload is shown the picker names no sample and says so.
    """
    language = lang()  # bound now: Streamlit may call format functions later
    st.header(say("app.step.photo"))
    samples = {sample.id: sample for sample in list_samples()}
    picked = st.session_state.get(SAMPLE)
    st.selectbox(
        say("app.sample"),
        list(samples),
        key=SAMPLE,
        format_func=lambda sample_id: samples[sample_id].name(language),
        on_change=on_sample,
        placeholder=say("app.sample_placeholder"),
        # What the sample teaches in class; with an upload shown, how to go back to one.
        help=samples[picked].hint(language) if picked else say("app.help.sample_upload"),
    )
    max_mb = upload_limit() // 2**20
    st.caption(say("app.caption.upload"))
    upload_key = f"photo.upload.{st.session_state[UPLOAD_ROUND]}"
    upload = st.file_uploader(
        say("app.upload", max_mb=max_mb),
        type=list(UPLOAD_EXTENSIONS),
        key=upload_key,
        help=describe_limits(language, max_bytes=upload_limit()),
        on_change=on_upload,
        args=(upload_key,),
    )
    if st.session_state[PHOTO_CHOICE] == "upload":
        st.caption(say("app.caption.link_no_photo"))
        st.button(say("app.use_sample"), on_click=on_use_sample, width="stretch",
                  key="photo.use_sample")  # fmt: skip
        if upload is None:
            return None
        data = upload.getvalue()
        return upload.name, data, ui.bytes_digest(data)
    sample = samples[picked or st.session_state[LAST_SAMPLE]]
    data = sample.path.read_bytes()
    return sample.id, data, ui.bytes_digest(data)


def fit_to_one_sheet(aspect: float, settings: Settings) -> Settings:
    """In fit mode, set the width to the widest design that fits one sheet; return the settings.

    Fit mode is on when the width is still the one the app last fitted (a new session
    without a width in its link, or the "Fit to one sheet" button); typing a size leaves it.
    It follows the paper, crop and rotation until then.
    """
    if st.session_state.get(FITTED) != st.session_state["print.width_mm"]:
        return settings
    try:
        width = one_sheet_width_mm(aspect, settings.print)
    except PyropatternError:
        return settings  # a paper too small for the page layout: the PDF button says so
    st.session_state["print.width_mm"] = st.session_state[FITTED] = width
    return dataclasses.replace(settings, print=dataclasses.replace(settings.print, width_mm=width))


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
    # A setting's slider spans exactly its range in the schema.
    bounds = setting_range(key) if key in setting_rules() else None
    st.select_slider(
        label,
        ui.slider_options(stops, st.session_state.get(key), bounds),
        key=key,
        format_func=lambda value: ui.format_quantity(value, unit, language, digits),
        **options,
    )


def size_controls(aspect: float, settings: Settings) -> None:
    """Step 2: paper, then width and height in the chosen unit, the aspect locked to the
    (cropped) photo; "fits one sheet" said, or offered with how much narrower would do."""
    language = lang()  # bound now: Streamlit may call format functions later
    st.session_state[ASPECT] = aspect
    unit = st.session_state[UNIT]
    decimals = ui.UNIT_DECIMALS[unit]
    width_mm = st.session_state["print.width_mm"]
    # Shown values follow the stored millimetres on every run, so a unit switch or a new
    # photo's aspect updates both boxes; their callbacks write millimetres back.
    st.session_state[WIDTH_SHOWN] = round(ui.to_unit(width_mm, unit), decimals)
    st.session_state[HEIGHT_SHOWN] = round(ui.to_unit(width_mm / aspect, unit), decimals)
    st.header(say("app.step.size"))
    st.selectbox(say("app.paper"), PAPERS, key="print.paper", help=say("app.help.paper"),
                 format_func=lambda paper: tr(f"app.option.paper.{paper}", language))  # fmt: skip
    if st.session_state["print.paper"] == "custom":
        left, right = st.columns(2)
        left.number_input(say("app.paper_width"), 50.0, 2000.0, step=5.0, format="%.0f",
                          key="print.paper_width_mm")  # fmt: skip
        right.number_input(say("app.paper_height"), 50.0, 2000.0, step=5.0, format="%.0f",
                           key="print.paper_height_mm")  # fmt: skip
    step = ui.UNIT_STEP[unit]
    number_format = f"%.{decimals}f"
    left, right = st.columns(2)
    unit_name = say(f"app.option.unit.{unit}")
    left.number_input(
        say("app.width", unit=unit_name),
        round(ui.to_unit(WIDTH_RANGE[0], unit), decimals),
        round(ui.to_unit(WIDTH_RANGE[1], unit), decimals),
        step=step,
        format=number_format,
        key=WIDTH_SHOWN,
        on_change=on_width,
    )
    right.number_input(
        say("app.height", unit=unit_name),
        round(ui.to_unit(WIDTH_RANGE[0] / aspect, unit), decimals),
        round(ui.to_unit(WIDTH_RANGE[1] / aspect, unit), decimals),
        step=step,
        format=number_format,
        key=HEIGHT_SHOWN,
        on_change=on_height,
        help=say("app.help.height"),
    )
    with st.container():  # comes and goes without moving what follows
        paper = say(f"app.option.paper.{settings.print.paper}")
        if st.session_state.get(FITTED) == width_mm:
            st.caption(say("app.caption.fits_one_sheet", paper=paper))
        else:
            try:
                narrower = narrower_for_one_sheet(width_mm, width_mm / aspect, settings.print)
            except PyropatternError:
                narrower = None
            if narrower is not None:
                st.info(say("app.hint.narrower", mm=narrower, paper=paper))
            st.button(say("app.fit"), on_click=on_fit, key="print.fit", width="stretch",
                      help=say("app.help.fit"))  # fmt: skip
    st.segmented_control(
        say("app.unit"),
        ui.UNITS,
        key=UNIT,
        format_func=lambda name: tr(f"app.option.unit.{name}", language),
        required=True,
    )


def style_controls(settings: Settings) -> None:
    """Step 3: starting point, number of levels and the few controls most photos need."""
    language = lang()  # bound now: Streamlit may call format functions later
    st.header(say("app.step.levels"))
    st.selectbox(
        say("app.preset"),
        list(PRESETS),
        key=PRESET,
        format_func=lambda name: tr(preset_name_key(name), language),
        on_change=on_preset,
        help=say("app.help.preset"),
    )
    with st.container():  # comes and goes without moving what follows
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


def print_signpost() -> None:
    """Step 4 is under the pattern, beside the downloads; the sidebar points there."""
    st.header(say("app.step.print"))
    st.caption(say("app.caption.print_below"))


# ---------------------------------------------------------------------------------------------
# More settings: one expander, a section per subject


def more_settings() -> Any:
    """The "More settings" expander, to draw sections in (``with more_settings(): ...``).

    One keyed expander: it keeps its open state when a setting inside it changes or the
    language switches. Sections are headed by :func:`_section`, not nested expanders.
    """
    return st.expander(say("app.more_settings"), key=MORE, on_change="rerun")


def _section(key: str) -> None:
    st.markdown(f"**{say(key)}**")  # the table's own words: no user text reaches markdown


def photo_section() -> None:
    """Heading of the photo part: crop (by dragging or sliders), turn, light."""
    _section("app.header.photo_advanced")


CROP_PICKER = "ui.crop_picker"  # the box last dragged on the photo to crop it
# Width of the photos dragged on (crop, focus): the sidebar's content width, 220 px at both
# 1400 and 820 px (measured in Chromium). The component's frame neither shrinks a wider
# picture (a 240 px one lost its right edge) nor its own height (a 480 px one left a 260 px
# gap under it), so the picture is made at the width it is shown.
PICKER_PX = 220


def drag_picture(picture: np.ndarray, key: str, on_drag: Callable[[], None]) -> None:
    """A photo to drag a box on (crop, focus); ``on_drag`` reads the box from ``key``."""
    streamlit_image_coordinates(picture, key=key, click_and_drag=True, on_click=on_drag,
                                png_compression_level=1, cursor="crosshair")  # fmt: skip


@st.cache_data(max_entries=4, show_spinner=False)
def crop_view(
    digest: str, turning: str, crop: tuple[float, ...], _photo: Callable[[], Photo],
    _settings: Settings,
) -> np.ndarray:
    """The turned photo, small, the crop box on it and the cut-away part dimmed."""
    whole = dataclasses.replace(_settings.prepare, crop=(0.0, 0.0, 1.0, 1.0))
    return ui.crop_picture(orient_and_crop(_photo().rgb, whole), crop, PICKER_PX)


def on_crop_drag() -> None:
    """A box dragged on the photo becomes the crop (a click alone is ignored)."""
    sliders = ui.crop_from_drag(st.session_state.get(CROP_PICKER))
    if sliders is not None:
        st.session_state.update(sliders)


def on_crop_reset() -> None:
    st.session_state.update({ui.CROP_HORIZONTAL: (0.0, 100.0), ui.CROP_VERTICAL: (0.0, 100.0)})


def crop_controls(
    good: tuple[str, bytes, str, tuple[int, int]],
    settings: Settings,
    photo_stage: Callable[[str, int, bytes], Photo],
) -> None:
    """Crop by dragging a box on the photo; the sliders below fine-tune the same crop.

    ``streamlit_image_coordinates`` (already used for the focus area) returns the dragged box;
    streamlit-cropper 0.3.1 also installs and renders on Streamlit 1.67, but a second image
    component for one box is not worth its weight (measured in issue 9's note).
    """
    _, data, digest, _ = good
    prepare = settings.prepare
    turning = repr((prepare.rotate_quarters, prepare.flip_horizontal, prepare.flip_vertical))
    photo = partial(photo_stage, digest, prepare.working_px, data)
    st.caption(say("app.caption.crop_drag"))
    picture = crop_view(digest, turning, prepare.crop, photo, settings)
    drag_picture(picture, CROP_PICKER, on_crop_drag)
    with st.container():  # comes and goes without moving what follows
        if prepare.crop != (0.0, 0.0, 1.0, 1.0):
            st.button(say("app.crop_reset"), on_click=on_crop_reset, key="prepare.crop_reset")


def photo_adjust_controls() -> None:
    """Crop sliders, rotate, flip, invert, brightness and contrast."""
    language = lang()  # bound now: Streamlit may call format functions later
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
    number_slider(say("app.brightness"), "prepare.brightness", ui.grid(-0.5, 0.5, 0.05), digits=2)
    number_slider(say("app.contrast"), "prepare.contrast", CONTRAST_STOPS, digits=2)


def tone_method_controls() -> None:
    """How the levels are chosen, and the manual dark/light borders."""
    language = lang()  # bound now: Streamlit may call format functions later
    _section("app.header.tones_advanced")
    st.selectbox(
        say("app.method"),
        TONE_METHODS,
        key="tones.method",
        format_func=lambda method: tr(f"app.option.method.{method}", language),
        on_change=on_method,
        help=say("app.help.method"),
    )
    with st.container():  # the thresholds come and go without moving what follows
        if st.session_state["tones.method"] == "manual":
            levels = st.session_state["tones.levels"]
            for index in range(levels - 1):
                darker, lighter = levels - index, levels - index - 1
                number_slider(
                    say("app.threshold", darker=darker, lighter=lighter),
                    ui.threshold_key(index),
                    ui.grid(0.01, 0.99, 0.01),
                    digits=3,
                    on_change=on_threshold,
                    args=(index,),
                    help=say("app.help.threshold", darker=darker, lighter=lighter),
                )
        else:
            st.caption(say("app.caption.manual_hint"))


def area_controls() -> None:
    """How areas and their borders are simplified."""
    _section("app.header.clean_advanced")
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


def line_controls() -> None:
    """Line weight and number sizes."""
    _section("app.header.lines_advanced")
    number_slider(
        say("app.line_weight"), "print.line_weight_mm", ui.grid(0.05, 1.0, 0.05), "mm", 2
    )
    labels_off = not st.session_state["labels.show"]
    st.toggle(say("app.fit_inside"), key="labels.fit_inside", disabled=labels_off,
              help=say("app.help.fit_inside"))
    number_slider(say("app.label_min"), "labels.min_height_mm", HEIGHT_STOPS, "mm",
                  disabled=labels_off, help=say("app.help.label_min"))  # fmt: skip
    number_slider(say("app.label_max"), "labels.max_height_mm", HEIGHT_STOPS, "mm",
                  disabled=labels_off)  # fmt: skip


def settings_file_controls() -> None:
    """Upload a settings JSON saved earlier."""
    _section("app.header.settings_file")
    st.file_uploader(
        say("app.settings_file"),
        type=["json"],
        key=SETTINGS_FILE,
        on_change=on_settings_file,
        help=say("app.help.settings_file"),
    )


FOCUS_PICKER = "ui.focus_picker"  # the box last dragged on the photo (image component)


@st.cache_data(max_entries=4, show_spinner=False)
def focus_view(
    digest: str, framing: str, area: tuple[float, ...], _photo: Callable[[], Photo],
    _settings: Settings,
) -> np.ndarray:
    """The framed photo, small, with the marked focus ellipse drawn on it."""
    return ui.focus_picture(orient_and_crop(_photo().rgb, _settings.prepare), area, PICKER_PX)


def on_focus_drag() -> None:
    """A box dragged on the photo becomes the focus area (a click alone is ignored)."""
    area = ui.focus_from_drag(st.session_state.get(FOCUS_PICKER))
    if area is not None:
        st.session_state["focus.area"] = list(area)


def on_focus_clear() -> None:
    st.session_state["focus.area"] = []


def focus_controls(
    good: tuple[str, bytes, str, tuple[int, int]],
    settings: Settings,
    photo_stage: Callable[[str, int, bytes], Photo],
) -> None:
    """The subject: found automatically or dragged on the photo; what the background becomes."""
    language = lang()  # bound now: Streamlit may call format functions later
    _section("app.header.focus")
    _, data, digest, _ = good
    prepare = settings.prepare
    framing = repr((prepare.rotate_quarters, prepare.flip_horizontal,
                    prepare.flip_vertical, prepare.crop))  # fmt: skip
    photo = partial(photo_stage, digest, prepare.working_px, data)
    st.caption(say("app.caption.focus_drag"))
    picture = gated(partial(focus_view, digest, framing, settings.focus.area, photo, settings))
    drag_picture(picture, FOCUS_PICKER, on_focus_drag)
    with st.container():  # comes and goes without moving what follows
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
