"""Photo bytes or a file path → :class:`~pyropattern.model.Photo`: upright, sRGB, 8-bit, on white.

Every format quirk and every size guard lives here, so the stages after it see one kind of
image. The format is sniffed from the content, never from the file name. Refusals are cheap
and happen before decoding whenever the header is enough to decide: the byte count first,
then pixel count, smallest side and aspect ratio from the header, and only then a full decode.

Each failure raises :class:`~pyropattern.errors.ImageLoadError` carrying a translation key
(``locales/load.toml``), never English text.
"""

from __future__ import annotations

import io
import math
import os
import struct
import warnings
from functools import cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import ImageLoadError
from .i18n import DEFAULT_LANG, tr
from .model import Photo, frozen_array
from .plaintext import printable
from .safeio import ReadRefused, read_limited

Source = bytes | bytearray | memoryview | str | Path | BinaryIO

MAX_BYTES = 50 * 1024 * 1024  # largest upload accepted, bytes ("50 MB", as Streamlit counts MB)
MAX_PIXELS = 100_000_000  # largest image accepted, pixels
# Largest decode accepted, bytes: pixels × bytes per pixel as Pillow holds them (RGB and RGBA
# take 4, 16-bit gray 2, gray 1), after a JPEG's draft reduction. A pixel count alone let a
# 770 KB 16-bit RGBA PNG of 99 MP through, which peaked at 868 MB; 300 MB allows a 100 MP
# gray scan, a 75 MP colour PNG (an RGBA one, the worst case, peaks at 636 MB: the decode
# plus the premultiplied copy reduce() makes) and any camera JPEG (decoded at 1/2..1/8 scale).
MAX_DECODED_BYTES = 300 * 1024 * 1024
MIN_SIDE_PX = 16  # an image smaller than this on either side has no tones worth a stencil
MAX_ASPECT = 20.0  # long side / short side; beyond it the design is a strip no one can burn

# File name endings the app's uploader offers; the loader itself ignores names.
# "jfif" is what Windows names many JPEGs saved from a browser.
UPLOAD_EXTENSIONS: tuple[str, ...] = (
    "jpg", "jpeg", "jfif", "png", "webp", "heic", "heif", "bmp", "tif", "tiff", "gif",
)  # fmt: skip

# Pillow plugin names tried when opening. The JPEG plugin also opens phones' multi-picture
# JPEGs, which then report themselves as MPO.
_PILLOW_FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "TIFF", "GIF", "HEIF")
_REPORTED_FORMAT = {"MPO": "JPEG"}
# What a malformed file can make Pillow's plugins and libheif raise (Pillow's own fuzz tests
# see all of these); to the user each one means the same thing: a damaged file.
_DECODE_ERRORS = (
    OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, RuntimeError, struct.error,
)  # fmt: skip
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1"}

# Pillow's own decompression-bomb guard warns at 89 MP and raises at 179 MP inside
# ``Image.open``, in English and before the size can be read. The header check below
# (``max_pixels``) replaces it, so the user sees a translated message stating the limit.
Image.MAX_IMAGE_PIXELS = None


def _megabytes(size: int) -> float:
    """Bytes to MB as Streamlit's upload limit counts them (1 MB = 2**20 bytes)."""
    return round(size / 2**20, 1)


