"""The previews the views show, rendered once per stencil and kept as PNG bytes.

Keys are the stage keys of :func:`pyropattern.ui.stage_keys`; arguments starting with "_"
are not hashed, the key stands for them.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .. import ui
from ..model import Photo, Stencil
from ..prepare import orient_and_crop
from ..render import render_stencil, render_tone_map
from ..settings import Settings

# Width of the on-screen previews, px: about the stencil column on a 1920 px projector; 1400
# px cost ≈15 ms more per changed view (render + PNG) for no visible gain.
PREVIEW_PX = 1200


def preview_dpi(stencil: Stencil) -> float:
    """Resolution that makes the on-screen previews :data:`PREVIEW_PX` wide."""
    return PREVIEW_PX * 25.4 / stencil.width_mm


@st.cache_data(max_entries=8, show_spinner=False)
def stencil_view(key: str, _stencil: Stencil) -> bytes:
    """The stencil (lines and numbers) as a PNG for the screen."""
    return ui.png_bytes(render_stencil(_stencil, preview_dpi(_stencil)))


@st.cache_data(max_entries=8, show_spinner=False)
def tones_view(key: str, _stencil: Stencil) -> bytes:
    """Each level in its burn shade, lines and numbers on top, as a PNG for the screen."""
    return ui.png_bytes(render_tone_map(_stencil, preview_dpi(_stencil), lines=True))


@st.cache_data(max_entries=4, show_spinner=False)
def photo_view(
    digest: str, framing: str, _photo: Callable[[], Photo], _settings: Settings
) -> bytes:
    """The photo turned, flipped and cropped as the stencil is, as a PNG for the screen."""
    framed = orient_and_crop(_photo().rgb, _settings.prepare)
    return ui.png_bytes(framed, max_width=PREVIEW_PX // 2)


@st.cache_data(max_entries=8, show_spinner=False)
def underlay_view(key: str, _stencil: Stencil) -> bytes:
    """The stencil over a faint tone map, as a PNG for the screen (never printed)."""
    dpi = preview_dpi(_stencil)
    lines = render_stencil(_stencil, dpi)
    return ui.png_bytes(ui.tone_underlay(lines, render_tone_map(_stencil, dpi)))
