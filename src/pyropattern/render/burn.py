"""The burn preview: the stencil burned on a chosen wood, each level with its technique.

What a trainee should see before touching a hot pen: the wood's grain, each level's tone
made of the marks it is burned with (at their real size in mm), the borders as the light
pencil lines of the transfer or as burned outlines, the burn lines as strokes of the writing
tip, and, if the lesson includes it, the colour each area gets after burning.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
from scipy import ndimage

from ..model import Stencil
from . import LineStyle, _polyline, level_raster, mm_to_px, outside_cut, stencil_darkness
from .techniques import (
    DEFAULT_SIZES,
    TECHNIQUES,
    MarkSizes,
    mark_mask,
    plan_level,
    settle_marks,
)
from .wood import (
    DEFAULT_WOOD,
    WOOD_KEYS,
    WOODS,
    WoodSpecies,
    burn_rgb,
    linear_to_srgb,
    srgb_to_linear,
    wood_grain,
    wood_seed,
)

BorderStyle = Literal["pencil", "burned"]
BORDER_STYLES: tuple[str, ...] = typing.get_args(BorderStyle)

_PENCIL_RGB = (118, 116, 112)  # graphite on wood, as a transferred line looks
_PENCIL_ALPHA = 0.45  # a transfer line is light: it should not read as a burn
_PENCIL_MM = 0.3
_OUTLINE_DARKNESS = 0.85  # a writing-tip outline: dark, but not the deepest char
_OUTLINE_MM = 0.4
# Burn-line strokes: the measured width of the dark strip, kept between the finest line a
# writing tip burns and a bold line of a few strokes side by side. (Uncapped, the 3–4 mm
# "lines" the finder reports for small dark spots rendered as big black dots.)
_LINE_MM = (0.3, 1.2)
_CREEP_MM = 0.25  # how far a burn creeps past the line a tip follows (softens level borders)
_MOTTLE = 0.02  # unevenness of a shaded tone (darkness), from overlapping shader strokes
# Coloured pencil / stain over the burn: a translucent layer multiplied onto the wood.
_COLOUR_STRENGTH = 0.7


@dataclass(frozen=True)
class BurnStyle:
    """How the preview looks: the wood, the technique per level, the borders, the seed."""

    wood: str = DEFAULT_WOOD  # a key of render.wood.WOODS
    techniques: tuple[str, ...] = ()  # per level, lightest first; missing levels are shaded
    borders: BorderStyle = "pencil"  # light pencil (transfer) lines or burned outlines
    seed: int = 0  # same seed → same grain, dots and circles
    sizes: MarkSizes = field(default_factory=MarkSizes)

    def __post_init__(self) -> None:
        if self.wood not in WOOD_KEYS:
            raise ValueError(f"wood must be one of {', '.join(WOOD_KEYS)}, got {self.wood!r}")
        for technique in self.techniques:
            if technique not in TECHNIQUES:
                raise ValueError(f"technique must be one of {', '.join(TECHNIQUES)}")
        if self.borders not in BORDER_STYLES:
            raise ValueError(f"borders must be one of {', '.join(BORDER_STYLES)}")

    def technique(self, level: int) -> str:
        """Technique of ``level`` (stored index)."""
        return self.techniques[level] if level < len(self.techniques) else "shading"

    @property
    def species(self) -> WoodSpecies:
        """The wood."""
        return WOODS[self.wood]


def _line_mask(shape: tuple[int, int], paths, dpi: float, widths_mm) -> np.ndarray:
    """Antialiased coverage (0..1) of polylines in mm drawn at ``widths_mm``."""
    canvas = np.full(shape, 255, dtype=np.uint8)
    for points, width in zip(paths, widths_mm, strict=True):
        _polyline(canvas, points, dpi, LineStyle(0.0, width))
    return 1.0 - canvas.astype(np.float32) / 255.0


def _blend_linear(under: np.ndarray, over: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Mix two sRGB images (0..255) in linear light by ``alpha`` (0..1 per pixel)."""
    a = alpha[..., None]
    return linear_to_srgb(srgb_to_linear(under) * (1.0 - a) + srgb_to_linear(over) * a)


