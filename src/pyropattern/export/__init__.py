"""Files for printing and for other tools: print-ready PDF, layered SVG, PNG rasters.

The app and the command line need only these::

    stencil_pdf(stencil, lang, name=..., tiles=None, contents="full", copies=1, photo=None)
    pdf_page_count(sheets, contents, copies) -> int
    stencil_svg(stencil, lang, mirror=None, numbers=None, legend=False) -> str
    stencil_png(stencil, dpi=None, mirror=None, numbers=None) -> bytes
    tone_map_png(stencil, dpi=None) -> bytes   (as the Tone map view shows it)
    tones_png(stencil, dpi=None) -> bytes      (one gray per level, for laser engravers)
    plan_tiles(width_mm, height_mm, print_settings) -> TilePlan
    one_sheet_width_mm(aspect, print_settings) -> float
    narrower_for_one_sheet(width_mm, height_mm, print_settings) -> int | None
"""

from .pdf import CONTENTS, MAX_COPIES, pdf_page_count, printed_tiles, stencil_pdf
from .png import stencil_png, tone_map_png, tones_png
from .svg import stencil_svg
from .tiling import TilePlan, narrower_for_one_sheet, one_sheet_width_mm, plan_tiles

__all__ = [
    "CONTENTS",
    "MAX_COPIES",
    "TilePlan",
    "narrower_for_one_sheet",
    "one_sheet_width_mm",
    "pdf_page_count",
    "plan_tiles",
    "printed_tiles",
    "stencil_pdf",
    "stencil_png",
    "stencil_svg",
    "tone_map_png",
    "tones_png",
]
