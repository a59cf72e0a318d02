"""Stage 1: photo → the gray image tones are taken from, at working size."""

from __future__ import annotations

import cv2
import numpy as np

from .model import BurnLines, Importance, Photo, Prepared, PrintScale, frozen_array
from .settings import PrepareSettings, Settings, blend, outside_values


def orient_and_crop(rgb: np.ndarray, settings: PrepareSettings) -> np.ndarray:
    """Rotate, flip, then crop an (M, N, 3) image, as the user sees it on screen.

    The crop box is in fractions of the rotated, flipped image, so a crop chosen on the
    preview stays put when the photo is turned. Returns a view where possible.
    """
    out = np.rot90(rgb, k=-settings.rotate_quarters)  # negative k turns clockwise
    if settings.flip_horizontal:
        out = out[:, ::-1]
    if settings.flip_vertical:
        out = out[::-1]
    rows, cols = out.shape[:2]
    left, top, right, bottom = settings.crop
    r0, r1 = round(top * rows), max(round(bottom * rows), round(top * rows) + 1)
    c0, c1 = round(left * cols), max(round(right * cols), round(left * cols) + 1)
    return out[r0:r1, c0:c1]


def working_shape(shape: tuple[int, int], working_px: int) -> tuple[int, int]:
    """Return the (rows, cols) of the working raster: long side ``working_px``, aspect kept."""
    rows, cols = shape
    factor = working_px / max(rows, cols)
    return max(1, round(rows * factor)), max(1, round(cols * factor))


def adjust_gray(gray: np.ndarray, settings: PrepareSettings) -> np.ndarray:
    """Apply contrast, brightness, gamma, local contrast and inversion to a 0..1 gray image."""
    out = gray
    if settings.contrast != 1.0 or settings.brightness != 0.0:
        out = (gray - 0.5) * settings.contrast + 0.5 + settings.brightness
        np.clip(out, 0.0, 1.0, out=out)
    if settings.gamma != 1.0:
        np.power(out, 1.0 / settings.gamma, out=out)
    if settings.local_contrast > 0:
        # CLAHE works on 8-bit; tiles of ~1/8 of the image follow the usual photo default.
        clahe = cv2.createCLAHE(clipLimit=settings.local_contrast, tileGridSize=(8, 8))
        out = clahe.apply((out * 255 + 0.5).astype(np.uint8)).astype(np.float32) / 255
    if settings.invert:
        out = 1.0 - out
    return out.astype(np.float32, copy=False)


def gaussian_blur(gray: np.ndarray, sigma_px: float) -> np.ndarray:
    """Gaussian blur of a float32 image; a wide one is computed at half resolution.

    From sigma 4 px up, blurring a half-size copy by sigma/2 and enlarging it again differs
    from the full-size blur by 0.0002 on average (0.014 at most, at the image edge) and is
    ≈8× faster (6 ms against 53 ms at sigma 12.8 px on 1600 × 1600).
    """
    if sigma_px < 0.3:
        return gray
    rows, cols = gray.shape
    if sigma_px < 4 or min(rows, cols) < 64:
        return cv2.GaussianBlur(gray, (0, 0), sigma_px)
    small = cv2.resize(gray, (cols // 2, rows // 2), interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (0, 0), sigma_px / 2)
    return cv2.resize(blurred, (cols, rows), interpolation=cv2.INTER_LINEAR)


def prepare_gray(photo: Photo, settings: PrepareSettings, width_mm: float) -> Prepared:
    """Turn a photo into the adjusted gray image at working size.

    Parameters
    ----------
    photo : Photo
        The decoded photo, (M, N, 3) uint8.
    settings : PrepareSettings
        Orientation, crop and tone adjustments.
    width_mm : float
        Design width on the wood; fixes the print scale, so sizes given in millimetres mean
        the same on the wood whatever the photo's resolution.

    Returns
    -------
    Prepared
        ``adjusted`` and ``gray`` (the same image here, float32 in 0..1; :func:`tone_source`
        makes the smoothed ``gray`` the tones are taken from) and the print scale.
    """
    view = orient_and_crop(photo.rgb, settings)
    rows, cols = working_shape(view.shape[:2], settings.working_px)
    interpolation = cv2.INTER_AREA if rows < view.shape[0] else cv2.INTER_LINEAR
    resized = cv2.resize(np.ascontiguousarray(view), (cols, rows), interpolation=interpolation)
    gray = frozen_array(adjust_gray(cv2.cvtColor(resized, cv2.COLOR_RGB2GRAY)
                                    .astype(np.float32) / 255, settings))
    scale = PrintScale.for_width(width_mm, gray.shape)
    return Prepared(gray=gray, adjusted=gray, scale=scale)


def fill_lines(gray: np.ndarray, mask: np.ndarray, radius_px: float) -> np.ndarray:
    """Replace the pixels under ``mask`` by the mean of the unmasked pixels around them.

    Normalised convolution: a Gaussian of the gray with the masked pixels zeroed, divided by
    the same Gaussian of the unmasked indicator, is the local mean of what surrounds a line,
    so the tone under a burn line continues the tone on both sides of it.
    """
    if not mask.any():
        return gray
    # One pixel more: the anti-aliased rim of a dark line is darker than what surrounds it.
    grown = cv2.dilate(mask.view(np.uint8), np.ones((3, 3), np.uint8)).view(bool)
    keep = (~grown).astype(np.float32)
    sigma = max(1.0, radius_px)
    weight = gaussian_blur(keep, sigma)
    total = gaussian_blur(gray * keep, sigma)
    local = np.where(weight > 1e-3, total / np.maximum(weight, 1e-3), gray)
    return np.where(grown, local, gray).astype(np.float32)


def tone_source(
    prepared: Prepared, importance: Importance, lines: BurnLines, settings: Settings
) -> Prepared:
    """The gray the tones are taken from: burn lines filled in, smoothed finer where it matters.

    Parameters
    ----------
    prepared : Prepared
        From :func:`prepare_gray`.
    importance : Importance
        Smoothing goes from the general scale (weight 0) to the focus scale (weight 1).
    lines : BurnLines
        Their pixels take the tone around them: a line is burned as a stroke, not a region.
    settings : Settings
        ``prepare.smooth_mm``, ``focus.smooth_mm`` and the background choice.

    Returns
    -------
    Prepared
        ``gray`` smoothed, ``adjusted`` unchanged.

    Notes
    -----
    A Gaussian at a smaller scale than before (1.2 mm, 0.7 mm on the subject; was 1.7 mm)
    keeps the photo's edges where they are. Edge-preserving filters at the same scale were
    compared in the same pipeline (``python bench/pipeline.py --filters``; the figures are in
    ``bench/README.md``).
    """
    scale = prepared.scale
    gray = fill_lines(prepared.adjusted, lines.mask, scale.to_px(settings.lines.max_width_mm))
    outside_mm = outside_values(settings)[0]
    smooth = gaussian_blur(gray, scale.to_px(outside_mm))
    weight = importance.weight
    if float(weight.max()) > 0 and settings.focus.smooth_mm != outside_mm:
        fine = gaussian_blur(gray, scale.to_px(settings.focus.smooth_mm))
        smooth = blend(weight, smooth, fine).astype(np.float32)
    return Prepared(gray=frozen_array(smooth), adjusted=prepared.adjusted, scale=scale)