def render_burn(
    stencil: Stencil,
    dpi: float,
    style: BurnStyle = BurnStyle(),
    *,
    region_colours: np.ndarray | None = None,
) -> np.ndarray:
    """Simulate the finished piece on wood.

    Parameters
    ----------
    stencil : Stencil
    dpi : float
        Output resolution; the raster is ``render.design_shape_px(stencil, dpi)``.
    style : BurnStyle
        Wood, technique per level, border style, seed.
    region_colours : (R, 3) uint8 array, optional
        A colour per region laid over the burn (coloured pencil or stain); rows of
        ``(255, 255, 255)`` leave a region uncoloured.

    Returns
    -------
    (M, N, 3) uint8 array
    """
    species = style.species
    levels = level_raster(stencil, dpi)
    shape = levels.shape
    mm_per_px = 25.4 / dpi
    grain = wood_grain(species, shape, mm_per_px, style.seed)
    n = stencil.tones.count
    darkness = stencil_darkness(stencil)
    # Per level: the toasted ground and the marks' darkness, looked up per pixel at the end.
    ground_of = np.zeros(n, dtype=np.float32)
    mark_of = np.zeros(n, dtype=np.float32)
    marks = np.zeros(shape, dtype=np.float32)
    rng = np.random.default_rng(wood_seed("marks", style.seed))
    boxes = ndimage.find_objects(levels.astype(np.int32) + 1, max_label=n)
    for level in range(1, n):
        plan = plan_level(species, style.technique(level), level, float(darkness[level]))
        ground_of[level], mark_of[level] = plan.ground, plan.mark
        box = boxes[level]
        if box is None or plan.coverage <= 0:
            continue
        here = levels[box] == level
        local = mark_mask(
            plan,
            here.shape,
            mm_per_px,
            rng,
            origin_mm=(box[1].start * mm_per_px, box[0].start * mm_per_px),
            sizes=style.sizes,
            where=here,
        )
        marks[box][here] = local[here]
        # Random marks never cover exactly the planned share: settle ground and mark
        # darkness on the share they did cover, so the level reads as its legend tone.
        covered = float(local[here].mean())
        ground_of[level], mark_of[level] = settle_marks(
            species, float(darkness[level]), plan.mark, covered
        )
    ground = ground_of[levels]
    shaded = np.array([style.technique(k) == "shading" and k > 0 for k in range(n)])
    if shaded.any():
        # Overlapping shader strokes leave the tone a little uneven, in patches about 2 mm
        # across and 8 mm along the grain.
        cells = (max(2, round(shape[0] * mm_per_px / 2)), max(2, round(shape[1] * mm_per_px / 8)))
        mottle = cv2.resize(
            rng.standard_normal(cells).astype(np.float32),
            (shape[1], shape[0]),
            interpolation=cv2.INTER_CUBIC,
        )
        ground = np.where(shaded[levels], np.clip(ground + _MOTTLE * mottle, 0.0, 1.0), ground)
    sigma = float(mm_to_px(_CREEP_MM, dpi))
    if sigma >= 0.3:
        ground = cv2.GaussianBlur(ground, (0, 0), sigma)
    rgb = burn_rgb(species, grain, ground)
    if marks.any():
        marked = marks > 0
        mark_dark = mark_of[levels[marked]]
        over = burn_rgb(species, grain[marked], np.maximum(mark_dark, ground[marked]))
        rgb[marked] = _blend_linear(rgb[marked], over, marks[marked])
    rgb = _draw_borders(stencil, rgb, dpi, style, species, grain)
    rgb = _draw_burn_lines(stencil, rgb, dpi, species, grain)
    if region_colours is not None:
        rgb = _colour(stencil, rgb, region_colours)
    outside = outside_cut(stencil, shape)
    if outside is not None:  # a product blank: around it is paper, not wood
        rgb[outside] = 255
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


