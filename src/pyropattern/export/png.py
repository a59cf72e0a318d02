"""PNG exports: the printable stencil at any DPI, the tone map as shown, and the N-gray levels
map for machines."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from ..model import Stencil
from ..render import (
    dpi_for_pixel_size,
    effective_mirror,
    level_grays,
    level_raster,
    render_stencil,
    render_tone_map,
)


def _png(array: np.ndarray, dpi: float) -> bytes:
    buffer = io.BytesIO()
    # Pillow writes the pHYs chunk from ``dpi``, so image viewers and print dialogs know the
    # physical size and print it 1:1.
    Image.fromarray(array).save(buffer, format="PNG", dpi=(dpi, dpi), optimize=False)
    return buffer.getvalue()


def stencil_png(
    stencil: Stencil,
    *,
    dpi: float | None = None,
    mirror: bool | None = None,
    numbers: bool | None = None,
) -> bytes:
    """Return the stencil (lines and numbers on white) as a grayscale PNG.

    Parameters
    ----------
    stencil : Stencil
    dpi : float, optional
        Resolution, written into the file; ``None`` uses ``settings.print.dpi``.
    mirror : bool, optional
        ``None`` follows the print settings (mirror asked for, or toner transfer).
    numbers : bool, optional
        ``None`` follows ``settings.labels.show``.
    """
    settings = stencil.settings
    dpi = settings.print.dpi if dpi is None else dpi
    mirror = effective_mirror(settings.print) if mirror is None else mirror
    numbers = settings.labels.show if numbers is None else numbers
    return _png(render_stencil(stencil, dpi, mirror=mirror, numbers=numbers), dpi)


def tones_png(stencil: Stencil, *, dpi: float | None = None, mirror: bool = False) -> bytes:
    """Return the burn-level map as a grayscale PNG with exactly one gray per level.

    Level 1 is white (255), level N black (0), evenly spaced (:func:`level_grays`), for laser
    engravers and other tools that map gray to power.

    Parameters
    ----------
    stencil : Stencil
    dpi : float, optional
        ``None`` keeps the working resolution (one pixel per working pixel, with the DPI that
        makes it print at the design size); otherwise resampled by nearest neighbour, so no
        in-between gray appears.
    mirror : bool
        Flip left-right (engravers burn the design as seen, so off by default).
    """
    grays = np.array(level_grays(len(stencil.regions.level_grays)), dtype=np.uint8)
    if dpi is None:
        dpi = dpi_for_pixel_size(stencil.regions.scale.mm_per_px)
        image = grays[level_raster(stencil)]
    else:
        image = grays[level_raster(stencil, dpi)]
    if mirror:
        image = image[:, ::-1]
    return _png(np.ascontiguousarray(image), dpi)


def tone_map_png(stencil: Stencil, *, dpi: float | None = None) -> bytes:
    """Return the tone map as the app's Tone map view shows it, for printing or a handout.

    Each level in its burn shade (RGB), with the pattern's lines and numbers on top; never
    mirrored (it is a picture to look at, not a transfer). For a machine that maps gray to
    power, :func:`tones_png` gives the plain levels map.

    Parameters
    ----------
    stencil : Stencil
    dpi : float, optional
        Resolution, written into the file; ``None`` uses ``settings.print.dpi``.
    """
    dpi = stencil.settings.print.dpi if dpi is None else dpi
    return _png(render_tone_map(stencil, dpi, lines=True), dpi)