@cache
def _register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF phone photos (once per process, on first use)."""
    from pillow_heif import register_heif_opener

    # Thumbnails and depth maps are never used; skipping them saves decode time and memory.
    register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)


def describe_limits(lang: str = DEFAULT_LANG, *, max_bytes: int = MAX_BYTES) -> str:
    """Return one line stating what the uploader accepts, for its label or help text.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"id"``.
    max_bytes : int
        The upload cap in force (a classroom server may set a lower one than the loader's).

    Returns
    -------
    str
        E.g. "JPG, PNG, WebP, HEIC, BMP, TIFF or GIF, up to 50 MB and 100 megapixels."
    """
    return tr(
        "load.limits",
        lang,
        max_mb=_megabytes(max_bytes),
        max_megapixels=MAX_PIXELS // 1_000_000,
    )


def load_photo(
    source: Source,
    *,
    max_pixels: int = MAX_PIXELS,
    target_long_side: int | None = None,
    max_bytes: int = MAX_BYTES,
    max_decoded_bytes: int = MAX_DECODED_BYTES,
) -> Photo:
    """Decode a photo into an upright sRGB array, transparency flattened onto white.

    Parameters
    ----------
    source : bytes-like, str, Path or binary file object
        The file's bytes, the path of a file, or an open binary file such as Streamlit's
        ``UploadedFile`` (read from its current position). JPEG, PNG, WebP, BMP, TIFF, GIF (first
        frame) and HEIC/HEIF are accepted, recognised by content whatever the name says.
    max_pixels : int
        Largest width × height accepted, checked from the header before decoding.
    target_long_side : int, optional
        When given, the photo is returned reduced so that its long side is at least this
        many pixels but less than twice as many (never enlarged). JPEGs are decoded
        straight at the reduced size, which bounds memory for camera photos; the next stage
        resizes exactly.
    max_bytes : int
        Largest file accepted, checked before anything is decoded; at most this many bytes
        (plus one) are read from a path, whether it names a file, a pipe or a device.
    max_decoded_bytes : int
        Largest decode accepted (pixels × bytes per pixel), checked from the header.

    Returns
    -------
    Photo
        ``rgb`` is a read-only (M, N, 3) uint8 array, rows top to bottom as the photo is
        meant to be seen (EXIF orientation applied); ``original_size`` is (width, height) as
        stored in the file (for HEIF, as libheif hands it over: already turned upright).

    Raises
    ------
    ImageLoadError
        With key ``error.file_missing``, ``error.file_empty``, ``error.file_too_large``,
        ``error.file_type``, ``error.file_corrupt``, ``error.too_many_pixels``,
        ``error.too_small``, ``error.too_narrow``, ``classroom.error.decode_too_large`` or
        ``classroom.error.read_stalled``.
    """
    if target_long_side is not None and target_long_side < 1:
        raise ValueError(f"target_long_side must be at least 1 pixel, got {target_long_side}")
    data = _read_source(source, max_bytes)
    _register_heif()
    # Pillow's plugins warn on odd but readable files (a 40-byte TIFF printed three lines to
    # stderr); the user gets our one line or a photo, never a library's warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _decode(data, max_pixels, target_long_side, max_decoded_bytes)


def _decode(
    data: bytes, max_pixels: int, target_long_side: int | None, max_decoded_bytes: int
) -> Photo:
    try:
        image = Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS)
    except UnidentifiedImageError as exc:
        key = "error.file_corrupt" if _has_supported_signature(data) else "error.file_type"
        raise ImageLoadError(key) from exc
    except _DECODE_ERRORS as exc:
        raise ImageLoadError("error.file_corrupt") from exc

    with image:
        original_size = image.size
        _check_dimensions(original_size, max_pixels)
        file_format = _REPORTED_FORMAT.get(image.format or "", image.format or "")
        if file_format == "JPEG" and len(data) * _JPEG_MIN_PIXELS_PER_BYTE < math.prod(
            original_size
        ):
            # libjpeg fills a scan that ends early with gray and reports success, so a
            # header claiming 9000 × 11000 on 5 KB of data gave a stencil of nothing.
            raise ImageLoadError("error.file_corrupt")
        if target_long_side is not None and image.format in ("JPEG", "MPO"):
            image.draft(None, _draft_request(original_size, target_long_side))
        _check_decoded_bytes(image, max_decoded_bytes)
        icc_profile = image.info.get("icc_profile")
        try:
            image.load()
        except _DECODE_ERRORS as exc:
            # Truncated or corrupt data surfaces only on full decode ("image file is
            # truncated" is an OSError), so the whole decode happens inside this guard.
            raise ImageLoadError("error.file_corrupt") from exc

    upright = _apply_exif_orientation(image)
    eight_bit = _to_8bit(upright)
    if target_long_side is not None:
        eight_bit = _reduce_to(eight_bit, target_long_side)
    rgb = _to_srgb_on_white(eight_bit, icc_profile)
    return Photo(
        rgb=frozen_array(np.asarray(rgb, dtype=np.uint8)),
        format=file_format,
        original_size=original_size,
    )


def _read_source(source: Source, max_bytes: int) -> bytes:
    """Return the file's bytes, refusing a missing, empty or oversized file before reading it."""
    max_mb = _megabytes(max_bytes)
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            data = read_limited(path, max_bytes)
        except ReadRefused as exc:
            key, params = {
                "missing": ("error.file_missing", {"name": shown_file_name(path)}),
                "too_large": ("error.file_too_large", {"max_mb": max_mb}),
                "stalled": ("classroom.error.read_stalled", {}),
                "unreadable": ("error.file_corrupt", {}),
            }[exc.problem]
            raise ImageLoadError(key, **params) from exc
    elif hasattr(source, "read"):
        # One byte past the cap is enough to know it is too large, whatever the stream holds.
        data = source.read(max_bytes + 1)
    else:
        data = bytes(source)
    if not data:
        raise ImageLoadError("error.file_empty")
    if len(data) > max_bytes:
        raise ImageLoadError("error.file_too_large", max_mb=max_mb)
    return data


def _has_supported_signature(data: bytes) -> bool:
    """True when the first bytes say "one of our formats", so a failure means a damaged file."""
    head = data[:16]
    return (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM"))
        or head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS)
    )


