"""pyropattern in the browser: photo in, burn-by-number stencil out, in English or Indonesian.

Run with ``make run`` (``streamlit run app.py``). The page is thin on purpose: sidebar
functions *return* settings, each pipeline stage is one cached wrapper keyed on the photo
digest and that stage's settings (``pyropattern.ui.stage_keys``), and the views only show
what the cached stages made. All state lives in ``st.session_state`` under the settings'
flat names ("tones.levels"); all words come from ``locales/app.toml``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from functools import cache, partial

import numpy as np
import streamlit as st

from pyropattern import pipeline, ui
from pyropattern.blanks import Blank, fit_settings
from pyropattern.errors import PyropatternError
from pyropattern.i18n import Message, tr
from pyropattern.labels import LabelRoom
from pyropattern.load import load_photo
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
from pyropattern.presets import PRESETS, apply_preset
from pyropattern.samples import DEFAULT_SAMPLE_ID, list_samples
from pyropattern.settings import Settings
from pyropattern.views import blanks as blank_view
from pyropattern.views import library as library_view
from pyropattern.views import sidebar as sidebar_views
from pyropattern.views.classroom import cached, gated, upload_limit
from pyropattern.views.downloads import PrintJob, print_choices, show_downloads
from pyropattern.views.images import photo_view
from pyropattern.views.session import (
    COPIES,
    DOWNLOADS,
    FITTED,
    GOOD_PHOTO,
    GOOD_SETTINGS,
    GOOD_STENCIL,
    LANG,
    LAST_SAMPLE,
    PDF_CONTENTS,
    PENDING,
    PHOTO_CHOICE,
    PRESET,
    SAMPLE,
    UNDERLAY,
    UNIT,
    UPLOAD_ROUND,
    lang,
    say,
)
from pyropattern.views.tabs import show_views

LOG = logging.getLogger("pyropattern.app")

# The last photo that loaded: (source, file bytes, digest, (width, height) upright, px).
GoodPhoto = tuple[str, bytes, str, tuple[int, int]]


# ---------------------------------------------------------------------------------------------
# Cached stages, all in the server's one memory-bounded cache (views/classroom.py). The key
# strings stand for the stage's inputs; upstream results are passed as thunks so a cache hit
# downstream never touches upstream. Computing takes a slot of the server's queue.


def photo_stage(digest: str, working_px: int, data: bytes) -> Photo:
    """Decode the photo, reduced towards the working size (JPEGs decode straight at it)."""
    return cached(
        ("photo", digest, str(working_px)),
        lambda: load_photo(data, target_long_side=working_px, max_bytes=upload_limit()),
    )


def prepare_stage(key: str, photo: Callable[[], Photo], settings: Settings) -> Prepared:
    """Gray image at working size (crop, rotate, adjust, smooth)."""
    return cached(
        ("prepare", key),
        lambda: pipeline.prepare_gray(photo(), settings.prepare, settings.print.width_mm),
    )


def importance_stage(
    key: str, photo: Callable[[], Photo], prepared: Callable[[], Prepared], settings: Settings
) -> Importance:
    """Where the pattern may be finer (focus) and what is bare background."""
    return cached(
        ("importance", key), lambda: pipeline.importance_map(photo(), prepared(), settings)
    )


def lines_stage(
    key: str,
    prepared: Callable[[], Prepared],
    importance: Callable[[], Importance],
    settings: Settings,
) -> BurnLines:
    """Thin dark features as burn lines."""
    return cached(
        ("lines", key), lambda: pipeline.extract_lines(prepared(), importance(), settings)
    )


def source_stage(
    key: str,
    prepared: Callable[[], Prepared],
    importance: Callable[[], Importance],
    lines: Callable[[], BurnLines],
    settings: Settings,
) -> Prepared:
    """The gray the tones are taken from: lines filled in, smoothed by importance."""
    return cached(
        ("source", key),
        lambda: pipeline.tone_source(prepared(), importance(), lines(), settings),
    )


def tones_stage(key: str, prepared: Callable[[], Prepared], settings: Settings) -> ToneMap:
    """Burn level per pixel."""
    return cached(("tones", key), lambda: pipeline.quantize_tones(prepared(), settings.tones))


def smooth_stage(
    key: str,
    tones: Callable[[], ToneMap],
    importance: Callable[[], Importance],
    source: Callable[[], Prepared],
    settings: Settings,
) -> ToneMap:
    """Borders rounded, bands split at the photo's edges (bare background cleared first)."""
    return cached(
        ("smooth", key),
        lambda: pipeline.smooth_levels(tones(), settings.clean, importance(), source().gray),
    )


