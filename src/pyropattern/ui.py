"""Pure helpers behind the Streamlit app, kept here so they can be tested without Streamlit.

The app keeps one session-state entry per setting, keyed by its flat name (``"tones.levels"``,
see :func:`~pyropattern.settings.flat_settings`). Two settings are shown as several widgets and
so have derived keys: the crop box (two range sliders in percent) and the manual thresholds
(one slider each). :func:`state_from_settings` and :func:`settings_from_state` convert between
that state and :class:`~pyropattern.settings.Settings`; :func:`query_from_settings` and
:func:`settings_from_query` do the same for the URL query string.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np
from PIL import Image

from .i18n import Lang, format_number, normalize_lang
from .settings import (
    PrepareSettings,
    Settings,
    flat_settings,
    parse_settings_value,
    settings_from_flat,
    settings_to_dict,
    widget_keys,
)

# ---------------------------------------------------------------------------------------------
# Units

# Widget floats (0.1 + 0.2 …) are rounded to this many decimals so URLs and JSON stay tidy and
# a link reproduces exactly the settings it was made from.
_DECIMALS = 4

UNITS: tuple[str, ...] = ("mm", "cm", "in")
MM_PER_UNIT: dict[str, float] = {"mm": 1.0, "cm": 10.0, "in": 25.4}
# Step and decimals of the size inputs per unit: 5 mm, 0,5 cm and 1/4 inch are all a few mm.
UNIT_STEP: dict[str, float] = {"mm": 5.0, "cm": 0.5, "in": 0.25}
UNIT_DECIMALS: dict[str, int] = {"mm": 0, "cm": 1, "in": 2}


def to_unit(mm: float, unit: str) -> float:
    """Convert a length in millimetres to ``unit`` ("mm", "cm" or "in")."""
    return mm / MM_PER_UNIT[unit]


def from_unit(value: float, unit: str) -> float:
    """Convert a length in ``unit`` ("mm", "cm" or "in") to millimetres."""
    return value * MM_PER_UNIT[unit]


def design_aspect(photo_size: tuple[int, int], prepare: PrepareSettings) -> float:
    """Width / height of the design a photo gives after rotation and crop.

    Parameters
    ----------
    photo_size : tuple of int
        ``(width, height)`` of the upright photo (EXIF orientation applied), pixels.
    prepare : PrepareSettings
        Supplies the quarter turns and the crop box, which is in fractions of the turned
        photo (the crop is applied after rotation, as in ``prepare.orient_and_crop``).
    """
    width, height = photo_size
    if prepare.rotate_quarters % 2:
        width, height = height, width
    left, top, right, bottom = prepare.crop
    return (width * (right - left)) / (height * (bottom - top))


def grid(low: float, high: float, step: float) -> tuple[float, ...]:
    """Evenly spaced slider stops from ``low`` to ``high`` inclusive, tidily rounded."""
    count = round((high - low) / step)
    return tuple(round(low + index * step, _DECIMALS) for index in range(count + 1))


def slider_options(
    stops: Sequence[float], current: float | None, bounds: tuple[float, float] | None = None
) -> tuple[float, ...]:
    """The stops of a slider, plus ``current`` wherever it lies.

    The app's decimal sliders are select-sliders so their numbers can be written with the
    language's decimal separator; a select-slider only takes values from its list, and a
    setting loaded from a file or URL may sit between the stops. ``bounds`` is the setting's
    range in the schema: stops outside it are dropped and both ends added, so the widget
    spans exactly what validation accepts.
    """
    values = {round(float(stop), _DECIMALS) for stop in stops}
    if bounds is not None:
        low, high = bounds
        values = {value for value in values if low <= value <= high} | {low, high}
    if current is not None:
        values.add(round(float(current), _DECIMALS))
    return tuple(sorted(values))


@cache
def format_quantity(value: float, unit: str, lang: str, digits: int = 1) -> str:
    """Write a number and its unit for ``lang``: ``"1.5 mm"`` or ``"1,5 mm"``; "%" and "°" hug."""
    number = format_number(value, lang, digits)
    if not unit:
        return number
    return f"{number}{unit}" if unit in ("%", "°") else f"{number} {unit}"


# ---------------------------------------------------------------------------------------------
# Session state <-> settings

CROP_HORIZONTAL = "prepare.crop.horizontal"  # (left, right) in percent of the photo width
CROP_VERTICAL = "prepare.crop.vertical"  # (top, bottom) in percent of the photo height
_COMPOSITE = ("prepare.crop", "tones.thresholds")


def threshold_key(index: int) -> str:
    """Session-state key of manual threshold ``index`` (0 = darkest border)."""
    return f"tones.thresholds.{index}"


def even_thresholds(levels: int) -> tuple[float, ...]:
    """``levels - 1`` thresholds splitting the gray range into equal steps."""
    return tuple(round(step / levels, _DECIMALS) for step in range(1, levels))


def push_apart(
    values: Sequence[float], moved: int, gap: float = 0.01, low: float = 0.01, high: float = 0.99
) -> tuple[float, ...]:
    """Keep manual thresholds increasing after one was moved, by pushing its neighbours.

    The moved value stays where it was put (clamped so every threshold still fits between
    ``low`` and ``high`` at least ``gap`` apart); thresholds it ran into move along with it.

    Parameters
    ----------
    values : sequence of float
        The thresholds, darkest border first, with ``values[moved]`` already at its new place.
    moved : int
        Index of the threshold the user moved.
    """
    count = len(values)
    # Each threshold first goes into the band where all of them can still fit in order.
    out = [
        min(max(float(value), low + index * gap), high - (count - 1 - index) * gap)
        for index, value in enumerate(values)
    ]
    for index in range(moved + 1, count):
        out[index] = max(out[index], out[index - 1] + gap)
    for index in range(moved - 1, -1, -1):
        out[index] = min(out[index], out[index + 1] - gap)
    return tuple(round(value, _DECIMALS) for value in out)


def state_from_settings(settings: Settings) -> dict[str, Any]:
    """Return the session-state entries that show ``settings`` in the app's widgets.

    Every flat setting gets its own key, except the crop box (:data:`CROP_HORIZONTAL`,
    :data:`CROP_VERTICAL`, percent) and the thresholds (:func:`threshold_key`), which are
    filled with :func:`even_thresholds` when the method is not manual, so that switching to
    manual starts from something sensible.
    """
    flat = flat_settings(settings)
    state = {key: value for key, value in flat.items() if key not in _COMPOSITE}
    left, top, right, bottom = settings.prepare.crop
    state[CROP_HORIZONTAL] = (round(left * 100, 2), round(right * 100, 2))
    state[CROP_VERTICAL] = (round(top * 100, 2), round(bottom * 100, 2))
    thresholds = settings.tones.thresholds or even_thresholds(settings.tones.levels)
    for index, value in enumerate(thresholds):
        state[threshold_key(index)] = value
    return state


def _tidy(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, _DECIMALS)
    return value


def settings_from_state(state: Mapping[str, Any], base: Settings | None = None) -> Settings:
    """Build :class:`Settings` from session state laid out as :func:`state_from_settings` does.

    Keys that are absent keep their value in ``base`` (defaults when ``None``).

    Raises
    ------
    SettingsError
        If a value is out of range or the manual thresholds are not increasing.
    """
    base = base or Settings()
    flat = {
        key: _tidy(state[key])
        for key in flat_settings(base)
        if key not in _COMPOSITE and key in state
    }
    if CROP_HORIZONTAL in state and CROP_VERTICAL in state:
        left, right = state[CROP_HORIZONTAL]
        top, bottom = state[CROP_VERTICAL]
        flat["prepare.crop"] = [round(v / 100, _DECIMALS) for v in (left, top, right, bottom)]
    method = flat.get("tones.method", base.tones.method)
    levels = flat.get("tones.levels", base.tones.levels)
    if method == "manual":
        fallback = even_thresholds(levels)
        flat["tones.thresholds"] = [
            _tidy(float(state.get(threshold_key(i), fallback[i]))) for i in range(levels - 1)
        ]
    else:
        flat["tones.thresholds"] = []
    return settings_from_flat(flat, base)


# ---------------------------------------------------------------------------------------------
# Focus area dragged on the photo

# A drag shorter than this share of the picture is a click, not a box.
_MIN_DRAG = 0.02
_FOCUS_RGB = (255, 120, 0)  # orange: visible on skin, sky and wood alike


def focus_from_drag(drag: Mapping[str, Any] | None) -> tuple[float, float, float, float] | None:
    """The focus area (left, top, right, bottom fractions) from a box dragged on the picture.

    ``drag`` is what ``streamlit_image_coordinates(..., click_and_drag=True)`` returns:
    ``x1, y1`` where the mouse went down, ``x2, y2`` where it came up (may lie outside the
    picture) and the shown ``width, height``. A click or a sliver gives ``None``.
    """
    try:
        width, height = float(drag["width"]), float(drag["height"])
        xs = sorted(float(drag[k]) / width for k in ("x1", "x2"))
        ys = sorted(float(drag[k]) / height for k in ("y1", "y2"))
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    left, right = (min(max(v, 0.0), 1.0) for v in xs)
    top, bottom = (min(max(v, 0.0), 1.0) for v in ys)
    if right - left < _MIN_DRAG or bottom - top < _MIN_DRAG:
        return None
    return tuple(round(v, _DECIMALS) for v in (left, top, right, bottom))  # type: ignore


def focus_picture(rgb: np.ndarray, area: Sequence[float], width_px: int) -> np.ndarray:
    """The framed photo ``width_px`` wide with the focus ellipse (and its box) drawn on it."""
    rows, cols = rgb.shape[:2]
    factor = width_px / cols
    size = (width_px, max(1, round(rows * factor)))
    picture = cv2.resize(np.ascontiguousarray(rgb), size, interpolation=cv2.INTER_AREA)
    if len(area) == 4:
        left, top, right, bottom = area
        box = (round(left * size[0]), round(top * size[1]),
               round(right * size[0]), round(bottom * size[1]))  # fmt: skip
        centre = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
        axes = (max(1, (box[2] - box[0]) // 2), max(1, (box[3] - box[1]) // 2))
        cv2.rectangle(picture, box[:2], box[2:], _FOCUS_RGB, 1, cv2.LINE_AA)
        cv2.ellipse(picture, centre, axes, 0, 0, 360, _FOCUS_RGB, 3, cv2.LINE_AA)
    return picture


def crop_picture(rgb: np.ndarray, crop: Sequence[float], width_px: int) -> np.ndarray:
    """The turned photo ``width_px`` wide with the crop box drawn and the cut-away part dimmed.

    Parameters
    ----------
    rgb : (M, N, 3) uint8 array
        The photo rotated and flipped as the design is, not yet cropped.
    crop : sequence of float
        (left, top, right, bottom) fractions of ``rgb``, as ``PrepareSettings.crop``.
    width_px : int
        Width of the picture (the sidebar is about 300 px wide; shown scaled to fit).
    """
    rows, cols = rgb.shape[:2]
    size = (width_px, max(1, round(rows * width_px / cols)))
    picture = cv2.resize(np.ascontiguousarray(rgb), size, interpolation=cv2.INTER_AREA)
    left, top, right, bottom = crop
    x0, x1 = round(left * size[0]), round(right * size[0])
    y0, y1 = round(top * size[1]), round(bottom * size[1])
    # The part that is cut away is shown at 40% so the kept part stands out.
    kept = picture[y0:y1, x0:x1].copy()
    picture = (picture.astype(np.uint16) * 2 // 5).astype(np.uint8)
    picture[y0:y1, x0:x1] = kept
    cv2.rectangle(picture, (x0, y0), (max(x0, x1 - 1), max(y0, y1 - 1)), _FOCUS_RGB, 2)
    return picture


def crop_from_drag(drag: Mapping[str, Any] | None) -> dict[str, tuple[float, float]] | None:
    """The crop sliders' values (percent) from a box dragged on :func:`crop_picture`.

    Returns ``{CROP_HORIZONTAL: (left, right), CROP_VERTICAL: (top, bottom)}`` in percent of
    the turned photo, or ``None`` for a click or a sliver (as :func:`focus_from_drag`).
    """
    box = focus_from_drag(drag)
    if box is None:
        return None
    left, top, right, bottom = (round(value * 100, 2) for value in box)
    return {CROP_HORIZONTAL: (left, right), CROP_VERTICAL: (top, bottom)}


# ---------------------------------------------------------------------------------------------
# URL query string

SETTING_KEYS: frozenset[str] = frozenset(flat_settings(Settings()))


def _encode_query_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def _decode_query_value(text: str) -> Any:
    """A query value as JSON where it is JSON (``6``, ``[0.1,0,1,1]``, ``NaN``), else the text.

    Parsed by the settings' own bounded parser, so a 5,000-deep ``[[[…`` is refused as text
    (and then as the wrong type) rather than recursing.
    """
    try:
        return parse_settings_value(text)
    except ValueError:
        return text


def query_from_settings(settings: Settings, base: Settings | None = None) -> dict[str, str]:
    """Return the query parameters of the settings that differ from ``base`` (the defaults).

    Keys are flat setting names, values readable text (``tones.levels=6``,
    ``tones.method=even``, ``prepare.crop=[0.1,0,1,1]``); values equal to ``base`` are left
    out to keep links short, and so are settings without a widget, which links cannot set (a
    preset's hidden values travel as the preset's name, which the app passes as ``base``).
    """
    defaults = flat_settings(base or Settings())
    allowed = widget_keys()
    return {
        key: _encode_query_value(value)
        for key, value in flat_settings(settings).items()
        if value != defaults[key] and key in allowed
    }


def settings_from_query(params: Mapping[str, str], base: Settings | None = None) -> Settings:
    """Inverse of :func:`query_from_settings`; parameters without a dot (``lang``) are ignored.

    Only settings the app has a widget for are taken (:func:`~pyropattern.settings.widget_keys`):
    a link is the one input anybody can hand a trainee, and a hidden setting such as the
    working size would multiply the cost of every run.

    Raises
    ------
    SettingsError
        If a dotted parameter is not a setting, not one links may set, or its value is
        mistyped or out of range.
    """
    flat = {key: _decode_query_value(value) for key, value in params.items() if "." in key}
    return settings_from_flat(flat, base, allowed=widget_keys())


def initial_lang(query_lang: str | None, browser_locale: str | None) -> Lang:
    """The language a new session starts in: the URL's, else the browser's, else English."""
    if query_lang in ("en", "id"):
        return query_lang  # type: ignore[return-value]
    return normalize_lang(browser_locale)


# ---------------------------------------------------------------------------------------------
# Cache keys of the pipeline stages


def _digest(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode()).hexdigest()


def bytes_digest(data: bytes) -> str:
    """A short fingerprint of a photo's bytes, used to key the cached stages."""
    return hashlib.sha1(data).hexdigest()