def _check_dimensions(size: tuple[int, int], max_pixels: int) -> None:
    """Refuse from the header alone: too many pixels, too small, or too long and narrow."""
    width, height = size
    if width * height > max_pixels:
        raise ImageLoadError(
            "error.too_many_pixels",
            # Rounded up, so 100.01 MP over a 100 MP limit does not read "100, maximum 100".
            megapixels=math.ceil(width * height / 1e5) / 10,
            max_megapixels=round(max_pixels / 1e6, 1),
        )
    if min(width, height) < MIN_SIDE_PX:
        raise ImageLoadError("error.too_small", width=width, height=height, min_px=MIN_SIDE_PX)
    if max(width, height) / min(width, height) > MAX_ASPECT:
        raise ImageLoadError(
            "error.too_narrow", width=width, height=height, max_ratio=int(MAX_ASPECT)
        )


# A JPEG cannot hold its pixels in fewer bytes than this allows: even a flat, progressive,
# Huffman-optimised image spends at least one bit on each 8 × 8 block's DC value (512 pixels
# per byte); 4096 leaves a margin of 8 for arithmetic coding.
_JPEG_MIN_PIXELS_PER_BYTE = 4096


def _bytes_per_pixel(mode: str) -> int:
    """Bytes Pillow keeps per pixel of ``mode``: 1 for 8-bit single-band, 2 for 16-bit, else 4
    (Pillow pads RGB and two-band modes to 4 bytes)."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def _check_decoded_bytes(image: Image.Image, max_decoded_bytes: int) -> None:
    """Refuse from the header an image whose decode alone would take too much memory."""
    width, height = image.size
    needed = width * height * _bytes_per_pixel(image.mode)
    if needed > max_decoded_bytes:
        raise ImageLoadError(
            "classroom.error.decode_too_large",
            needed_mb=math.ceil(needed / 2**20),
            max_mb=max_decoded_bytes // 2**20,
            width=width,
            height=height,
        )


def shown_file_name(path: Path) -> str:
    """A file name fit to show: undecodable bytes and control characters replaced.

    File names are bytes on Linux; one that is not UTF-8 comes back from ``os.fsdecode`` with
    lone surrogates, which cannot be encoded into a message, an SVG or a PDF.
    """
    return printable(os.fsencode(path.name).decode("utf-8", errors="replace"), 80)


def _draft_request(size: tuple[int, int], target_long_side: int) -> tuple[int, int]:
    """Size to ask JPEG ``draft`` for so the decoded long side stays ≥ ``target_long_side``.

    ``draft`` picks the largest 1/2, 1/4 or 1/8 reduction that keeps both sides at or above
    the request; asking for the photo's own aspect makes the long side the one that binds.
    """
    width, height = size
    long_side = max(width, height)
    return (
        max(1, width * target_long_side // long_side),
        max(1, height * target_long_side // long_side),
    )


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _apply_exif_orientation(image: Image.Image) -> Image.Image:
    """Turn the image upright as the camera's EXIF Orientation tag says."""
    try:
        # In place: the decoded image is ours, and a copy of a large photo costs real memory.
        ImageOps.exif_transpose(image, in_place=True)
    except Exception:
        # A broken EXIF block should not cost the user their photo; it is then used as stored.
        pass
    return image


