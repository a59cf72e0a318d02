"""The value scale above the views: one swatch per burn level with its share of the design."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..model import Stencil
from ..render import stencil_shades
from .session import lang, say


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
    if stencil.lines.count:
        st.caption(say("app.caption.burn_lines", count=stencil.lines.count))
