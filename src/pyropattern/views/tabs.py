"""The views as tabs: only the open one is drawn."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .. import ui
from ..blanks import Blank
from ..model import Photo, Stencil
from ..settings import Settings
from .burn import show_burn_preview
from .classpack import show_pack
from .compare import show_compare
from .difficulty import rated, show_difficulty
from .legend import show_legend
from .library import show_library
from .notes import show_notes
from .pattern import show_pattern
from .report import show_report
from .session import TAB_KEYS, VIEW, lang, say
from .teach import show_time
from .tone_map import show_tone_map
from .variants import show_variants


def show_views(
    stencil: Stencil,
    keys: ui.StageKeys,
    photo_name: str,
    photo_image: Callable[[], bytes],
    photo: Callable[[], Photo],
    title: str,
    selection: tuple[Settings, tuple[str, bytes, str], Blank | None],
) -> None:
    """The legend, difficulty and the engine's notes, then the tabs: stencil, tone map, burn
    preview, side by side, report, and the selection tabs (variants, library, class pack).

    ``selection`` is the settings on screen (before any blank fitting), the photo as
    ``(name, bytes, digest)`` and the product blank in use.

    ``photo_name`` is markdown-escaped (captions render markdown); ``title`` is the same name
    as plain text, for the lesson handout; ``photo`` returns the photo (colours, cover).

    The tabs rerun on switching and only the open one is drawn, so a changed setting
    renders one view, not five. (Where Streamlit does not track the open tab, all are drawn.)
    """
    show_legend(stencil)
    show_difficulty(rated(keys.stencil, stencil), lang())
    show_notes(stencil)
    settings, current_photo, blank = selection
    tabs = st.tabs([say(tab) for tab in TAB_KEYS], key=VIEW, on_change="rerun")
    drawers = (
        lambda: show_pattern(stencil, keys),
        lambda: show_tone_map(stencil, keys),
        lambda: show_burn_preview(stencil, keys, photo, title),
        lambda: show_compare(stencil, keys, photo_name, photo_image),
        lambda: show_report_and_time(stencil),
        lambda: show_variants(settings, current_photo, blank, lang()),
        lambda: show_library(settings, lang()),
        lambda: show_pack(settings, blank, lang()),
    )
    for tab, draw in zip(tabs, drawers, strict=True):
        if tab.open is not False:
            with tab:
                draw()


def show_report_and_time(stencil: Stencil) -> None:
    """The report, then the estimated burn time of the session's lesson."""
    show_report(stencil)
    show_time(stencil, lang())