def outlines_stage(
    key: str,
    smoothed: Callable[[], ToneMap],
    prepared: Callable[[], Prepared],
    importance: Callable[[], Importance],
    settings: Settings,
) -> tuple[Regions, Outlines]:
    """Burnable regions and their traced borders, the minimum area checked as drawn.

    Cleaning and tracing share one cache entry because the area check may clean again
    (``pipeline.clean_and_trace``); the key folds in both the clean and trace settings.
    """
    return cached(
        ("outlines", key),
        lambda: pipeline.clean_and_trace(smoothed(), prepared(), importance(), settings),
    )


def room_stage(key: str, shapes: Callable[[], tuple[Regions, Outlines]]) -> LabelRoom:
    """Free space for numbers; depends on the regions only, so number sizes reuse it."""
    return cached(("room", key), lambda: pipeline.measure_room(shapes()[0]))


def labels_stage(
    key: str,
    shapes: Callable[[], tuple[Regions, Outlines]],
    room: Callable[[], LabelRoom],
    settings: Settings,
) -> Labels:
    """Level numbers placed in (or beside) their regions."""

    def place() -> Labels:
        regions, outlines = shapes()
        return pipeline.place_labels(
            regions, outlines, room(), settings.labels, settings.print.line_weight_mm
        )

    return cached(("labels", key), place)


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
        return smooth_stage(keys.clean, tones, importance, source, settings)

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
    st.session_state[LAST_SAMPLE] = st.session_state[SAMPLE]
    st.session_state[PDF_CONTENTS] = "full"
    st.session_state[COPIES] = 1
    st.session_state[UNDERLAY] = True
    # A link names its preset (else the sample's own); its settings are changes from it.
    # Presets carry settings that have no widget, which a link cannot set one by one.
    wanted_preset = params.get("preset")
    preset = wanted_preset if wanted_preset in PRESETS else samples[st.session_state[SAMPLE]].preset
    st.session_state[PRESET] = preset
    opened = apply_preset(preset, Settings())
    try:
        settings = ui.settings_from_query(params, base=opened)
    except PyropatternError as err:  # a bad link opens as a link without settings would
        st.session_state[PENDING].append(err.message)
        settings = opened
    st.session_state.update(ui.state_from_settings(settings))
    st.session_state[GOOD_SETTINGS] = settings
    # A link without a width (or a first visit) opens in fit mode: the design is the widest
    # that fits one sheet of the paper, until the user types a size.
    if "print.width_mm" not in params:
        st.session_state[FITTED] = settings.print.width_mm


def show_messages(messages: list[Message]) -> None:
    """One ``st.error`` per message, in the session's language, as plain text."""
    for message in messages:
        st.error(ui.escape_markdown(message.text(lang())))


def photo_label(source: str) -> str:
    """Display name of a photo source: a sample's name in the language, or the file name."""
    samples = {sample.id: sample for sample in list_samples()}
    return samples[source].name(lang()) if source in samples else source


def page_query(settings: Settings) -> dict[str, str]:
    """The URL's query: settings that differ from the defaults, the language, and the sample
    when one is shown (a link cannot carry an uploaded photo, so it names none). The width is
    left out in fit mode (the link fits too) and written out otherwise, default or not."""
    # Settings as changes from the preset, which the link names: a preset's settings that
    # have no widget (which a link cannot set one by one) travel by its name.
    preset = st.session_state[PRESET]
    changes = ui.query_from_settings(settings, base=apply_preset(preset, Settings()))
    query = {**changes, "preset": preset, "lang": lang()}
    if st.session_state.get(FITTED) == settings.print.width_mm:
        query.pop("print.width_mm", None)
    else:
        query["print.width_mm"] = json.dumps(settings.print.width_mm)
    if st.session_state[PHOTO_CHOICE] == "sample":
        query["sample"] = st.session_state[LAST_SAMPLE]
    return query


