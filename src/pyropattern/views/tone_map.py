"""The Tone map view: each level in its burn shade under the pattern's lines and numbers."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..model import Stencil
from .images import tones_view
from .session import say


def show_tone_map(stencil: Stencil, keys: ui.StageKeys) -> None:
    """Each level in its burn shade, with the lines and numbers on top."""
    st.image(tones_view(keys.stencil, stencil), output_format="PNG",
             caption=say("app.caption.tones"))  # fmt: skip
