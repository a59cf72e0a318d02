"""The Burn preview view: the design burned on the class's wood, and the lesson around it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .. import ui
from ..model import Photo, Stencil
from .images import preview_dpi
from .session import DOWNLOADS, lang
from .teach import show_burn_tab


def show_burn_preview(
    stencil: Stencil, keys: ui.StageKeys, photo: Callable[[], Photo], title: str
) -> None:
    """The burn preview on wood with its techniques, burn guide, order and lesson files."""
    # The burn preview shows levels and lines only, so it keeps its image when labels change.
    show_burn_tab(stencil, keys.outlines, photo, lang(), name=title, dpi=preview_dpi(stencil),
                  store=st.session_state[DOWNLOADS])  # fmt: skip
