"""Technique textures: the marks a tip leaves for each level, sized in mm at print size.

A level is burned with one technique: smooth shading (an even tone), stippling (dots whose
density rises with the level), hatching (parallel lines), cross-hatching (the layered
value-scale method: level k adds one more direction, so the level stored as k has k
directions) or small circles (scumbling). Whatever the technique, the level must read as the
same tone as its legend swatch from arm's length, so each technique's coverage is solved in
linear light: ``coverage × mark + (1 − coverage) × wood under it`` equals the swatch.

Where the marks alone cannot reach the tone without merging into a solid char (their
coverage is capped per technique so the texture stays visible), the area under them is
toasted first with the shader, as pyrographers do; :func:`plan_level` returns both.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import cv2
import numpy as np

from .wood import WoodSpecies, burn_colour, luminance

Technique = Literal["shading", "stipple", "hatching", "crosshatch", "circles"]
TECHNIQUES: tuple[str, ...] = typing.get_args(Technique)

# Largest share of the area the marks may cover (union of all marks): above this a texture
# reads as a flat burn. Hatching lines merge earliest; dots and circles can pack tighter.
_MAX_COVERAGE = {"stipple": 0.9, "hatching": 0.75, "crosshatch": 0.92, "circles": 0.9}
# Marks stay at least this much darker than the toasted ground, so they remain visible.
_MARK_OVER_GROUND = 0.15
# Hatch directions in the order cross-hatching adds them, degrees from the x axis.
HATCH_ANGLES = (45.0, 135.0, 0.0, 90.0, 22.5, 112.5, 67.5, 157.5, 11.25)


@dataclass(frozen=True)
class MarkSizes:
    """Sizes of the marks on the wood, mm at print size (what the tip leaves)."""

    line_mm: float = 0.4  # width of a hatching line (writing tip)
    dot_mm: float = 0.6  # diameter of a stipple dot (ball tip)
    circle_mm: float = 1.6  # outer diameter of a small circle
    circle_line_mm: float = 0.3  # line width of a small circle


DEFAULT_SIZES = MarkSizes()


@dataclass(frozen=True)
class LevelPlan:
    """How one level is burned: the toasted ground, the marks on it and how much they cover."""

    technique: str
    ground: float  # darkness of the even burn under the marks, 0..1 (the whole tone for shading)
    mark: float  # darkness of each mark, 0..1
    coverage: float  # share of the area the marks cover (union), 0..1
    angles: tuple[float, ...]  # hatch directions, degrees (hatching and cross-hatching only)
    per_direction: float  # coverage of one hatch direction


def _solve_ground(species: WoodSpecies, target_y: float) -> float:
    """Darkness of an even burn whose luminance is ``target_y`` (luminance falls with darkness)."""
    grid = np.linspace(0.0, 1.0, 1001)
    ys = luminance(burn_colour(species, grid))
    return float(np.interp(target_y, ys[::-1], grid[::-1]))


def ground_under(species: WoodSpecies, target: float, mark: float, coverage: float) -> float:
    """Darkness of the toasted ground that, with marks covering ``coverage``, reads as ``target``.

    Solved in linear light; 0 when the marks alone reach the tone (or overshoot it), and kept
    :data:`_MARK_OVER_GROUND` lighter than the marks so they stay visible.
    """
    if coverage >= 1.0:
        return mark
    y_target, y_mark = (float(luminance(burn_colour(species, d))) for d in (target, mark))
    ground_y = (y_target - coverage * y_mark) / (1.0 - coverage)
    ground = (
        _solve_ground(species, ground_y)
        if ground_y < float(luminance(burn_colour(species, 0.0)))
        else 0.0
    )
    return float(np.clip(ground, 0.0, max(0.0, mark - _MARK_OVER_GROUND)))


def settle_marks(
    species: WoodSpecies, target: float, mark: float, covered: float
) -> tuple[float, float]:
    """(ground, mark) darkness for marks that ended up covering ``covered`` of the area.

    Random marks never cover exactly the planned share. Too few: the ground under them is
    toasted a little more. Too many (the tone is reached with no ground at all): the marks
    themselves are burned a little lighter. Either way the level reads as ``target``.
    """
    ground = ground_under(species, target, mark, covered)
    if ground > 0 or covered <= 0:
        return ground, mark
    y_bare, y_target = (float(luminance(burn_colour(species, d))) for d in (0.0, target))
    mark_y = (y_target - (1.0 - covered) * y_bare) / covered
    return 0.0, min(mark, max(target, _solve_ground(species, mark_y)))


def plan_level(species: WoodSpecies, technique: str, level: int, darkness: float) -> LevelPlan:
    """Plan the marks of ``level`` (stored index, 0 = bare) on ``species``.

    The tone to reach is the legend's: an even burn at ``darkness`` (0..1, the level's place
    on the burn scale, ``render.stencil_darkness``). Cross-hatching gives level k k directions.
    """
    if technique not in TECHNIQUES:
        raise ValueError(f"technique must be one of {', '.join(TECHNIQUES)}, got {technique!r}")
    target = float(darkness)
    if level == 0 or technique == "shading":
        return LevelPlan(technique, target, target, 0.0, (), 0.0)
    # Light levels are burned with lighter marks, so a level-2 stipple is not black dots.
    mark = min(1.0, max(0.55, target + 0.4))
    y_bare, y_mark, y_target = (
        float(luminance(burn_colour(species, d))) for d in (0.0, mark, target)
    )
    # The cap rises with the level too, so darker levels always carry more marks (denser
    # dots, closer lines), even where the toasted ground supplies part of the tone.
    cap = _MAX_COVERAGE[technique] * (0.6 + 0.4 * target)
    coverage = float(np.clip((y_bare - y_target) / max(y_bare - y_mark, 1e-6), 0.0, cap))
    ground = ground_under(species, target, mark, coverage)
    if technique == "hatching":
        angles: tuple[float, ...] = HATCH_ANGLES[:1]
    elif technique == "crosshatch":
        angles = tuple(HATCH_ANGLES[(k % len(HATCH_ANGLES))] for k in range(level))
    else:
        angles = ()
    per_direction = 1.0 - (1.0 - coverage) ** (1.0 / len(angles)) if angles else 0.0
    return LevelPlan(technique, ground, mark, coverage, angles, per_direction)


def stipple_density(plan: LevelPlan, sizes: MarkSizes = DEFAULT_SIZES) -> float:
    """Dots per mm² that give ``plan.coverage`` (random dots: coverage = 1 − exp(−density·area))."""
    if plan.technique != "stipple" or plan.coverage <= 0:
        return 0.0
    area = np.pi * (sizes.dot_mm / 2) ** 2
    return float(-np.log1p(-plan.coverage) / area)


def circle_density(plan: LevelPlan, sizes: MarkSizes = DEFAULT_SIZES) -> float:
    """Small circles per mm² that give ``plan.coverage`` (same law as dots, ring area)."""
    radius = (sizes.circle_mm - sizes.circle_line_mm) / 2
    area = 2 * np.pi * radius * sizes.circle_line_mm
    return float(-np.log1p(-plan.coverage) / area)


@lru_cache(maxsize=32)
def _kernel(kind: str, size_mm: float, line_mm: float, mm_per_px: float) -> np.ndarray:
    """Antialiased footprint of a dot (disk) or a circle (ring), each pixel its covered share."""
    radius_px = size_mm / 2 / mm_per_px
    half = int(np.ceil(radius_px)) + 1
    sub = 4  # 4 × 4 samples per pixel
    offsets = (np.arange(sub) + 0.5) / sub - 0.5
    coords = np.arange(-half, half + 1)[:, None] + offsets[None, :]
    coords = coords.ravel()
    dist = np.hypot(coords[:, None], coords[None, :])
    if kind == "dot":
        inside = dist <= radius_px
    else:
        half_line = line_mm / 2 / mm_per_px
        inside = np.abs(dist - (radius_px - half_line)) <= half_line
    size = 2 * half + 1
    kernel = inside.reshape(size, sub, size, sub).mean(axis=(1, 3))
    return kernel.astype(np.float32)


def _scatter(
    rng: np.random.Generator,
    shape: tuple[int, int],
    density_per_mm2: float,
    mm_per_px: float,
    kernel: np.ndarray,
) -> np.ndarray:
    """Marks at random spots (a Poisson field of ``density_per_mm2``), stamped with ``kernel``."""
    rows, cols = shape
    area_mm2 = rows * cols * mm_per_px**2
    count = int(rng.poisson(density_per_mm2 * area_mm2))
    flat = rng.integers(0, rows * cols, size=count)
    counts = np.bincount(flat, minlength=rows * cols).astype(np.float32).reshape(rows, cols)
    stamped = cv2.filter2D(counts, -1, kernel, borderType=cv2.BORDER_CONSTANT)
    return np.minimum(stamped, 1.0)


def _hatch(
    x_mm: np.ndarray,
    y_mm: np.ndarray,
    mm_per_px: float,
    angle: float,
    spacing_mm: float,
    width_mm: float,
    wobble_mm: np.ndarray | float = 0.0,
) -> np.ndarray:
    """Parallel antialiased lines at the points (x, y) in design mm, so areas line up.

    ``wobble_mm`` shifts the lines sideways per point (a hand is not a ruler).
    """
    theta = np.deg2rad(angle)
    # The normal to lines at ``angle`` (y down): a point's distance along it picks its line.
    along = (-np.sin(theta) * x_mm + np.cos(theta) * y_mm + wobble_mm) / spacing_mm
    dist_mm = np.abs(along - np.round(along)) * spacing_mm
    return np.clip((width_mm / 2 - dist_mm) / mm_per_px + 0.5, 0.0, 1.0).astype(np.float32)


def mark_mask(
    plan: LevelPlan,
    shape: tuple[int, int],
    mm_per_px: float,
    rng: np.random.Generator,
    *,
    origin_mm: tuple[float, float] = (0.0, 0.0),
    sizes: MarkSizes = DEFAULT_SIZES,
    where: np.ndarray | None = None,
) -> np.ndarray:
    """Where the marks of ``plan`` fall on a raster: 0 = none, 1 = fully burned mark.

    Parameters
    ----------
    plan : LevelPlan
        From :func:`plan_level`.
    shape : (int, int)
        Raster (rows, cols) to fill.
    mm_per_px : float
        Pixel size on the wood, mm.
    rng : numpy.random.Generator
        Places dots and circles; seed it for a repeatable texture.
    origin_mm : (float, float)
        (x, y) mm of the raster's top-left in the design, so hatching lines continue across
        areas drawn separately.
    sizes : MarkSizes
    where : (M, N) bool array, optional
        Only these pixels are needed (hatching is then computed there alone; an area's
        bounding box is often mostly other levels).

    Returns
    -------
    (M, N) float32 array in 0..1
    """
    if plan.coverage <= 0:
        return np.zeros(shape, dtype=np.float32)
    if plan.technique == "stipple":
        kernel = _kernel("dot", sizes.dot_mm, 0.0, mm_per_px)
        return _scatter(rng, shape, stipple_density(plan, sizes), mm_per_px, kernel)
    if plan.technique == "circles":
        kernel = _kernel("ring", sizes.circle_mm, sizes.circle_line_mm, mm_per_px)
        return _scatter(rng, shape, circle_density(plan, sizes), mm_per_px, kernel)
    spacing = sizes.line_mm / max(plan.per_direction, 1e-6)
    rows, cols = np.nonzero(where) if where is not None else np.indices(shape).reshape(2, -1)
    y = origin_mm[1] + (rows.astype(np.float32) + 0.5) * mm_per_px
    x = origin_mm[0] + (cols.astype(np.float32) + 0.5) * mm_per_px
    free = np.ones(len(rows), dtype=np.float32)
    for angle in plan.angles:
        wobble = _wobble(rng, shape, mm_per_px, spacing)[rows, cols]
        free *= 1.0 - _hatch(x, y, mm_per_px, angle, spacing, sizes.line_mm, wobble)
    marks = np.zeros(shape, dtype=np.float32)
    marks[rows, cols] = 1.0 - free
    return marks


def _wobble(
    rng: np.random.Generator, shape: tuple[int, int], mm_per_px: float, spacing_mm: float
) -> np.ndarray:
    """A hand's waver: lines drift sideways by up to about a fifth of their spacing over a
    few millimetres, so hatching does not look ruled."""
    cell = 4.0 / mm_per_px
    rows, cols = max(2, int(shape[0] / cell) + 2), max(2, int(shape[1] / cell) + 2)
    grid = rng.standard_normal((rows, cols)).astype(np.float32)
    size = (round(cols * cell), round(rows * cell))
    full = cv2.resize(grid, size, interpolation=cv2.INTER_LINEAR)
    return 0.1 * spacing_mm * full[: shape[0], : shape[1]]