def _to_8bit(image: Image.Image) -> Image.Image:
    """Bring any Pillow mode to one of L, LA, RGB, RGBA or CMYK with 8 bits per channel.

    16-bit and float gray are scaled, not clipped: Pillow's ``convert("L")`` clips I;16 at
    255, which would turn every mid-gray of a 16-bit scan white.
    """
    mode = image.mode
    if mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        if mode in ("L", "RGB") and "transparency" in image.info:
            return image.convert(mode + "A" if mode == "L" else "RGBA")
        return image
    if mode.startswith("I;16") or mode in ("I", "F"):
        return Image.fromarray(_scale_to_uint8(image), mode="L")
    if mode in ("RGBa", "La", "PA", "P"):
        return image.convert("RGBA" if _has_alpha(image) else "RGB")
    try:
        # "1", YCbCr, HSV, RGBX ...: Pillow knows the way to RGB.
        return image.convert("L" if mode == "1" else "RGB")
    except ValueError as exc:
        # A colour layout Pillow cannot convert (e.g. a LAB TIFF) is a file type we lack.
        raise ImageLoadError("error.file_type") from exc


def _scale_to_uint8(image: Image.Image) -> np.ndarray:
    """Map a 16-bit, 32-bit integer or float gray image onto 0..255 by its nominal range.

    I;16 spans 0..65535. "I" and "F" carry no range of their own, so the smallest
    conventional one holding the data is used: 0..1 (float only), 0..255 or 0..65535.
    """
    values = np.asarray(image)
    if image.mode.startswith("I;16"):
        full_scale = 65535.0
    else:
        values = np.nan_to_num(values.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        top = float(values.max())
        ranges = (1.0, 255.0, 65535.0) if image.mode == "F" else (255.0, 65535.0)
        full_scale = next((r for r in ranges if top <= r), top)
    scaled = np.clip(values.astype(np.float32) * (255.0 / full_scale), 0.0, 255.0)
    return np.rint(scaled).astype(np.uint8)


def _reduce_to(image: Image.Image, target_long_side: int) -> Image.Image:
    """Shrink by a whole factor so the long side lands in [target, 2 × target).

    ``Image.reduce`` averages whole boxes of pixels (premultiplying alpha), the right filter
    for a whole-factor shrink and faster than resampling.
    """
    factor = max(image.size) // target_long_side
    return image.reduce(factor) if factor >= 2 else image


def _to_srgb_on_white(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Colour-manage an L/LA/RGB/RGBA/CMYK image to sRGB and flatten alpha onto white.

    White because a transparent area is unburned wood.
    """
    alpha = image.getchannel("A") if image.mode in ("LA", "RGBA") else None
    colour = image.convert(image.mode[:-1]) if alpha is not None else image
    rgb = _apply_icc(colour, icc_profile) if icc_profile else None
    if rgb is None:
        # convert() always copies; skipping it for plain RGB saves a full-size copy (120 MB
        # of a 40 MP photo).
        rgb = colour if colour.mode == "RGB" else colour.convert("RGB")
    if alpha is None:
        return rgb
    white = Image.new("RGB", rgb.size, (255, 255, 255))
    return Image.composite(rgb, white, alpha)


@cache
def _srgb_profile() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _apply_icc(image: Image.Image, icc_profile: bytes) -> Image.Image | None:
    """Convert from the embedded profile to sRGB; ``None`` if the profile cannot be used.

    A profile that does not parse or does not match the pixel layout (say a CMYK profile on
    an RGB image) is ignored rather than refusing the photo over its metadata.
    """
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        return ImageCms.profileToProfile(
            image,
            source,
            _srgb_profile(),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
