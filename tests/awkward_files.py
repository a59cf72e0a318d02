"""Builders of awkward photo files, for the loader's tests and the app's upload tests.

Every builder returns ``(name, data, mime)`` like an upload. :func:`awkward_files` lists them
all with the error key the loader must raise (``None``: it must load), so an app test can
upload each in turn::

    for name, data, mime, error_key in awkward_files():
        at.file_uploader[0].set_value((name, data, mime)).run()

Images are tiny and synthetic with exact content, so each test can check a marker pixel.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

import numpy as np
from PIL import Image

Upload = tuple[str, bytes, str]

# A 64 × 48 test card: white, with a red 8 × 8 block in the top-left corner as stored.
CARD_SIZE = (64, 48)  # (width, height)
MARKER = (255, 0, 0)


def _card() -> Image.Image:
    pixels = np.full((CARD_SIZE[1], CARD_SIZE[0], 3), 255, np.uint8)
    pixels[:8, :8] = MARKER
    return Image.fromarray(pixels)


def _encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_from_raw(width: int, height: int, bit_depth: int, color_type: int, rows: bytes) -> bytes:
    """Write a PNG by hand: ``rows`` are the raw scanlines, each prefixed with filter byte 0.

    Pillow cannot write 16-bit colour PNGs and checks sizes when it writes, so the awkward
    ones are assembled chunk by chunk (valid CRCs throughout).
    """
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + (_png_chunk(b"IDAT", zlib.compress(rows)) if rows else b"")
        + _png_chunk(b"IEND", b"")
    )


def exif_rotated_jpeg() -> Upload:
    """64 × 48 stored, EXIF Orientation 6 (rotate 90° clockwise to view): 48 × 64 upright.

    The stored top-left marker must come out in the top-right corner.
    """
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _encode(_card(), "JPEG", quality=95, exif=exif.tobytes())
    return "rotated-phone.jpg", data, "image/jpeg"


def _s15fixed16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz_tag(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + bytes(4) + _s15fixed16(x) + _s15fixed16(y) + _s15fixed16(z)


def linear_rgb_icc() -> bytes:
    """An ICC v2 display profile: sRGB primaries but linear (gamma 1.0) tone curves.

    No ICC file ships on a bare machine, so this one is assembled from the spec (header,
    tag table, desc/wtpt/rXYZ/gXYZ/bXYZ/rTRC/gTRC/bTRC). A pixel value 128 in it is linear
    light 0.502, which sRGB encodes as 188: a loader that ignores the profile gives 128.
    """
    d50 = (0.9642, 1.0, 0.8249)
    curve = b"curv" + bytes(4) + struct.pack(">IH", 1, 0x0100) + bytes(2)  # gamma 1.0
    name = b"Linear sRGB primaries (test)\x00"
    desc = b"desc" + bytes(4) + struct.pack(">I", len(name)) + name + bytes(4 + 4 + 2 + 1 + 67)
    tags = (
        (b"desc", desc),
        (b"wtpt", _xyz_tag(*d50)),
        (b"rXYZ", _xyz_tag(0.4361, 0.2225, 0.0139)),  # sRGB colorants adapted to D50
        (b"gXYZ", _xyz_tag(0.3851, 0.7169, 0.0971)),
        (b"bXYZ", _xyz_tag(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    )
    data_start = 128 + 4 + 12 * len(tags)
    entries, blobs = b"", b""
    for signature, body in tags:
        body += bytes(-len(body) % 4)
        entries += signature + struct.pack(">II", data_start + len(blobs), len(body))
        blobs += body
    header = (
        struct.pack(">I", data_start + len(blobs))
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + bytes(12)  # date
        + b"acsp"
        + bytes(24)  # platform, flags, manufacturer, model, attributes
        + bytes(4)  # rendering intent: perceptual
        + b"".join(_s15fixed16(v) for v in d50)
        + bytes(48)  # creator, profile id, reserved
    )
    return header + struct.pack(">I", len(tags)) + entries + blobs


def icc_linear_png() -> Upload:
    """32 × 32 gray 128 tagged with :func:`linear_rgb_icc`: must load as 188 (± 1)."""
    image = Image.new("RGB", (32, 32), (128, 128, 128))
    return "wide-gamut.png", _encode(image, "PNG", icc_profile=linear_rgb_icc()), "image/png"


def broken_icc_png() -> Upload:
    """32 × 32 gray 128 carrying an ICC chunk that is not a profile: loads, profile ignored."""
    image = Image.new("RGB", (32, 32), (128, 128, 128))
    return "odd-profile.png", _encode(image, "PNG", icc_profile=b"not a profile" * 10), "image/png"


def gray_jpeg() -> Upload:
    """32 × 32 8-bit grayscale JPEG of gray 90."""
    return "bw-photo.jpg", _encode(Image.new("L", (32, 32), 90), "JPEG", quality=95), "image/jpeg"


def bilevel_png() -> Upload:
    """32 × 32 one-bit PNG, black left half, white right half (a scanned line drawing)."""
    image = Image.new("1", (32, 32), 1)
    image.paste(0, (0, 0, 16, 32))
    return "line-art.png", _encode(image, "PNG"), "image/png"


def float_tiff() -> Upload:
    """32 × 16 32-bit float TIFF with values 0.0 (left half) and 0.5 (right half)."""
    pixels = np.zeros((16, 32), np.float32)
    pixels[:, 16:] = 0.5
    return "scientific.tif", _encode(Image.fromarray(pixels, mode="F"), "TIFF"), "image/tiff"


def mpo_jpeg() -> Upload:
    """A two-picture MPO (phone portrait-mode / 3D JPEG): the card, then a black frame."""
    black = Image.new("RGB", CARD_SIZE, (0, 0, 0))
    data = _encode(_card(), "MPO", save_all=True, append_images=[black], quality=95)
    return "portrait-mode.jpg", data, "image/jpeg"


# CMYK swatches left to right: paper white, full black ink, pure cyan, pure yellow.
CMYK_SWATCHES = ((0, 0, 0, 0), (0, 0, 0, 255), (255, 0, 0, 0), (0, 0, 255, 0))
CMYK_SWATCHES_AS_RGB = ((255, 255, 255), (0, 0, 0), (0, 255, 255), (255, 255, 0))


def cmyk_jpeg() -> Upload:
    """A print-shop CMYK JPEG of four 16 × 32 swatches (``CMYK_SWATCHES``), no profile."""
    pixels = np.zeros((32, 64, 4), np.uint8)
    for index, ink in enumerate(CMYK_SWATCHES):
        pixels[:, index * 16 : (index + 1) * 16] = ink
    image = Image.fromarray(pixels, mode="CMYK")
    return "print-shop-cmyk.jpg", _encode(image, "JPEG", quality=95), "image/jpeg"


# 16-bit values in the four column bands of the 16-bit PNGs, and what 8 bits they scale to.
SIXTEEN_BIT_VALUES = (0, 257, 32768, 65535)
SIXTEEN_BIT_AS_8 = (0, 1, 128, 255)


def png16_gray() -> Upload:
    """32 × 16 16-bit gray PNG, four 8-pixel bands of ``SIXTEEN_BIT_VALUES``."""
    row = np.repeat(np.array(SIXTEEN_BIT_VALUES, ">u2"), 8)
    rows = b"".join(b"\x00" + row.tobytes() for _ in range(16))
    return "scan-16bit-gray.png", png_from_raw(32, 16, 16, 0, rows), "image/png"


def png16_rgb() -> Upload:
    """32 × 16 16-bit RGB PNG, the same bands in all three channels."""
    row = np.repeat(np.repeat(np.array(SIXTEEN_BIT_VALUES, ">u2"), 8), 3)
    rows = b"".join(b"\x00" + row.tobytes() for _ in range(16))
    return "scan-16bit-rgb.png", png_from_raw(32, 16, 16, 2, rows), "image/png"


def png16_gray_alpha() -> Upload:
    """16 × 16 16-bit gray + alpha PNG; columns repeat: transparent, 32768 opaque,
    65535 opaque, 0 opaque. Must load as white, 128, 255, 0."""
    pairs = np.array([[0, 0], [32768, 65535], [65535, 65535], [0, 65535]] * 4, ">u2")
    rows = b"".join(b"\x00" + pairs.tobytes() for _ in range(16))
    return "scan-16bit-alpha.png", png_from_raw(16, 16, 16, 4, rows), "image/png"


def gray_transparent_key_png() -> Upload:
    """32 × 32 gray PNG whose gray 0 is marked transparent (tRNS), right half gray 200."""
    image = Image.new("L", (32, 32), 0)
    image.paste(200, (16, 0, 32, 32))
    return "gray-key.png", _encode(image, "PNG", transparency=0), "image/png"


def rgba_png() -> Upload:
    """32 × 16 RGBA: left half transparent black, then half-transparent black, then opaque red.

    Columns 0–15 alpha 0 (must become white), 16–23 alpha 128 (mid-gray), 24–31 opaque red.
    """
    pixels = np.zeros((16, 32, 4), np.uint8)
    pixels[:, 16:24, 3] = 128
    pixels[:, 24:] = (255, 0, 0, 255)
    return "cutout.png", _encode(Image.fromarray(pixels, mode="RGBA"), "PNG"), "image/png"


def palette_png() -> Upload:
    """32 × 16 palette PNG: index 0 transparent (left half), index 1 blue (right half)."""
    image = Image.new("P", (32, 16), 0)
    image.putpalette([0, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (16, 0, 32, 16))
    return "clipart-palette.png", _encode(image, "PNG", transparency=0), "image/png"


def animated_gif() -> Upload:
    """Two-frame 32 × 32 GIF: first frame red, second blue. Only the first is used."""
    frames = [Image.new("RGB", (32, 32), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return "animated.gif", buffer.getvalue(), "image/gif"


def webp_lossless() -> Upload:
    """The test card as lossless WebP."""
    return "card.webp", _encode(_card(), "WEBP", lossless=True), "image/webp"


def bmp_card() -> Upload:
    """The test card as BMP."""
    return "card.bmp", _encode(_card(), "BMP"), "image/bmp"


def tiff_card() -> Upload:
    """The test card as LZW-compressed TIFF."""
    return "card.tif", _encode(_card(), "TIFF", compression="tiff_lzw"), "image/tiff"


def heic_card() -> Upload:
    """The test card as a HEIC phone photo (pillow-heif encoder, high quality)."""
    from pillow_heif import register_heif_opener

    register_heif_opener()
    return "IMG_0001.HEIC", _encode(_card(), "HEIF", quality=95), "image/heic"


def heic_10bit() -> Upload:
    """48 × 32 10-bit HEIC (as newer phones shoot): left half full red, right half 50% gray.

    Must come out 8-bit: red (255, 0, 0) and gray 128, give or take the codec.
    """
    import pillow_heif

    pixels = np.zeros((32, 48, 3), np.uint16)
    pixels[..., 0] = 65535
    pixels[:, 24:] = 32768
    heif = pillow_heif.from_bytes(mode="RGB;16", size=(48, 32), data=pixels.tobytes())
    buffer = io.BytesIO()
    heif.save(buffer, quality=-1)  # -1: lossless
    return "IMG_0002.HEIC", buffer.getvalue(), "image/heic"


def tiny_png() -> Upload:
    """An 8 × 8 icon: refused, too few pixels to hold any tone."""
    return "icon.png", _encode(Image.new("RGB", (8, 8), (90, 60, 30)), "PNG"), "image/png"


def panorama_png() -> Upload:
    """A 4000 × 40 strip (100:1): refused as too long and narrow."""
    return "panorama.png", _encode(Image.new("L", (4000, 40), 128), "PNG"), "image/png"


FLAT_COLOUR = (200, 170, 120)


def flat_png() -> Upload:
    """A 200 × 150 photo of nothing but one colour: loads (the engine makes one region)."""
    return "blank-wall.png", _encode(Image.new("RGB", (200, 150), FLAT_COLOUR), "PNG"), "image/png"


def truncated_jpeg() -> Upload:
    """A noisy 256 × 256 JPEG cut off after 60% of its bytes, as an interrupted transfer."""
    noise = np.random.default_rng(7).integers(0, 256, (256, 256, 3), dtype=np.uint8)
    data = _encode(Image.fromarray(noise), "JPEG", quality=90)
    return "half-sent.jpg", data[: len(data) * 6 // 10], "image/jpeg"


def empty_file() -> Upload:
    """Zero bytes."""
    return "empty.jpg", b"", "image/jpeg"


def text_named_png() -> Upload:
    """A text file wearing a .png name."""
    return "photo.png", b"This is not a picture, just a note.\n", "image/png"


def jpeg_named_png() -> Upload:
    """A JPEG wearing a .png name: loads, the content decides."""
    return "really-a-jpeg.png", _encode(_card(), "JPEG", quality=95), "image/png"


def png_bomb_header() -> Upload:
    """A PNG whose header claims 60000 × 60000 pixels (3.6 gigapixels) with no pixel data.

    Refused from the header alone; decoding it would need 10 GB.
    """
    return "bomb.png", png_from_raw(60000, 60000, 8, 2, b""), "image/png"


def over_byte_cap(max_bytes: int = 50 * 1024 * 1024) -> Upload:
    """A JPEG signature followed by padding to one byte over ``max_bytes``."""
    data = b"\xff\xd8\xff" + bytes(max_bytes - 2)
    return "huge.jpg", data, "image/jpeg"


def large_jpeg(width: int = 7744, height: int = 5164) -> Upload:
    """A 40 MP smooth-gradient JPEG (≈40 × 10⁶ pixels), as from a modern phone or camera.

    Built from broadcast gradients so it encodes in well under a second.
    """
    ramp_x = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    ramp_y = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[..., 0] = ramp_x
    pixels[..., 1] = ramp_y
    pixels[..., 2] = 128
    return "camera-40mp.jpg", _encode(Image.fromarray(pixels), "JPEG", quality=85), "image/jpeg"


@cache
def awkward_files() -> tuple[tuple[str, bytes, str, str | None], ...]:
    """Every awkward upload with the loader's expected error key (``None``: must load).

    The 40 MP JPEG is left out to keep this quick; build it with :func:`large_jpeg`.
    """
    cases = (
        (exif_rotated_jpeg, None),
        (cmyk_jpeg, None),
        (png16_gray, None),
        (png16_rgb, None),
        (png16_gray_alpha, None),
        (gray_transparent_key_png, None),
        (rgba_png, None),
        (palette_png, None),
        (animated_gif, None),
        (webp_lossless, None),
        (bmp_card, None),
        (tiff_card, None),
        (heic_card, None),
        (heic_10bit, None),
        (flat_png, None),
        (jpeg_named_png, None),
        (icc_linear_png, None),
        (broken_icc_png, None),
        (gray_jpeg, None),
        (bilevel_png, None),
        (float_tiff, None),
        (mpo_jpeg, None),
        (tiny_png, "error.too_small"),
        (panorama_png, "error.too_narrow"),
        (truncated_jpeg, "error.file_corrupt"),
        (empty_file, "error.file_empty"),
        (text_named_png, "error.file_type"),
        (png_bomb_header, "error.too_many_pixels"),
        (over_byte_cap, "error.file_too_large"),
    )
    return tuple((*build(), error_key) for build, error_key in cases)
