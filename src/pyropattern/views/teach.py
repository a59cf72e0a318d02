"""The app's burn preview tab: the design burned on the class's wood, and the lesson around it.

One function per block, each taking the cached stencil and drawing with Streamlit; the lesson
(profile, burn guide, borders, order, colouring) lives in ``st.session_state[LESSON]`` and is
saved and loaded as a JSON file next to the stencil settings. Everything a user typed (notes,
steps, profile names) is shown as plain text, never as markdown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import streamlit as st

from .. import ui
from ..errors import PyropatternError
from ..i18n import tr
from ..model import Photo, Stencil
from ..render import stencil_darkness
from ..render.burn import BORDER_STYLES, BurnStyle, render_burn
from ..render.techniques import TECHNIQUES
from ..render.wood import WOOD_KEYS, WOODS, level_tones
from ..teach.colouring import RegionColours, palette, suggest_colours
from ..teach.handout import lesson_handout
from ..teach.lesson import (
    HEATS,
    SPEEDS,
    Lesson,
    LevelGuide,
    default_guide,
    default_lesson,
    lesson_from_json,
    lesson_to_json,
)
from ..teach.order import burning_order, suggested_order
from ..teach.practice import practice_pdf
from ..teach.profiles import (
    DEFAULT_PROFILE,
    TIPS,
    Profile,
    profile_from_json,
    profile_to_json,
    shipped_profiles,
)
from ..teach.timing import estimate_time, format_minutes
from ..teach.words import burn_lines_text
from ..ui import png_bytes

LESSON = "teach.lesson"  # the Lesson being edited
PROFILES = "teach.profiles"  # {name: Profile}: shipped ones plus any uploaded this session
PROFILE, WOOD = "teach.profile", "teach.wood"  # widget keys
BORDERS, COLOURING = "teach.borders", "teach.colouring"
GUIDE_EDITOR, ORDER_EDITOR = "teach.guide_editor", "teach.order_editor"
LESSON_FILE, PROFILE_FILE = "teach.lesson_file", "teach.profile_file"
MESSAGES = "teach.messages"  # errors raised in callbacks, shown on the next run


def _start(n: int) -> Lesson:
    """The session's lesson, created on first use and fitted to ``n`` levels."""
    if PROFILES not in st.session_state:
        st.session_state[PROFILES] = {p.name: p for p in shipped_profiles().values()}
        st.session_state[MESSAGES] = []
    if LESSON not in st.session_state:
        st.session_state[LESSON] = default_lesson(n, shipped_profiles()[DEFAULT_PROFILE])
    lesson = st.session_state[LESSON].fit(n)
    st.session_state[LESSON] = lesson
    st.session_state.setdefault(PROFILE, lesson.profile.name)
    st.session_state.setdefault(WOOD, lesson.profile.wood)
    st.session_state.setdefault(BORDERS, lesson.borders)
    st.session_state.setdefault(COLOURING, lesson.colouring)
    return lesson


def _set(lesson: Lesson) -> None:
    st.session_state[LESSON] = lesson


def _on_profile() -> None:
    profile = st.session_state[PROFILES][st.session_state[PROFILE]]
    lesson: Lesson = st.session_state[LESSON]
    guide = default_guide(profile, len(lesson.guide), lesson.techniques)
    _set(replace(lesson, profile=profile, guide=guide))
    st.session_state[WOOD] = profile.wood


def _on_wood() -> None:
    lesson: Lesson = st.session_state[LESSON]
    _set(replace(lesson, profile=replace(lesson.profile, wood=st.session_state[WOOD])))


def _on_borders() -> None:
    _set(replace(st.session_state[LESSON], borders=st.session_state[BORDERS]))


def _on_colouring() -> None:
    _set(replace(st.session_state[LESSON], colouring=st.session_state[COLOURING]))


def _adopt(lesson: Lesson) -> None:
    """Make ``lesson`` the session's, with the widgets showing it."""
    st.session_state[PROFILES][lesson.profile.name] = lesson.profile
    _set(lesson)
    st.session_state[PROFILE] = lesson.profile.name
    st.session_state[WOOD] = lesson.profile.wood
    st.session_state[BORDERS] = lesson.borders
    st.session_state[COLOURING] = lesson.colouring
    for key in (GUIDE_EDITOR, ORDER_EDITOR):
        st.session_state.pop(key, None)


