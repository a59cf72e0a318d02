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
import struct
from functools import cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from .errors import ImageLoadError
from .i18n import DEFAULT_LANG, tr
from .model import Photo, frozen_array

Source = bytes | bytearray | memoryview | str | Path | BinaryIO

MAX_BYTES = 50 * 1024 * 1024  # largest upload accepted, bytes ("50 MB", as Streamlit counts MB)
MAX_PIXELS = 100_000_000  # largest image accepted, pixels (a 100 MP RGB decode is 300 MB)
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


def describe_limits(lang: str = DEFAULT_LANG) -> str:
    """Return one line stating what the uploader accepts, for its label or help text.

    Parameters
    ----------
    lang : str
        ``"en"`` or ``"id"``.

    Returns
    -------
    str
        E.g. "JPG, PNG, WebP, HEIC, BMP, TIFF or GIF, up to 50 MB and 100 megapixels."
    """
    return tr(
        "load.limits",
        lang,
        max_mb=_megabytes(MAX_BYTES),
        max_megapixels=MAX_PIXELS // 1_000_000,
    )


def load_photo(
    source: Source,
    *,
    max_pixels: int = MAX_PIXELS,
    target_long_side: int | None = None,
    max_bytes: int = MAX_BYTES,
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
        Largest file accepted, checked before anything is decoded.

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
        ``error.too_small`` or ``error.too_narrow``.
    """
    if target_long_side is not None and target_long_side < 1:
        raise ValueError(f"target_long_side must be at least 1 pixel, got {target_long_side}")
    data = _read_source(source, max_bytes)
    _register_heif()
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
        if target_long_side is not None and image.format in ("JPEG", "MPO"):
            image.draft(None, _draft_request(original_size, target_long_side))
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
            size = path.stat().st_size
            if size > max_bytes:
                raise ImageLoadError("error.file_too_large", max_mb=max_mb)
            data = path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ImageLoadError("error.file_missing", name=path.name) from exc
        except OSError as exc:
            raise ImageLoadError("error.file_corrupt") from exc
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
