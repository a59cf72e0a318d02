"""The Burn preview view: a rough idea of the finished piece on plain wood."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..model import Stencil
from .images import burn_view
from .session import say


def show_burn_preview(stencil: Stencil, keys: ui.StageKeys) -> None:
    """Each level as a sepia burn on plain wood."""
    # The burn preview shows levels only, so it keeps its image when labels change.
    st.image(burn_view(keys.outlines, stencil), output_format="PNG",
             caption=say("app.caption.burn"))  # fmt: skip
