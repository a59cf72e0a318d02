"""The difficulty badge, burn time and the reasons, shown under the legend."""

from __future__ import annotations

import streamlit as st

from ..difficulty import (
    Difficulty,
    badge_text,
    format_burn_time,
    rate_difficulty,
    reasons_text,
)
from ..i18n import tr
from ..model import Stencil
from ..ui import escape_markdown

BAND_COLORS = {"beginner": "green", "intermediate": "orange", "advanced": "red"}


@st.cache_resource(max_entries=16, show_spinner=False)
def rated(key: str, _stencil: Stencil) -> Difficulty:
    """The stencil's difficulty, cached under the stencil's stage key."""
    return rate_difficulty(_stencil)


def show_difficulty(difficulty: Difficulty, lang: str) -> None:
    """Badge in the band's colour, then burn time and reasons as plain text."""
    st.badge(badge_text(difficulty, lang), color=BAND_COLORS[difficulty.band])
    time = tr("select.app.time", lang, time=format_burn_time(difficulty.burn_minutes, lang))
    why = tr("select.app.why", lang, reasons=reasons_text(difficulty, lang))
    st.caption(escape_markdown(f"{time} {why}"))