def _on_lesson_file() -> None:
    upload = st.session_state.get(LESSON_FILE)
    if upload is None:
        return
    try:
        _adopt(lesson_from_json(upload.getvalue()))
    except PyropatternError as err:
        st.session_state[MESSAGES].append(err.message)


def _on_profile_file() -> None:
    upload = st.session_state.get(PROFILE_FILE)
    if upload is None:
        return
    try:
        profile = profile_from_json(upload.getvalue())
    except PyropatternError as err:
        st.session_state[MESSAGES].append(err.message)
        return
    st.session_state[PROFILES][profile.name] = profile
    st.session_state[PROFILE] = profile.name
    _on_profile()


@st.cache_data(max_entries=8, show_spinner=False)
def _preview(
    key: str, style: BurnStyle, colour_keys: tuple, dpi: float, _stencil: Stencil, _rgb: Any
) -> bytes:
    """The burn preview as PNG, cached on the stencil's stage key, the style and the colours."""
    return png_bytes(render_burn(_stencil, dpi, style, region_colours=_rgb))


@st.cache_resource(max_entries=4, show_spinner=False)
def _colours(key: str, _photo: Callable[[], Photo], _stencil: Stencil) -> RegionColours:
    return suggest_colours(_photo(), _stencil)


def _controls(lesson: Lesson, lang: str) -> None:
    profiles: dict[str, Profile] = st.session_state[PROFILES]
    first, second, third = st.columns([3, 2, 3])
    first.selectbox(
        tr("teach.app.profile", lang),
        list(profiles),
        key=PROFILE,
        on_change=_on_profile,
        help=tr("teach.app.help.profile", lang),
    )
    second.selectbox(
        tr("teach.app.wood", lang),
        WOOD_KEYS,
        key=WOOD,
        on_change=_on_wood,
        format_func=lambda key: tr(f"teach.wood.{key}", lang),
    )
    third.radio(
        tr("teach.app.borders", lang),
        BORDER_STYLES,
        key=BORDERS,
        on_change=_on_borders,
        format_func=lambda key: tr(f"teach.borders.{key}", lang),
    )
    st.checkbox(
        tr("teach.app.colouring", lang),
        key=COLOURING,
        on_change=_on_colouring,
        help=tr("teach.app.help.colouring", lang),
    )


def _legend(stencil: Stencil, lesson: Lesson, lang: str) -> None:
    """Swatches on the chosen wood with each level's technique and time; the total."""
    n = stencil.tones.count
    time = estimate_time(stencil, lesson)
    tones = level_tones(WOODS[lesson.profile.wood], stencil_darkness(stencil))
    for level, column in enumerate(st.columns(n)):
        rgb = tones[level]
        column.markdown(
            f'<div style="background:rgb{rgb};height:1.6rem;border:1px solid #8a7560;'
            f'border-radius:4px"></div>',
            unsafe_allow_html=True,
        )
        technique = tr(f"teach.technique.{lesson.guide[level].technique}", lang)
        minutes = "—" if level == 0 else format_minutes(time.level_min[level], lang)
        column.text(f"{level + 1} · {technique if level else tr('teach.guide.bare', lang)}")
        column.caption(minutes)
    st.markdown(f"**{tr('teach.cover.time', lang, time=format_minutes(time.total_min, lang))}**")


