"""The Pattern view: the numbered lines to trace onto the wood."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..model import Stencil
from .images import stencil_view
from .session import say


def show_pattern(stencil: Stencil, keys: ui.StageKeys) -> None:
    """The stencil as it prints: lines and level numbers."""
    st.image(stencil_view(keys.stencil, stencil), output_format="PNG",
             caption=say("app.caption.stencil"))  # fmt: skip