def _draw_borders(
    stencil: Stencil,
    rgb: np.ndarray,
    dpi: float,
    style: BurnStyle,
    species: WoodSpecies,
    grain: np.ndarray,
) -> np.ndarray:
    """Region borders as pencil or burned outlines; the frame is the board's edge, not drawn."""
    paths = [b.points for b in stencil.outlines.boundaries]
    if style.borders == "pencil":
        mask = _line_mask(rgb.shape[:2], paths, dpi, [_PENCIL_MM] * len(paths))
        pencil = np.broadcast_to(np.array(_PENCIL_RGB, dtype=np.float32), rgb.shape)
        drawn = mask > 0
        rgb[drawn] = _blend_linear(rgb[drawn], pencil[drawn], _PENCIL_ALPHA * mask[drawn])
    else:
        mask = _line_mask(rgb.shape[:2], paths, dpi, [_OUTLINE_MM] * len(paths))
        drawn = mask > 0
        over = burn_rgb(species, grain[drawn], np.full(drawn.sum(), _OUTLINE_DARKNESS, np.float32))
        rgb[drawn] = _blend_linear(rgb[drawn], over, mask[drawn])
    return rgb


def _draw_burn_lines(
    stencil: Stencil, rgb: np.ndarray, dpi: float, species: WoodSpecies, grain: np.ndarray
) -> np.ndarray:
    """Burn lines as writing-tip strokes at their measured width (bold ones darker)."""
    lines = stencil.lines
    for bold in (False, True):
        chosen = [k for k in range(lines.count) if lines.bold[k] == bold]
        if not chosen:
            continue
        widths = [float(np.clip(lines.widths_mm[k], *_LINE_MM)) for k in chosen]
        mask = _line_mask(rgb.shape[:2], [lines.paths[k] for k in chosen], dpi, widths)
        drawn = mask > 0
        darkness = 1.0 if bold else _OUTLINE_DARKNESS
        over = burn_rgb(species, grain[drawn], np.full(drawn.sum(), darkness, np.float32))
        rgb[drawn] = _blend_linear(rgb[drawn], over, mask[drawn])
    return rgb


def _colour(stencil: Stencil, rgb: np.ndarray, region_colours: np.ndarray) -> np.ndarray:
    """Lay each region's colour over the burn, as coloured pencil or stain would."""
    ids = np.asarray(stencil.regions.ids)
    ids = cv2.resize(ids, (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_NEAREST)
    tint = srgb_to_linear(np.asarray(region_colours, dtype=np.float32))[ids]
    layer = 1.0 - _COLOUR_STRENGTH + _COLOUR_STRENGTH * tint
    return linear_to_srgb(srgb_to_linear(rgb) * layer)


def render_swatch(
    species: WoodSpecies,
    technique: str,
    level: int,
    darkness: float,
    size_mm: tuple[float, float],
    dpi: float,
    *,
    seed: int = 0,
    sizes: MarkSizes = DEFAULT_SIZES,
) -> np.ndarray:
    """One level's texture on a patch of wood ``size_mm`` (width, height): a target swatch.

    ``darkness`` is the level's place on the burn scale (``render.stencil_darkness``).

    Returns
    -------
    (M, N, 3) uint8 array
    """
    cols = max(1, round(float(mm_to_px(size_mm[0], dpi))))
    rows = max(1, round(float(mm_to_px(size_mm[1], dpi))))
    mm_per_px = 25.4 / dpi
    plan = plan_level(species, technique, level, darkness)
    grain = wood_grain(species, (rows, cols), mm_per_px, seed)
    rng = np.random.default_rng(wood_seed(f"swatch{level}", seed))
    marks = mark_mask(plan, (rows, cols), mm_per_px, rng, sizes=sizes)
    ground, mark = plan.ground, plan.mark
    if plan.coverage > 0:
        ground, mark = settle_marks(species, darkness, plan.mark, float(marks.mean()))
    rgb = burn_rgb(species, grain, np.full((rows, cols), ground, dtype=np.float32))
    if plan.coverage > 0:
        over = burn_rgb(species, grain, np.full((rows, cols), mark, dtype=np.float32))
        rgb = _blend_linear(rgb, over, marks)
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)
