"""Where detail matters: an importance map from the photo itself or the instructor's focus area.

The map is a weight per working pixel, 1 where the pattern may be as fine as a tip allows (the
subject) and 0 where it keeps the general, coarser minimums (the background). Later stages
read it through :func:`~pyropattern.settings.blend`: smoothing, minimum area and minimum
strip width go from their general value at weight 0 to the focus value at weight 1. With
``background = "bare"`` a subject mask (GrabCut seeded by the map) leaves everything else as
bare wood.
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import Importance, Photo, Prepared, frozen_array
from .prepare import orient_and_crop
from .settings import FocusSettings, PrepareSettings, Settings

# Spectral residual saliency works on a thumbnail: Hou & Zhang (CVPR 2007) use 64 px, where
# the log spectrum's "unexpected" part is the objects, not the texture.
_SALIENCY_PX = 64
# Thumbnail for GrabCut: ≈60 ms at 320 px against seconds at 1600 px; the subject mask is a
# blob whose border the region borders refine anyway.
_GRABCUT_PX = 320
# A marked focus fades out over this share of its radius beyond the ellipse.
_FEATHER = 0.2


def spectral_residual(gray: np.ndarray) -> np.ndarray:
    """Saliency of an (M, N) 0..1 image by the spectral residual (Hou & Zhang 2007), 0..1.

    What stands out from the photo's average log spectrum is what the eye goes to. Computed
    on a 64 px thumbnail and returned at that size.
    """
    rows, cols = gray.shape
    factor = _SALIENCY_PX / max(rows, cols)
    size = (max(8, round(cols * factor)), max(8, round(rows * factor)))
    small = cv2.resize(gray.astype(np.float32), size, interpolation=cv2.INTER_AREA)
    spectrum = np.fft.fft2(small)
    log_amplitude = np.log(np.abs(spectrum) + 1e-6)
    residual = log_amplitude - cv2.blur(log_amplitude, (3, 3))
    saliency = np.abs(np.fft.ifft2(np.exp(residual + 1j * np.angle(spectrum)))) ** 2
    saliency = cv2.GaussianBlur(saliency.astype(np.float32), (0, 0), 2.5)
    return saliency / max(float(saliency.max()), 1e-12)


def automatic_weight(gray: np.ndarray) -> np.ndarray:
    """Importance from the photo itself: saliency spread over the subject, times a centre prior.

    The saliency peaks on a subject's details; a wide blur turns the peaks into the area
    around them, and a centre prior (photographers centre their subject) settles a tie
    between an equally busy subject and background. Returned at the thumbnail size, 0..1.
    """
    saliency = spectral_residual(gray)
    rows, cols = saliency.shape
    spread = cv2.GaussianBlur(saliency, (0, 0), 0.06 * max(rows, cols))
    y, x = np.mgrid[0:rows, 0:cols]
    centre = np.exp(
        -(((x + 0.5) / cols - 0.5) ** 2 + ((y + 0.5) / rows - 0.5) ** 2) / (2 * 0.3**2)
    )
    weight = spread * centre
    # The subject's own share is full weight: the brightest tenth of the map defines 1.
    top = float(np.percentile(weight, 90))
    return np.clip(weight / max(top, 1e-12), 0.0, 1.0).astype(np.float32)


def focus_weight(shape: tuple[int, int], area: tuple[float, ...]) -> np.ndarray:
    """Weight 1 inside the ellipse inscribed in the marked box, 0 outside, feathered between.

    The weight fades over a fifth of the radius beyond the ellipse, so the finer pattern
    fades out rather than stopping at a visible ring.
    """
    rows, cols = shape
    left, top, right, bottom = area
    cx, cy = (left + right) / 2 * cols, (top + bottom) / 2 * rows
    rx, ry = max((right - left) / 2 * cols, 1.0), max((bottom - top) / 2 * rows, 1.0)
    y, x = np.ogrid[0:rows, 0:cols]
    radius = np.sqrt(((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2)
    return np.clip((1.0 + _FEATHER - radius) / _FEATHER, 0.0, 1.0).astype(np.float32)


def subject_mask(rgb: np.ndarray, weight: np.ndarray, area: tuple[float, ...]) -> np.ndarray:
    """The subject as a bool mask of ``rgb``'s thumbnail, by GrabCut seeded by the importance.

    A marked area seeds GrabCut's rectangle; otherwise high-importance pixels are probable
    subject and the rest probable background, with the outermost 2% certain background. Only
    connected parts touching the most important pixel are kept, holes filled.
    """
    rows, cols = rgb.shape[:2]
    mask = np.full((rows, cols), cv2.GC_PR_BGD, dtype=np.uint8)
    seeds = cv2.resize(weight, (cols, rows), interpolation=cv2.INTER_LINEAR)
    if area:
        left, top, right, bottom = area
        box = (round(left * cols), round(top * rows), round(right * cols), round(bottom * rows))
        mask[:] = cv2.GC_BGD
        mask[box[1] : box[3], box[0] : box[2]] = cv2.GC_PR_BGD
        mask[seeds > 0.9] = cv2.GC_PR_FGD
    else:
        mask[seeds > 0.5] = cv2.GC_PR_FGD
        ring = max(1, round(0.02 * max(rows, cols)))
        mask[:ring], mask[-ring:], mask[:, :ring], mask[:, -ring:] = (cv2.GC_BGD,) * 4
    if not (mask == cv2.GC_PR_FGD).any():
        return np.ones((rows, cols), dtype=bool)
    background, foreground = np.zeros((1, 65)), np.zeros((1, 65))
    bgr = np.ascontiguousarray(rgb[..., ::-1])
    cv2.grabCut(bgr, mask, None, background, foreground, 4, cv2.GC_INIT_WITH_MASK)
    subject = ((mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)).astype(np.uint8)
    count, parts = cv2.connectedComponents(subject, connectivity=8)
    if count <= 1:
        return np.ones((rows, cols), dtype=bool)
    # The part holding the most importance is the subject.
    mass = np.bincount(parts.ravel(), weights=seeds.ravel(), minlength=count)
    mass[0] = -1
    subject = (parts == int(np.argmax(mass))).astype(np.uint8)
    # Fill holes: everything the outside cannot reach belongs to the subject.
    outside = np.pad(subject, 1) ^ 1
    cv2.floodFill(outside, None, (0, 0), 2)
    return (outside[1:-1, 1:-1] != 2) | subject.view(bool)


def importance_map(photo: Photo, prepared: Prepared, settings: Settings) -> Importance:
    """Where the pattern may be finer, and what is background.

    Parameters
    ----------
    photo : Photo
        The photo (its colours seed the subject mask for a bare-wood background).
    prepared : Prepared
        The adjusted gray at working size.
    settings : Settings
        ``focus`` (marked area, automatic on/off, background) and ``prepare`` (framing).

    Returns
    -------
    Importance
        ``weight`` (M, N) in 0..1 and ``subject`` (M, N) bool, at working size.
    """
    focus: FocusSettings = settings.focus
    shape = prepared.adjusted.shape
    if focus.area:
        weight = focus_weight(shape, focus.area)
    elif focus.automatic:
        weight = cv2.resize(automatic_weight(prepared.adjusted), shape[::-1],
                            interpolation=cv2.INTER_LINEAR)
    else:
        weight = np.zeros(shape, dtype=np.float32)
    subject = np.ones(shape, dtype=bool)
    if focus.background == "bare":
        subject = _bare_subject(photo, settings.prepare, weight, focus.area, shape)
    return Importance(weight=frozen_array(weight), subject=frozen_array(subject))


def _bare_subject(
    photo: Photo,
    framing: PrepareSettings,
    weight: np.ndarray,
    area: tuple[float, ...],
    shape: tuple[int, int],
) -> np.ndarray:
    """The subject mask at working size, found on a thumbnail of the framed photo."""
    view = orient_and_crop(photo.rgb, framing)
    factor = _GRABCUT_PX / max(view.shape[:2])
    size = (max(8, round(view.shape[1] * factor)), max(8, round(view.shape[0] * factor)))
    thumb = cv2.resize(np.ascontiguousarray(view), size, interpolation=cv2.INTER_AREA)
    if framing.invert:
        thumb = 255 - thumb
    small = subject_mask(thumb, weight, area).astype(np.uint8)
    # Bilinear on 0/1 then halved: a smooth border rather than thumbnail stairs.
    big = cv2.resize(small * np.float32(1), shape[::-1], interpolation=cv2.INTER_LINEAR)
    return big >= 0.5
