"""Files for printing and for other tools: print-ready PDF, layered SVG, PNG rasters.

The app and the command line need only these::

    stencil_pdf(stencil, lang, name=..., tiles=None) -> bytes
    stencil_svg(stencil, lang, mirror=None, numbers=None, legend=False) -> str
    stencil_png(stencil, dpi=None, mirror=None, numbers=None) -> bytes
    tones_png(stencil, dpi=None) -> bytes
    plan_tiles(width_mm, height_mm, print_settings) -> TilePlan
"""

from .pdf import printed_tiles, stencil_pdf
from .png import stencil_png, tones_png
from .svg import stencil_svg
from .tiling import TilePlan, plan_tiles

__all__ = [
    "TilePlan",
    "plan_tiles",
    "printed_tiles",
    "stencil_pdf",
    "stencil_png",
    "stencil_svg",
    "tones_png",
]
