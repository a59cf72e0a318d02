"""Colouring (pewarnaan): a colour per area, applied after burning, from a small palette.

The suggestion takes each area's mean colour in the photo and snaps it to the nearest colour
of the shipped palette (``teach/palette.toml``, names in both languages in the translation
table), comparing in CIELAB with hue weighted over lightness: a pale and a deep green are
both "green" to a trainee with a box of pencils. Areas whose photo colour is nearly gray stay
uncoloured: the burn alone carries them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import cv2
import numpy as np
from skimage.color import rgb2lab

from ..model import Photo, Stencil
from ..prepare import orient_and_crop

# Below this chroma (CIELAB) a photo colour counts as gray and the area is left uncoloured;
# 14 kept skin, fur and sky coloured and left gray walls and black-and-white photos bare.
_MIN_CHROMA = 14.0
_LIGHTNESS_WEIGHT = 0.5  # lightness matters half as much as hue when snapping
NO_COLOUR = (255, 255, 255)  # multiplying by white leaves the burn as it is


@cache
def palette() -> dict[str, tuple[int, int, int]]:
    """The shipped palette: ``{key: (r, g, b)}``; names are ``teach.colour.<key>``."""
    text = (resources.files("pyropattern") / "teach" / "palette.toml").read_text(encoding="utf-8")
    return {key: tuple(int(v) for v in rgb) for key, rgb in tomllib.loads(text).items()}


@dataclass(frozen=True, eq=False)
class RegionColours:
    """A palette colour (or none) per region."""

    keys: tuple[str | None, ...]  # palette key per region id, None = not coloured

    def rgb(self) -> np.ndarray:
        """(R, 3) uint8 colour per region; uncoloured regions are white (no change)."""
        colours = palette()
        return np.array([colours[k] if k else NO_COLOUR for k in self.keys], dtype=np.uint8)

    def used(self) -> list[tuple[str, int]]:
        """(palette key, number of regions) for each colour used, most used first."""
        counts: dict[str, int] = {}
        for key in self.keys:
            if key:
                counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _lab(rgb: np.ndarray) -> np.ndarray:
    return rgb2lab(np.asarray(rgb, dtype=np.float64).reshape(-1, 1, 3) / 255.0).reshape(-1, 3)


def suggest_colours(photo: Photo, stencil: Stencil) -> RegionColours:
    """Suggest a palette colour for every region from the photo's own colours.

    Parameters
    ----------
    photo : Photo
        The photo the stencil was made from (turned and cropped as the stencil's settings say).
    stencil : Stencil

    Returns
    -------
    RegionColours
    """
    ids = np.asarray(stencil.regions.ids)
    framed = orient_and_crop(photo.rgb, stencil.settings.prepare)
    framed = cv2.resize(
        np.ascontiguousarray(framed), (ids.shape[1], ids.shape[0]), interpolation=cv2.INTER_AREA
    )
    count = stencil.regions.count
    pixels = np.bincount(ids.ravel(), minlength=count).astype(np.float64)
    means = (
        np.stack(
            [
                np.bincount(ids.ravel(), weights=framed[..., c].ravel(), minlength=count)
                for c in range(3)
            ],
            axis=1,
        )
        / np.maximum(pixels, 1)[:, None]
    )
    lab = _lab(means)
    names = list(palette())
    swatches = _lab(np.array(list(palette().values())))
    weights = np.array([_LIGHTNESS_WEIGHT, 1.0, 1.0])
    distance = (((lab[:, None, :] - swatches[None, :, :]) * weights) ** 2).sum(axis=2)
    nearest = distance.argmin(axis=1)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    return RegionColours(
        tuple(names[k] if c >= _MIN_CHROMA else None for k, c in zip(nearest, chroma, strict=True))
    )