def make_stencil_or_keep(
    good: GoodPhoto, settings: Settings, blank: Blank | None
) -> tuple[Stencil, ui.StageKeys] | None:
    """Build the stencil (fitted to ``blank`` if any); on failure show one line and return
    the last good one (if any)."""
    _, data, digest, size = good
    try:
        if blank is None:
            stencil, keys = gated(partial(build_stencil, digest, data, settings))
        else:
            fitted = fit_settings(settings, blank, size)
            stencil, keys = gated(partial(build_stencil, digest, data, fitted))
            photo = partial(photo_stage, digest, fitted.prepare.working_px, data)
            stencil, keys = blank_view.clip(stencil, keys, blank, photo)
    except PyropatternError as err:
        st.error(ui.escape_markdown(err.text(lang())))
        return st.session_state.get(GOOD_STENCIL)
    except Exception:  # a bug, not the user's doing: console gets the traceback
        LOG.exception("building the stencil failed")
        st.error(say("app.error.unexpected"))
        return st.session_state.get(GOOD_STENCIL)
    st.session_state[GOOD_SETTINGS] = settings
    st.session_state[GOOD_STENCIL] = (stencil, keys)
    return stencil, keys


def sidebar(errors: list[Message]) -> tuple[GoodPhoto | None, Settings, Blank | None]:
    """Draw every control; return the photo to use and the settings the controls describe.

    A photo that fails to load, or settings that do not validate, add a message to
    ``errors`` and give way to the last good ones, so the stencil on screen stays.
    """
    with st.sidebar:
        sidebar_views.language_control()
        chosen = sidebar_views.photo_controls()
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
                photo = gated(partial(photo_stage, digest, settings.prepare.working_px, data))
                rows, cols = photo.rgb.shape[:2]
                good = (source, data, digest, (cols, rows))
                st.session_state[GOOD_PHOTO] = good
            except PyropatternError as err:
                errors.append(err.message)
        if good is not None:
            aspect = ui.design_aspect(good[3], settings.prepare)
            settings = sidebar_views.fit_to_one_sheet(aspect, settings)
            sidebar_views.size_controls(aspect, settings)
        blank, refused = blank_view.blank_controls(lang())
        if refused:
            st.error(refused)
        sidebar_views.style_controls(settings)
        sidebar_views.print_signpost()
        with sidebar_views.more_settings():
            sidebar_views.photo_section()
            if good is not None:
                sidebar_views.crop_controls(good, settings, photo_stage)
            sidebar_views.photo_adjust_controls()
            if good is not None:
                sidebar_views.focus_controls(good, settings, photo_stage)
            sidebar_views.tone_method_controls()
            sidebar_views.area_controls()
            sidebar_views.line_controls()
            sidebar_views.settings_file_controls()
    return good, settings, blank


def main() -> None:
    """One run of the page."""
    st.set_page_config(page_title="pyropattern", layout="wide")
    # Streamlit leaves ~6rem above the title; on a 1080p projector that pushed the stencil
    # below the fold. Half of it is enough.
    st.html("<style>[data-testid=stMainBlockContainer]{padding-top:3rem}</style>")
    start_session()
    errors: list[Message] = list(st.session_state[PENDING])
    st.session_state[PENDING] = []

    good, settings, blank = sidebar(errors)
    library_view.remember(good, {sample.id for sample in list_samples()})

    # The URL always shows the settings in use: a link that failed to validate is replaced
    # here, before anything can fail, so a reload does not fail again.
    st.query_params.from_dict(page_query(settings))
    st.title(say("app.title"))
    st.caption(say("app.subtitle"))
    show_messages(errors)
    built = make_stencil_or_keep(good, settings, blank) if good is not None else None
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

    def framed() -> np.ndarray:
        prepare = stencil.settings.prepare
        return orient_and_crop(photo_stage(digest, prepare.working_px, data).rgb, prepare)

    label = photo_label(source)
    name = ui.escape_markdown(label)
    title = ui.design_title(label)
    st.caption(say("app.caption.current_photo", name=name))
    photo = partial(photo_stage, digest, stencil.settings.prepare.working_px, data)
    show_views(stencil, keys, name, original, photo, title,
               (settings, (source, data, digest), blank))
    contents, copies = print_choices()
    job = PrintJob(contents, copies, title=title, slug_source=title)
    show_downloads(stencil, keys, job, framed)
    st.query_params.from_dict(page_query(settings))


try:
    main()
except Exception:  # the page gets one translated line, the console the traceback
    LOG.exception("pyropattern app failed")
    st.error(tr("app.error.unexpected", st.session_state.get(LANG, "en")))