@dataclass(frozen=True)
class StageKeys:
    """One key per pipeline stage; a stage's key changes only when it or an upstream input does.

    Each key folds in the previous one, so moving the label-size slider changes ``labels`` and
    ``stencil`` and leaves ``prepare`` … ``outlines`` (and their cached results) alone.
    """

    prepare: str
    importance: str
    lines: str  # also the key of the tone source, which reads nothing else
    tones: str
    clean: str
    outlines: str
    labels: str
    stencil: str


def stage_keys(photo_digest: str, settings: Settings) -> StageKeys:
    """Return the cache key of each stage for a photo and settings.

    Parameters
    ----------
    photo_digest : str
        :func:`bytes_digest` of the photo file.
    settings : Settings
        All settings; each stage reads only its own group (plus the print width for prepare
        and the line weight for labels, which those stages take as arguments).
    """
    groups = settings_to_dict(settings)
    prepare = _digest(photo_digest, groups["prepare"], settings.print.width_mm)
    importance = _digest(prepare, groups["focus"])
    lines = _digest(importance, groups["lines"])
    tones = _digest(lines, groups["tones"])
    clean = _digest(tones, groups["clean"])
    # Cleaning merges regions too narrow for their smallest number, so what sets that width
    # (numbers shown and fitted inside, smallest height, line weight) is part of its key.
    fit = settings.labels
    outlines = _digest(clean, groups["trace"], fit.show, fit.fit_inside, fit.min_height_mm,
                       settings.print.line_weight_mm)
    labels = _digest(outlines, groups["labels"], settings.print.line_weight_mm)
    stencil = _digest(labels, groups)
    return StageKeys(prepare, importance, lines, tones, clean, outlines, labels, stencil)


