"""Small synthetic inputs for the engine tests: photos and prepared grays built by hand."""

from __future__ import annotations

import numpy as np

from pyropattern.model import Importance, Photo, Prepared, PrintScale, ToneMap, frozen_array


def photo_from_gray(gray: np.ndarray) -> Photo:
    """An RGB Photo whose three channels are ``gray`` (uint8 (M, N))."""
    rgb = np.repeat(np.asarray(gray, dtype=np.uint8)[:, :, None], 3, axis=2)
    return Photo(rgb=frozen_array(rgb), format="PNG", original_size=(rgb.shape[1], rgb.shape[0]))


def prepared_from_gray(gray: np.ndarray, width_mm: float | None = None) -> Prepared:
    """A Prepared stage output from a 0..1 gray array; by default 1 px = 1 mm."""
    gray = np.asarray(gray, dtype=np.float32)
    scale = PrintScale.for_width(width_mm or gray.shape[1], gray.shape)
    return Prepared(gray=frozen_array(gray), adjusted=frozen_array(gray), scale=scale)


def flat_importance(shape: tuple[int, int]) -> Importance:
    """Importance 0 everywhere (the general minimums apply), nothing bare."""
    return Importance(weight=frozen_array(np.zeros(shape, dtype=np.float32)),
                      subject=frozen_array(np.ones(shape, dtype=bool)))


def tone_map(levels: np.ndarray, mm_per_px: float = 1.0, count: int | None = None) -> ToneMap:
    """A ToneMap from a level array; level grays spread evenly from light to dark."""
    levels = np.asarray(levels, dtype=np.uint8)
    count = count or int(levels.max()) + 1
    shares = np.bincount(levels.ravel(), minlength=count) / levels.size
    return ToneMap(
        levels=frozen_array(levels),
        thresholds=tuple(np.linspace(0, 1, count + 1)[1:-1]),
        level_grays=tuple(float(g) for g in np.linspace(0.9, 0.1, count)),
        area_share=tuple(float(s) for s in shares),
        scale=PrintScale(mm_per_px=mm_per_px, shape=levels.shape),
    )


def disk(shape: tuple[int, int], centre: tuple[float, float], radius: float) -> np.ndarray:
    """Boolean (M, N) disk; centre given as (row, col) in pixel-centre coordinates."""
    rows, cols = np.mgrid[: shape[0], : shape[1]]
    return (rows + 0.5 - centre[0]) ** 2 + (cols + 0.5 - centre[1]) ** 2 <= radius**2
