"""Woods to preview a burn on: procedural grain textures and each wood's burn colour scale.

No image is downloaded or shipped: every texture is drawn from a seeded random generator, so
the same seed, size and resolution always give the same pixels. Growth rings run along the
x axis (a board cut along its length), drawn in millimetres so a ring is as wide on screen as
on the wood at any resolution.

A burn is described by a *darkness* in 0..1 along the wood's own burn scale (0 = bare wood,
1 = the darkest char a tip makes on it); :func:`burn_rgb` turns darkness into colour and fades
the grain as the char deepens, the way grain disappears under a dark burn.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from ..model import frozen_array


@dataclass(frozen=True)
class WoodSpecies:
    """One wood: its bare colour, grain and the colours a burn passes through on it."""

    key: str  # stable id used in profiles and files, e.g. "pinus"
    # Colours from bare wood to the darkest char, evenly spaced in darkness; the first is
    # the wood's mean bare colour.
    burn_path: tuple[tuple[int, int, int], ...]
    ring_mm: float  # spacing of growth rings (or of the veneer figure), mm
    ring_contrast: float  # how much darker latewood is than earlywood, 0..1
    ring_sharpness: float  # exponent of the ring profile: higher = thinner, crisper latewood
    wave: float  # how far rings wander, in ring spacings
    fibre: float  # strength of the fine fibre streaks, 0..1

    @property
    def bare_rgb(self) -> tuple[int, int, int]:
        """Mean colour of the bare wood."""
        return self.burn_path[0]


# Colours picked by eye from photos of each wood, bare and burned (toasted, brown, char);
# pine's path is the one every legend and tone map uses (render.level_shades).
WOODS: dict[str, WoodSpecies] = {
    wood.key: wood
    for wood in (
        WoodSpecies(
            "pinus",
            ((233, 205, 160), (196, 150, 98), (139, 88, 48), (84, 50, 27), (36, 22, 14)),
            ring_mm=6.0,
            ring_contrast=0.30,
            ring_sharpness=5.0,
            wave=0.9,
            fibre=0.05,
        ),
        WoodSpecies(
            "mahoni",
            ((172, 104, 70), (140, 80, 52), (105, 58, 37), (68, 38, 25), (32, 19, 13)),
            ring_mm=2.5,
            ring_contrast=0.12,
            ring_sharpness=2.5,
            wave=0.3,
            fibre=0.08,
        ),
        WoodSpecies(
            "jati_belanda",
            ((226, 196, 146), (192, 146, 92), (136, 86, 46), (82, 49, 27), (35, 22, 14)),
            ring_mm=8.0,
            ring_contrast=0.38,
            ring_sharpness=6.0,
            wave=1.4,
            fibre=0.06,
        ),
        WoodSpecies(
            "sengon",
            ((236, 221, 190), (204, 170, 122), (148, 100, 60), (88, 56, 33), (38, 25, 17)),
            ring_mm=9.0,
            ring_contrast=0.07,
            ring_sharpness=2.0,
            wave=0.6,
            fibre=0.10,
        ),
        WoodSpecies(
            "basswood",
            ((241, 229, 203), (210, 176, 126), (152, 104, 62), (90, 57, 32), (37, 24, 15)),
            ring_mm=7.0,
            ring_contrast=0.05,
            ring_sharpness=2.0,
            wave=0.4,
            fibre=0.03,
        ),
        WoodSpecies(
            "birch_plywood",
            ((236, 214, 176), (202, 164, 114), (146, 98, 58), (88, 54, 31), (36, 23, 15)),
            ring_mm=14.0,
            ring_contrast=0.12,
            ring_sharpness=3.0,
            wave=2.5,
            fibre=0.04,
        ),
    )
}
WOOD_KEYS: tuple[str, ...] = tuple(WOODS)
DEFAULT_WOOD = "pinus"


# --- colour helpers ------------------------------------------------------------------------


def _srgb_to_linear_exact(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64) / 255.0
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


# Lookup tables instead of a float power per pixel (a power over a 1200 × 800 RGB preview
# cost ≈60 ms each way; a table lookup ≈8 ms). Quarter steps of sRGB in, 1/16384 of linear
# light out: both far below what an 8-bit image can show.
_TO_LINEAR = _srgb_to_linear_exact(np.arange(1021) / 4.0).astype(np.float32)
_LINEAR_STEPS = 16384
_TO_SRGB = (
    255.0
    * np.where(
        (grid := np.arange(_LINEAR_STEPS + 1) / _LINEAR_STEPS) <= 0.0031308,
        grid * 12.92,
        1.055 * grid ** (1 / 2.4) - 0.055,
    )
).astype(np.float32)


def srgb_to_linear(values: np.ndarray) -> np.ndarray:
    """sRGB values in 0..255 → linear light in 0..1 (IEC 61966-2-1), via a table."""
    index = np.clip(np.asarray(values, dtype=np.float32) * 4.0 + 0.5, 0, 1020).astype(np.int16)
    return _TO_LINEAR[index]


def linear_to_srgb(values: np.ndarray) -> np.ndarray:
    """Linear light in 0..1 → sRGB values in 0..255 (float), via a table."""
    scaled = np.asarray(values, dtype=np.float32) * _LINEAR_STEPS + 0.5
    return _TO_SRGB[np.clip(scaled, 0, _LINEAR_STEPS).astype(np.int32)]


_LUMA = np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)  # Rec. 709 luminance weights


def luminance(rgb: np.ndarray) -> np.ndarray:
    """Relative luminance Y (linear light, 0..1) of sRGB colours in 0..255, last axis RGB."""
    return srgb_to_linear(rgb) @ _LUMA


def burn_colour(species: WoodSpecies, darkness: np.ndarray | float) -> np.ndarray:
    """Colour (sRGB, float 0..255, last axis RGB) of an even burn of ``darkness`` (0..1)."""
    path = np.array(species.burn_path, dtype=np.float32)
    stops = np.linspace(0.0, 1.0, len(path))
    d = np.clip(np.asarray(darkness, dtype=np.float32), 0.0, 1.0)
    return np.stack([np.interp(d, stops, path[:, c]) for c in range(3)], axis=-1)


def level_tones(species: WoodSpecies, darkness: np.ndarray) -> list[tuple[int, int, int]]:
    """The legend swatch of each level on ``species``: an even burn at the level's darkness.

    ``darkness`` per level comes from ``render.stencil_darkness`` (or ``shade_positions`` for
    evenly spaced levels), so on pine these are exactly the legend's ``stencil_shades``.
    """
    return [tuple(round(float(c)) for c in rgb) for rgb in burn_colour(species, darkness)]


# --- texture -------------------------------------------------------------------------------


def _smooth_noise(
    rng: np.random.Generator, shape: tuple[int, int], cell_px: tuple[float, float]
) -> np.ndarray:
    """Zero-mean, unit-ish noise that varies over ``cell_px`` (rows, cols) pixels."""
    rows = max(2, int(np.ceil(shape[0] / max(cell_px[0], 1.0))) + 2)
    cols = max(2, int(np.ceil(shape[1] / max(cell_px[1], 1.0))) + 2)
    grid = rng.standard_normal((rows, cols)).astype(np.float32)
    # Resize the whole grid so one cell covers cell_px pixels, then cut the design's shape out.
    full = cv2.resize(
        grid,
        (max(shape[1], round(cols * cell_px[1])), max(shape[0], round(rows * cell_px[0]))),
        interpolation=cv2.INTER_CUBIC,
    )
    return full[: shape[0], : shape[1]]


def wood_seed(species_key: str, seed: int) -> int:
    """A stable per-wood seed (``hash`` changes between runs; CRC-32 does not)."""
    return (zlib.crc32(species_key.encode()) ^ (seed * 0x9E3779B1)) & 0xFFFFFFFF


# Grain is drawn at about this pixel size and scaled up: the finest feature (a 0.8 mm fibre)
# keeps two to three pixels, and a 200 mm screen preview's texture costs a quarter.
_GRAIN_MM_PER_PX = 0.3


@lru_cache(maxsize=8)
def _texture(key: str, shape: tuple[int, int], mm_per_px: float, seed: int) -> np.ndarray:
    factor = max(1, round(_GRAIN_MM_PER_PX / mm_per_px))
    if factor == 1:
        return frozen_array(_draw_texture(key, shape, mm_per_px, seed))
    small = (-(-shape[0] // factor), -(-shape[1] // factor))
    coarse = _draw_texture(key, small, mm_per_px * factor, seed)
    size = (small[1] * factor, small[0] * factor)
    full = cv2.resize(coarse, size, interpolation=cv2.INTER_LINEAR)
    return frozen_array(np.ascontiguousarray(full[: shape[0], : shape[1]]))


def _draw_texture(key: str, shape: tuple[int, int], mm_per_px: float, seed: int) -> np.ndarray:
    species = WOODS[key]
    rng = np.random.default_rng(wood_seed(key, seed))
    rows, cols = shape
    px_per_mm = 1.0 / mm_per_px
    y_mm = (np.arange(rows, dtype=np.float32) * mm_per_px)[:, None]
    x_mm = (np.arange(cols, dtype=np.float32) * mm_per_px)[None, :]
    # Rings wander slowly along the board and a little across it.
    wander = _smooth_noise(rng, shape, (40.0 * px_per_mm, 120.0 * px_per_mm))
    tilt = rng.uniform(-0.02, 0.02)
    phase = (y_mm + tilt * x_mm) / species.ring_mm + species.wave * wander
    ring = (phase - np.floor(phase)) ** species.ring_sharpness  # 0 earlywood → 1 latewood
    # Fibre: fine streaks, long along the grain (x) and narrow across it (y).
    # (At 0.35 mm across the streaks read as brushed metal on the screen; 0.8 mm reads as wood.)
    fibre = _smooth_noise(rng, shape, (0.8 * px_per_mm, 25.0 * px_per_mm))
    modulation = 1.0 - species.ring_contrast * ring + species.fibre * fibre
    # Latewood is darker and warmer: blue drops faster than red.
    exponents = np.array([0.8, 1.0, 1.35], dtype=np.float32)
    channels = np.clip(modulation, 0.2, 2.0)[..., None] ** exponents
    channels /= channels.reshape(-1, 3).mean(axis=0)  # the mean stays the bare colour
    return channels.astype(np.float32)


def wood_grain(
    species: WoodSpecies, shape: tuple[int, int], mm_per_px: float, seed: int = 0
) -> np.ndarray:
    """Per-pixel grain factors of ``species`` around its bare colour.

    Parameters
    ----------
    species : WoodSpecies
    shape : (int, int)
        Raster (rows, cols).
    mm_per_px : float
        Size of one pixel on the wood, mm (rings and fibres are sized in mm).
    seed : int
        Same seed, shape and scale give the same grain.

    Returns
    -------
    (M, N, 3) float32 array, read-only
        Multiply by :attr:`WoodSpecies.bare_rgb` for the bare wood; each channel's mean is 1.
    """
    return _texture(species.key, (int(shape[0]), int(shape[1])), float(mm_per_px), int(seed))


_DARKNESS_STEPS = 1024  # burn colours looked up in 1/1023 steps of darkness


@lru_cache(maxsize=16)
def _burn_table(key: str) -> np.ndarray:
    return burn_colour(WOODS[key], np.linspace(0.0, 1.0, _DARKNESS_STEPS)).astype(np.float32)


def burn_rgb(species: WoodSpecies, grain: np.ndarray, darkness: np.ndarray) -> np.ndarray:
    """Colour of wood with ``grain`` burned to ``darkness`` (0..1 per pixel).

    The grain fades linearly as the burn deepens: at full darkness the char is even.

    Returns
    -------
    (M, N, 3) float32 array, sRGB 0..255
    """
    d = np.clip(np.asarray(darkness, dtype=np.float32), 0.0, 1.0)
    index = (d * (_DARKNESS_STEPS - 1) + 0.5).astype(np.int16)
    base = _burn_table(species.key)[index]
    keep = (1.0 - d)[..., None]
    return base * (grain * keep + (1.0 - keep))
