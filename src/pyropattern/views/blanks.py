"""Product blank controls in the sidebar, and the cached stage that clips a design to one."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable

import streamlit as st

from ..blanks import CUSTOM, SHAPES, Blank, clip_to_blank, custom_blank, shipped_blanks
from ..errors import PyropatternError
from ..i18n import tr
from ..model import Photo, Stencil
from ..ui import StageKeys

NONE = "none"
BLANK, SHAPE, WIDTH, HEIGHT, MARGIN = (
    "blank.id", "blank.shape", "blank.width_mm", "blank.height_mm", "blank.margin_mm",
)


def _keep(key: str, default: object) -> None:
    # Selects travel to the browser as their shown text; writing the stored value back before
    # the widget is drawn keeps the choice across a language switch.
    st.session_state[key] = st.session_state.get(key, default)


def blank_controls(lang: str) -> tuple[Blank | None, str | None]:
    """Draw the blank picker; return the blank (``None`` for a plain rectangle) and, when the
    sizes entered are refused, the translated reason."""
    shipped = shipped_blanks()
    options = [NONE, *shipped, CUSTOM]
    _keep(BLANK, NONE)
    st.selectbox(
        tr("select.app.blank", lang),
        options,
        key=BLANK,
        format_func=lambda choice: tr(f"select.blank.{choice}", lang),
        help=tr("select.app.help.blank", lang),
    )
    choice = st.session_state[BLANK]
    if choice == NONE:
        return None, None
    base = shipped.get(choice) or custom_blank("ellipse", 120.0, 120.0)
    if choice == CUSTOM:
        _keep(SHAPE, "ellipse")
        st.selectbox(tr("select.app.blank_shape", lang), SHAPES, key=SHAPE,
                     format_func=lambda shape: tr(f"select.shape.{shape}", lang))
        left, right = st.columns(2)
        left.number_input(tr("select.app.blank_width", lang), 15.0, 1000.0, 120.0, 5.0,
                          key=WIDTH, format="%.0f")
        right.number_input(tr("select.app.blank_height", lang), 15.0, 1000.0, 120.0, 5.0,
                           key=HEIGHT, format="%.0f")
    margin = st.number_input(tr("select.app.blank_margin", lang), 0.0, 50.0,
                             float(base.margin_mm), 0.5, key=f"{MARGIN}.{choice}")
    try:
        if choice == CUSTOM:
            return custom_blank(st.session_state[SHAPE], st.session_state[WIDTH],
                                st.session_state[HEIGHT], margin), None
        return dataclasses.replace(base, margin_mm=margin), None
    except PyropatternError as err:
        return None, err.text(lang)


def _fold(key: str, blank: Blank) -> str:
    return hashlib.sha1(f"{key}|{blank!r}".encode()).hexdigest()


@st.cache_resource(max_entries=4, show_spinner=False)
def _clipped(key: str, _photo: Callable[[], Photo], _stencil: Stencil, _blank: Blank) -> Stencil:
    return clip_to_blank(_photo(), _stencil, _blank)


def clip(
    stencil: Stencil, keys: StageKeys, blank: Blank, photo: Callable[[], Photo]
) -> tuple[Stencil, StageKeys]:
    """The stencil clipped to ``blank`` (cached), with stage keys that tell it apart.

    ``stencil`` must be built with :func:`pyropattern.blanks.fit_settings` settings.
    """
    folded = dataclasses.replace(
        keys,
        clean=_fold(keys.clean, blank),
        outlines=_fold(keys.outlines, blank),
        labels=_fold(keys.labels, blank),
        stencil=_fold(keys.stencil, blank),
    )
    return _clipped(folded.stencil, photo, stencil, blank), folded