def _guide_editor(lesson: Lesson, n: int, lang: str) -> None:
    """The burn guide as an editable table; a valid edit becomes the lesson's guide."""
    names = {
        "tip": {tip: tr(f"teach.tip.{tip}", lang) for tip in TIPS},
        "heat": {heat: tr(f"teach.heat.{heat}", lang) for heat in HEATS},
        "technique": {t: tr(f"teach.technique.{t}", lang) for t in TECHNIQUES},
        "speed": {speed: tr(f"teach.speed.{speed}", lang) for speed in SPEEDS},
    }
    names["tip"][""] = tr("teach.tip.none", lang)
    label = {
        field: tr(f"teach.guide.{field}", lang)
        for field in ("level", "tip", "heat", "technique", "passes", "speed", "note")
    }
    label["dial"] = tr("teach.app.dial", lang)
    rows = [
        {
            label["level"]: level + 1,
            label["tip"]: names["tip"][row.tip],
            label["heat"]: names["heat"][row.heat],
            label["dial"]: row.dial,
            label["technique"]: names["technique"][row.technique],
            label["passes"]: row.passes,
            label["speed"]: names["speed"][row.speed],
            label["note"]: row.note,
        }
        for level, row in enumerate(lesson.guide)
    ]
    config = {
        label["level"]: st.column_config.NumberColumn(disabled=True, width="small"),
        label["dial"]: st.column_config.NumberColumn(min_value=0, max_value=20, step=1),
        label["passes"]: st.column_config.NumberColumn(min_value=0, max_value=9, step=1),
        label["note"]: st.column_config.TextColumn(
            max_chars=300, help=tr("teach.app.help.note", lang)
        ),
    }
    for field in ("tip", "heat", "technique", "speed"):
        config[label[field]] = st.column_config.SelectboxColumn(
            options=list(names[field].values()), required=True
        )
    # A soldering iron has no dial: its column would only ever show zeros.
    shown = [key for key in label if key != "dial" or lesson.profile.tool.dial_max]
    edited = st.data_editor(
        rows,
        column_config=config,
        column_order=[label[key] for key in ("level", "tip", "heat", "dial", "technique",
                                             "passes", "speed", "note") if key in shown],
        hide_index=True,
        key=GUIDE_EDITOR,
        num_rows="fixed",
        width="stretch",
    )
    back = {field: {text: key for key, text in names[field].items()} for field in names}
    try:
        guide = tuple(
            LevelGuide(
                tip=back["tip"][row[label["tip"]]],
                heat=back["heat"][row[label["heat"]]],
                dial=int(row.get(label["dial"]) or 0),
                technique=back["technique"][row[label["technique"]]],
                passes=int(row[label["passes"]] or 0),
                speed=back["speed"][row[label["speed"]]],
                note=str(row[label["note"]] or ""),
            )
            for row in edited
        )
    except PyropatternError as err:
        st.error(ui.escape_markdown(err.text(lang)))  # user text (a note, a name) as typed
        return
    except (KeyError, TypeError, ValueError):
        return
    if len(guide) == n and guide != lesson.guide:
        _set(replace(lesson, guide=guide))
        st.rerun()


def _order_editor(stencil: Stencil, lesson: Lesson, lang: str) -> None:
    """The burning order, numbered; editing any step keeps the instructor's own list."""
    column = tr("teach.app.step", lang)
    steps = burning_order(stencil, lesson, lang)
    edited = st.data_editor(
        [{column: step} for step in steps],
        key=ORDER_EDITOR,
        num_rows="dynamic",
        width="stretch",
        column_config={column: st.column_config.TextColumn(max_chars=300, width="large")},
    )
    new = tuple(
        str(row[column]).strip() for row in edited if row.get(column) and str(row[column]).strip()
    )
    if list(new) != steps and len(new) <= 30:
        own = () if list(new) == suggested_order(stencil, lesson, lang) else new
        if own != lesson.order:
            _set(replace(lesson, order=own))
    if lesson.order and st.button(tr("teach.app.order_reset", lang), key="teach.order_reset"):
        _set(replace(lesson, order=()))
        st.session_state.pop(ORDER_EDITOR, None)
        st.rerun()


def _colour_list(colours: RegionColours, lang: str) -> None:
    used = colours.used()
    if not used:
        st.caption(tr("teach.colouring.none", lang))
        return
    for key, count in used:
        rgb = palette()[key]
        left, right = st.columns([1, 12])
        left.markdown(
            f'<div style="background:rgb{rgb};height:1.2rem;border-radius:3px"></div>',
            unsafe_allow_html=True,
        )
        right.text(
            tr("teach.app.colour_row", lang, name=tr(f"teach.colour.{key}", lang), regions=count)
        )


