"""The previews the views show, rendered once per stencil and kept as PNG bytes.

Keys are the stage keys of :func:`pyropattern.ui.stage_keys`. The bytes live in the server's
stage cache (``views/classroom.py``) and are made in a slot of its queue.
"""

from __future__ import annotations

from collections.abc import Callable

from .. import ui
from ..model import Photo, Stencil
from ..prepare import orient_and_crop
from ..render import render_stencil, render_tone_map
from ..settings import Settings
from .classroom import cached, gated

# Width of the on-screen previews, px: about the stencil column on a 1920 px projector; 1400
# px cost ≈15 ms more per changed view (render + PNG) for no visible gain.
PREVIEW_PX = 1200


def preview_dpi(stencil: Stencil) -> float:
    """Resolution that makes the on-screen previews :data:`PREVIEW_PX` wide."""
    return PREVIEW_PX * 25.4 / stencil.width_mm


def stencil_view(key: str, stencil: Stencil) -> bytes:
    """The stencil (lines and numbers) as a PNG for the screen."""

    def render() -> bytes:
        return ui.png_bytes(render_stencil(stencil, preview_dpi(stencil)))

    return gated(lambda: cached(("stencil_view", key), render))


def tones_view(key: str, stencil: Stencil) -> bytes:
    """Each level in its burn shade, lines and numbers on top, as a PNG for the screen."""

    def render() -> bytes:
        return ui.png_bytes(render_tone_map(stencil, preview_dpi(stencil), lines=True))

    return gated(lambda: cached(("tones_view", key), render))


def photo_view(digest: str, framing: str, photo: Callable[[], Photo], settings: Settings) -> bytes:
    """The photo turned, flipped and cropped as the stencil is, as a PNG for the screen."""

    def frame() -> bytes:
        framed = orient_and_crop(photo().rgb, settings.prepare)
        return ui.png_bytes(framed, max_width=PREVIEW_PX // 2)

    return gated(lambda: cached(("photo_view", digest, framing), frame))


def underlay_view(key: str, stencil: Stencil) -> bytes:
    """The stencil over a faint tone map, as a PNG for the screen (never printed)."""

    def render() -> bytes:
        dpi = preview_dpi(stencil)
        lines = render_stencil(stencil, dpi)
        return ui.png_bytes(ui.tone_underlay(lines, render_tone_map(stencil, dpi)))

    return gated(lambda: cached(("underlay_view", key), render))