# ---------------------------------------------------------------------------------------------
# Legend


@dataclass(frozen=True)
class LegendEntry:
    """One swatch of the value scale: the level as people count it, its colour and area."""

    number: int  # 1..N, 1 = lightest
    color: str  # CSS hex colour "#rrggbb"
    share: str  # area of the design in this level, formatted for the language ("12,5%")


def _css_color(shade: Sequence[int] | float) -> str:
    if isinstance(shade, int | float):
        level = round(float(shade) * 255)
        return f"#{level:02x}{level:02x}{level:02x}"
    red, green, blue = (int(channel) for channel in shade[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def legend_entries(
    shades: Sequence[Sequence[int] | float], area_share: Sequence[float], lang: str
) -> list[LegendEntry]:
    """Return the value-scale legend, lightest level first.

    Parameters
    ----------
    shades : sequence
        One colour per level, lightest first: an RGB triple of 0..255 ints, or a gray in 0..1.
    area_share : sequence of float
        Fraction of the design in each level, lightest first.
    lang : str
        Language the percentages are formatted for (decimal comma in Indonesian).

    Raises
    ------
    ValueError
        If ``shades`` and ``area_share`` differ in length.
    """
    if len(shades) != len(area_share):
        raise ValueError(
            f"need one shade per level: got {len(shades)} shades for {len(area_share)} levels"
        )
    return [
        LegendEntry(index + 1, _css_color(shade), f"{format_number(share * 100, lang, 1)}%")
        for index, (shade, share) in enumerate(zip(shades, area_share, strict=True))
    ]


def file_stem(source: str, word: str = "pola") -> str:
    """A safe download name stem: ``word`` then the photo's name without its extension.

    ``"IMG 0042.HEIC"`` → ``"pola-img-0042"``; with ``word="pattern"`` and ``"Cat"`` →
    ``"pattern-cat"``. ``word`` is the file kind in the user's language, so a download reads
    ``pattern-cat.pdf`` in English and ``pola-kucing.pdf`` in Indonesian.
    """
    return f"{word}-{photo_slug(source)}" if photo_slug(source) else word


def photo_slug(source: str) -> str:
    """Lower-case ASCII words of a photo's name, joined by "-", at most 40 characters."""
    stem = source.rsplit(".", 1)[0] if "." in source else source
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in stem.lower())
    return "-".join(part for part in slug.split("-") if part)[:40]


def design_title(source: str) -> str:
    """The design's name for page headers and file titles: a file name loses its extension
    ("kucing saya.jpg" → "kucing saya"), a sample's display name its hint ("Cat (fur)" → "Cat")."""
    if source.endswith(")") and " (" in source:
        return source[: source.rindex(" (")]
    stem = source.rsplit(".", 1)[0] if "." in source[1:] else source
    return stem.strip() or source


def tone_underlay(lines: np.ndarray, tones: np.ndarray, strength: float = 0.3) -> np.ndarray:
    """The pattern with a faint tone map under its lines, so the subject shows at a glance.

    Parameters
    ----------
    lines : (M, N) uint8 array
        The stencil as it prints: dark lines and numbers on white.
    tones : (M, N, 3) uint8 array
        The levels in their burn shades, same size.
    strength : float
        How much of the tone map shows, 0 (none) to 1 (full shades). At 0.3 the darkest
        level is a light tan, so every line and number keeps its contrast.

    Returns
    -------
    (M, N, 3) uint8 array
        ``faint tones × lines`` (a multiply blend): black stays black, white shows the tone.

    Raises
    ------
    ValueError
        If the shapes differ or ``strength`` is outside 0..1.
    """
    if lines.shape != tones.shape[:2] or tones.ndim != 3:
        raise ValueError(f"need (M, N) lines and (M, N, 3) tones, got {lines.shape}, {tones.shape}")
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be between 0 and 1, got {strength}")
    faint = 255.0 - (255.0 - tones.astype(np.float32)) * strength
    out = faint * (lines.astype(np.float32)[..., None] / 255.0)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Fix:
    """A one-click answer to an engine warning: the button's words and the settings it sets."""

    label_key: str  # translation key of the button ("app.fix.min_region")
    params: dict[str, Any]  # parameters of the button's words
    changes: dict[str, Any]  # flat setting name -> new value


def warning_fix(key: str, params: Mapping[str, Any], settings: Settings) -> Fix | None:
    """The fix for an engine warning (``Stencil.warnings``), or None where there is no one
    setting that answers it.

    - numbers outside their areas: the "every number inside" switch when it is off, else the
      smallest area the engine suggests (rounded up to a whole mm²);
    - fewer tones in the photo than levels asked for: as many levels as there are tones;
    - too many areas: one level fewer.
    """
    if key == "warning.labels_outside" and not settings.labels.fit_inside:
        return Fix("app.fix.fit_inside", {}, {"labels.fit_inside": True})
    if key == "warning.labels_outside" and params.get("suggested"):
        area = float(math.ceil(float(params["suggested"])))
        if area > settings.clean.min_region_mm2:
            return Fix("app.fix.min_region", {"area": int(area)}, {"clean.min_region_mm2": area})
    if key == "warning.few_tones":
        levels = max(2, int(params["found"]))
        if levels < settings.tones.levels:
            return Fix("app.fix.levels", {"levels": levels}, {"tones.levels": levels})
    if key == "warning.many_regions" and settings.tones.levels > 2:
        # One level fewer is what cuts the count: on the portrait sample 6 → 5 levels gave
        # 164 → 131 areas, while a smallest area of 9 → 12 mm² gave 164 → 160 (the focus
        # area keeps its own, finer minimum).
        levels = settings.tones.levels - 1
        return Fix("app.fix.fewer_levels", {"levels": levels}, {"tones.levels": levels})
    return None


# CommonMark lets a backslash escape any ASCII punctuation, and escaping all of it is the only
# list that cannot miss one ("=" and "-" under a line make a heading, "&" starts an entity).
_MARKDOWN_SPECIALS = frozenset(string.punctuation)


def escape_markdown(text: str) -> str:
    """Make any text show as typed where Streamlit renders markdown (errors, captions, labels).

    Every ASCII punctuation mark gets a backslash, so no link, image, emphasis, heading,
    maths (``$…$``) or HTML survives; line breaks and other control characters become spaces,
    so the text stays one line. File names come from users' phones and values from links:
    ``"$5 *sale*.jpg"`` or ``[Log in](http://…)`` must be shown as typed.
    """
    return "".join(
        f"\\{ch}" if ch in _MARKDOWN_SPECIALS else (ch if ch.isprintable() else " ")
        for ch in text
    )


def png_bytes(image: np.ndarray, max_width: int | None = None) -> bytes:
    """Encode an (M, N) gray or (M, N, 3) RGB uint8 array as PNG for the screen.

    Fast compression (level 1): the bytes only travel to the browser, and the previews must
    re-encode on every settings change. ``max_width`` shrinks a wider image first (aspect
    kept), so a camera photo does not travel at full size to fill half a column.
    """
    picture = Image.fromarray(np.ascontiguousarray(image))
    if max_width is not None and picture.width > max_width:
        height = max(1, round(picture.height * max_width / picture.width))
        picture = picture.resize((max_width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


__all__ = [
    "CROP_HORIZONTAL",
    "CROP_VERTICAL",
    "MM_PER_UNIT",
    "SETTING_KEYS",
    "UNITS",
    "Fix",
    "LegendEntry",
    "StageKeys",
    "bytes_digest",
    "crop_from_drag",
    "crop_picture",
    "design_aspect",
    "design_title",
    "escape_markdown",
    "even_thresholds",
    "file_stem",
    "format_quantity",
    "from_unit",
    "grid",
    "initial_lang",
    "legend_entries",
    "photo_slug",
    "png_bytes",
    "push_apart",
    "query_from_settings",
    "settings_from_query",
    "settings_from_state",
    "slider_options",
    "stage_keys",
    "state_from_settings",
    "threshold_key",
    "to_unit",
    "tone_underlay",
    "warning_fix",
]