def _files(
    stencil: Stencil,
    lesson: Lesson,
    lang: str,
    name: str,
    photo: Callable[[], Photo],
    colours: RegionColours | None,
    store: dict[str, bytes],
) -> None:
    """One-click handout and practice sheet; lesson and profile files to save and load."""

    def handout() -> bytes:
        store["handout_pdf"] = lesson_handout(
            stencil, lesson, lang, name=name, photo=photo(), colours=colours
        )
        return store["handout_pdf"]

    def practice() -> bytes:
        store["practice_pdf"] = practice_pdf(
            lesson, stencil.tones.count, lang, print_settings=stencil.settings.print
        )
        return store["practice_pdf"]

    st.session_state["teach.builders"] = {"handout_pdf": handout, "practice_pdf": practice}
    first, second = st.columns(2)
    first.download_button(
        tr("teach.app.handout", lang),
        handout,
        file_name="lesson.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        width="stretch",
        key="download.teach_handout",
    )
    second.download_button(
        tr("teach.app.practice", lang),
        practice,
        file_name="practice-sheet.pdf",
        mime="application/pdf",
        on_click="ignore",
        width="stretch",
        key="download.teach_practice",
    )
    lesson_json = lesson_to_json(lesson).encode()
    store["lesson_json"] = lesson_json
    with st.expander(tr("teach.app.files", lang)):
        left, right = st.columns(2)
        left.download_button(
            tr("teach.app.lesson_save", lang),
            lesson_json,
            file_name="lesson.json",
            mime="application/json",
            on_click="ignore",
            key="download.teach_lesson",
        )
        right.download_button(
            tr("teach.app.profile_save", lang),
            profile_to_json(lesson.profile).encode(),
            file_name="profile.json",
            mime="application/json",
            on_click="ignore",
            key="download.teach_profile",
        )
        left.file_uploader(
            tr("teach.app.lesson_load", lang),
            type=["json"],
            key=LESSON_FILE,
            on_change=_on_lesson_file,
        )
        right.file_uploader(
            tr("teach.app.profile_load", lang),
            type=["json"],
            key=PROFILE_FILE,
            on_change=_on_profile_file,
        )


def show_burn_tab(
    stencil: Stencil,
    stage_key: str,
    photo: Callable[[], Photo],
    lang: str,
    *,
    name: str,
    dpi: float,
    store: dict[str, bytes],
) -> None:
    """The burn preview tab: controls, the preview, legend with times, guide, order, files.

    Parameters
    ----------
    stencil : Stencil
    stage_key : str
        Cache key of the stencil's regions (the preview does not depend on labels).
    photo : callable
        Returns the photo (cached upstream), for colour suggestions and the handout cover.
    lang : {"en", "id"}
    name : str
        Design name for the handout (plain text).
    dpi : float
        Screen resolution of the preview.
    store : dict
        Where built files are kept, so tests read the bytes a user gets.
    """
    n = stencil.tones.count
    lesson = _start(n)
    for message in st.session_state[MESSAGES]:
        st.error(ui.escape_markdown(message.text(lang)))
    st.session_state[MESSAGES] = []
    _controls(lesson, lang)
    lesson = st.session_state[LESSON]
    colours = _colours(stage_key, photo, stencil) if lesson.colouring else None
    style = BurnStyle(
        wood=lesson.profile.wood,
        techniques=lesson.techniques,
        borders=lesson.borders,
        seed=lesson.seed,
    )
    rgb = None if colours is None else colours.rgb()
    st.image(
        _preview(stage_key, style, colours.keys if colours else (), dpi, stencil, rgb),
        output_format="PNG",
        caption=tr("teach.app.caption", lang, wood=tr(f"teach.wood.{lesson.profile.wood}", lang)),
    )
    _legend(stencil, lesson, lang)
    with st.expander(tr("teach.heading.guide", lang), expanded=True):
        st.caption(tr("teach.app.guide_help", lang))
        _guide_editor(lesson, n, lang)
        if stencil.lines.count:
            st.text(burn_lines_text(stencil, st.session_state[LESSON], lang))
    lesson = st.session_state[LESSON]
    with st.expander(tr("teach.heading.order", lang)):
        _order_editor(stencil, lesson, lang)
    lesson = st.session_state[LESSON]
    if colours is not None:
        with st.expander(tr("teach.heading.colouring", lang), expanded=True):
            _colour_list(colours, lang)
    _files(stencil, lesson, lang, name, photo, colours, store)


def show_time(stencil: Stencil, lang: str) -> None:
    """The estimated burn time of the session's lesson, for the report."""
    lesson = _start(stencil.tones.count)
    time = estimate_time(stencil, lesson)
    st.metric(tr("teach.app.time", lang), format_minutes(time.total_min, lang))
    st.caption(
        tr(
            "teach.app.time_help",
            lang,
            profile=lesson.profile.name,
            trace=format_minutes(time.trace_min, lang),
            lines=format_minutes(time.lines_min, lang),
        )
    )
