"""The Pattern view: the numbered lines to trace onto the wood, over faint tones if wanted."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..model import Stencil
from .images import stencil_view, underlay_view
from .session import UNDERLAY, say


def show_pattern(stencil: Stencil, keys: ui.StageKeys) -> None:
    """The stencil as it prints, with the tones faintly under it unless switched off.

    The underlay is for recognising the subject on screen; every download and the PDF are
    the plain pattern.
    """
    st.toggle(say("app.underlay"), key=UNDERLAY, help=say("app.help.underlay"))
    view = underlay_view if st.session_state.get(UNDERLAY, True) else stencil_view
    st.image(view(keys.stencil, stencil), output_format="PNG",
             caption=say("app.caption.stencil"))  # fmt: skip
