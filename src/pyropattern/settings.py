"""All tuning parameters, one frozen dataclass per stage, with their defaults and rules.

Defaults live here and nowhere else. Every field has a one-line meaning; sizes a user thinks
about are in millimetres at the print size. Validation happens in ``__post_init__`` and raises
:class:`~pyropattern.errors.SettingsError` stating the whole rule. Settings round-trip through
JSON (:func:`settings_to_json`, :func:`settings_from_json`) for saving, sharing and URLs.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from .errors import SettingsError

ToneMethod = Literal["otsu", "quantile", "even", "manual"]
TONE_METHODS: tuple[str, ...] = typing.get_args(ToneMethod)
PaperName = Literal["A4", "F4", "Letter", "Legal", "A3", "custom"]
PAPERS: tuple[str, ...] = typing.get_args(PaperName)
Orientation = Literal["auto", "portrait", "landscape"]
ORIENTATIONS: tuple[str, ...] = typing.get_args(Orientation)
TransferMethod = Literal["graphite", "toner", "lightbox"]
TRANSFER_METHODS: tuple[str, ...] = typing.get_args(TransferMethod)
Background = Literal["keep", "simplify", "bare"]
BACKGROUNDS: tuple[str, ...] = typing.get_args(Background)

MIN_LEVELS, MAX_LEVELS = 2, 10


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise SettingsError("error.setting_range", name=name, low=low, high=high, value=value)


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise SettingsError(
            "error.setting_choice", name=name, choices=", ".join(choices), value=value
        )


@dataclass(frozen=True)
class PrepareSettings:
    """How the photo becomes the gray image the tones are taken from."""

    working_px: int = 1600  # long side of the working raster, px (more = finer, slower)
    crop: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # left, top, right, bottom, 0..1
    rotate_quarters: int = 0  # clockwise quarter turns, 0..3
    flip_horizontal: bool = False  # mirror the photo left-right before anything else
    flip_vertical: bool = False  # mirror the photo top-bottom
    brightness: float = 0.0  # added to gray (0 black .. 1 white), -0.5..0.5
    contrast: float = 1.0  # gain about mid-gray, 0.25..4
    gamma: float = 1.0  # gray ** (1 / gamma); above 1 lightens mid-tones, 0.2..5
    local_contrast: float = 0.0  # CLAHE clip limit, 0 = off, up to 10
    invert: bool = False  # swap light and dark (for a negative or a dark-on-light look)
    smooth_mm: float = 1.2  # smoothing scale at print size, mm; 0 keeps every grain, up to 10

    def __post_init__(self) -> None:
        _check_range("prepare.working_px", self.working_px, 64, 6000)
        if len(self.crop) != 4:
            raise SettingsError("error.crop_box")
        left, top, right, bottom = self.crop
        for value in self.crop:
            _check_range("prepare.crop", value, 0.0, 1.0)
        if right - left < 0.02 or bottom - top < 0.02:
            raise SettingsError("error.crop_box")
        _check_range("prepare.rotate_quarters", self.rotate_quarters, 0, 3)
        _check_range("prepare.brightness", self.brightness, -0.5, 0.5)
        _check_range("prepare.contrast", self.contrast, 0.25, 4.0)
        _check_range("prepare.gamma", self.gamma, 0.2, 5.0)
        _check_range("prepare.local_contrast", self.local_contrast, 0.0, 10.0)
        _check_range("prepare.smooth_mm", self.smooth_mm, 0.0, 10.0)


@dataclass(frozen=True)
class ToneSettings:
    """How many burn levels and where the gray thresholds between them fall."""

    levels: int = 5  # number of burn levels N, 2..10 (1 = bare wood .. N = darkest)
    method: ToneMethod = "otsu"  # otsu | quantile (equal areas) | even (equal gray steps) | manual
    thresholds: tuple[float, ...] = ()  # manual only: N-1 increasing grays in 0..1, dark to light

    def __post_init__(self) -> None:
        _check_range("tones.levels", self.levels, MIN_LEVELS, MAX_LEVELS)
        _check_choice("tones.method", self.method, TONE_METHODS)
        if self.method == "manual":
            values = list(self.thresholds)
            increasing = all(a < b for a, b in itertools.pairwise(values))
            in_range = all(0.0 < v < 1.0 for v in values)
            if len(values) != self.levels - 1 or not increasing or not in_range:
                raise SettingsError("error.manual_thresholds", count=self.levels - 1)


@dataclass(frozen=True)
class CleanSettings:
    """How the tone map is made burnable: smooth borders, no region too small or too thin.

    The defaults (with ``PrepareSettings.smooth_mm`` = 1.2 and ``FocusSettings.smooth_mm``
    = 0.7) came from comparing variants over the bundled samples and eight other photos at
    N=5, 200 mm wide, numbers inside their regions: median SSIM 0.876, MAE 0.0297, edge
    recall 0.88, edge precision 0.52, 52 regions on the samples (0.856, 0.0251, 0.94, 0.76,
    72 on the others). A 1.8 mm band (the old default, chosen when a 1.7 mm blur made wide
    bands) cost 0.0006 MAE and 0.01 recall; ``python bench/pipeline.py --sweep`` prints the
    grid.
    """

    boundary_smooth_mm: float = 1.0  # sigma of the majority filter that rounds borders, mm, 0..5
    min_region_mm2: float = 9.0  # smallest region a tip can fill, mm² at print size, 0..400
    min_strip_mm: float = 1.2  # narrowest strip or part of a region a tip can fill, mm, 0..20
    # Narrowest band of an in-between level along an edge (e.g. 3 between 1 and 5) that is
    # kept; narrower ones join their sides so the edge is one line, mm, 0..20.
    max_band_mm: float = 1.2

    def __post_init__(self) -> None:
        _check_range("clean.boundary_smooth_mm", self.boundary_smooth_mm, 0.0, 5.0)
        _check_range("clean.min_region_mm2", self.min_region_mm2, 0.0, 400.0)
        _check_range("clean.min_strip_mm", self.min_strip_mm, 0.0, 20.0)
        _check_range("clean.max_band_mm", self.max_band_mm, 0.0, 20.0)


@dataclass(frozen=True)
class TraceSettings:
    """How region borders become smooth lines."""

    smooth_mm: float = 0.4  # length of the moving average along each line, mm, 0..5
    tolerance_mm: float = 0.08  # largest deviation allowed when dropping points, mm, 0.01..2

    def __post_init__(self) -> None:
        _check_range("trace.smooth_mm", self.smooth_mm, 0.0, 5.0)
        _check_range("trace.tolerance_mm", self.tolerance_mm, 0.01, 2.0)


@dataclass(frozen=True)
class LineSettings:
    """Thin dark features (glasses frames, whiskers, cracks) kept as single burn lines.

    A dark strip too narrow to fill with a tip would otherwise be merged away; as a line it is
    burned once with the writing tip and carries no number.
    """

    enabled: bool = True  # turn thin dark features into burn lines
    max_width_mm: float = 2.0  # widest strip that becomes a line rather than a region, mm, 0.2..5
    # Strips at least this wide, and darker than the photo's middle gray, are bold lines
    # (several strokes side by side), mm.
    bold_width_mm: float = 0.8
    min_length_mm: float = 4.0  # shortest line kept, mm, 0..100
    # How much darker than its surroundings a strip must be, as a share of the gray range
    # between the lightest and darkest level (0.25 ≈ one level step at 5 levels), 0.05..1.
    min_contrast: float = 0.25

    def __post_init__(self) -> None:
        _check_range("lines.max_width_mm", self.max_width_mm, 0.2, 5.0)
        _check_range("lines.bold_width_mm", self.bold_width_mm, 0.1, 5.0)
        _check_range("lines.min_length_mm", self.min_length_mm, 0.0, 100.0)
        _check_range("lines.min_contrast", self.min_contrast, 0.05, 1.0)


@dataclass(frozen=True)
class FocusSettings:
    """Where the pattern may be finer (the subject) and what happens to the background.

    Inside the focus the smoothing and the minimums go down to these finer values; outside
    they stay at the general ones, or go coarser with ``background = "simplify"``.
    """

    automatic: bool = True  # find the subject from the photo itself when no area is marked
    # Marked focus area: left, top, right, bottom as fractions of the cropped photo; an
    # ellipse inside this box is the focus. Empty = none marked.
    area: tuple[float, ...] = ()
    smooth_mm: float = 0.7  # smoothing scale inside the focus, mm, 0..10
    min_region_mm2: float = 4.0  # smallest region inside the focus, mm², 1..400
    min_strip_mm: float = 0.8  # narrowest strip inside the focus, mm, 0.2..20
    background: Background = "keep"  # keep | simplify (coarser outside) | bare (plain wood)

    def __post_init__(self) -> None:
        if self.area:
            if len(self.area) != 4:
                raise SettingsError("error.focus_box")
            for value in self.area:
                _check_range("focus.area", value, 0.0, 1.0)
            left, top, right, bottom = self.area
            if right - left < 0.02 or bottom - top < 0.02:
                raise SettingsError("error.focus_box")
        _check_range("focus.smooth_mm", self.smooth_mm, 0.0, 10.0)
        _check_range("focus.min_region_mm2", self.min_region_mm2, 1.0, 400.0)
        _check_range("focus.min_strip_mm", self.min_strip_mm, 0.2, 20.0)
        _check_choice("focus.background", self.background, BACKGROUNDS)


@dataclass(frozen=True)
class LabelSettings:
    """Whether and how big the level numbers are printed in the regions."""

    show: bool = True  # print each region's level number
    # Merge every region too small to hold its number (min_height_mm) inside; off lets small
    # regions stay, their numbers outside on leader lines.
    fit_inside: bool = True
    min_height_mm: float = 2.0  # smallest number height, mm; below it the number goes outside
    max_height_mm: float = 6.0  # largest number height, mm

    def __post_init__(self) -> None:
        _check_range("labels.min_height_mm", self.min_height_mm, 1.0, 20.0)
        _check_range("labels.max_height_mm", self.max_height_mm, 1.0, 40.0)
        if self.max_height_mm < self.min_height_mm:
            raise SettingsError(
                "error.label_heights", low=self.min_height_mm, high=self.max_height_mm
            )


@dataclass(frozen=True)
class PrintSettings:
    """The physical design and how it is printed: size, lines, paper, transfer method."""

    width_mm: float = 200.0  # design width on the wood, mm; the height follows the photo, 20..3000
    line_weight_mm: float = 0.3  # width of the printed lines, mm, 0.05..2
    dpi: int = 300  # resolution of PNG exports, 72..1200
    paper: PaperName = "A4"  # A4 | F4 (215 × 330 mm) | Letter | Legal | A3 | custom
    paper_width_mm: float = 210.0  # custom paper only, mm
    paper_height_mm: float = 297.0  # custom paper only, mm
    orientation: Orientation = "auto"  # auto picks the one needing fewest sheets
    margin_mm: float = 10.0  # unprintable border kept blank on each sheet, mm, 0..50
    overlap_mm: float = 10.0  # strip printed on both neighbouring sheets, mm, 0..50
    mirror: bool = False  # mirror the whole design, numbers included (toner/heat transfer)
    transfer: TransferMethod = "graphite"  # graphite | toner | lightbox line style

    def __post_init__(self) -> None:
        _check_range("print.width_mm", self.width_mm, 20.0, 3000.0)
        _check_range("print.line_weight_mm", self.line_weight_mm, 0.05, 2.0)
        _check_range("print.dpi", self.dpi, 72, 1200)
        _check_choice("print.paper", self.paper, PAPERS)
        _check_range("print.paper_width_mm", self.paper_width_mm, 50.0, 2000.0)
        _check_range("print.paper_height_mm", self.paper_height_mm, 50.0, 2000.0)
        _check_choice("print.orientation", self.orientation, ORIENTATIONS)
        _check_range("print.margin_mm", self.margin_mm, 0.0, 50.0)
        _check_range("print.overlap_mm", self.overlap_mm, 0.0, 50.0)
        _check_choice("print.transfer", self.transfer, TRANSFER_METHODS)


@dataclass(frozen=True)
class Settings:
    """Every setting of a stencil, grouped by the stage that reads it."""

    prepare: PrepareSettings = field(default_factory=PrepareSettings)
    tones: ToneSettings = field(default_factory=ToneSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    trace: TraceSettings = field(default_factory=TraceSettings)
    lines: LineSettings = field(default_factory=LineSettings)
    focus: FocusSettings = field(default_factory=FocusSettings)
    labels: LabelSettings = field(default_factory=LabelSettings)
    print: PrintSettings = field(default_factory=PrintSettings)


# Background "simplify": regions outside the focus at least this many times the general
# minimum area (about a quarter as many regions there) and smoothing twice as wide.
SIMPLIFY_AREA = 4.0
SIMPLIFY_SMOOTH = 2.0


def blend(weight, outside: float, inside: float):
    """Value at importance ``weight`` (float or array, 0..1): ``outside`` at 0, ``inside`` at 1."""
    return outside + (inside - outside) * weight


def outside_values(settings: Settings) -> tuple[float, float, float]:
    """General (importance 0) smoothing mm, minimum area mm² and minimum strip mm.

    With ``focus.background = "simplify"`` the background is coarser than the general settings.
    """
    coarse = settings.focus.background == "simplify"
    return (
        settings.prepare.smooth_mm * (SIMPLIFY_SMOOTH if coarse else 1.0),
        settings.clean.min_region_mm2 * (SIMPLIFY_AREA if coarse else 1.0),
        settings.clean.min_strip_mm,
    )


def settings_to_dict(settings: Settings) -> dict[str, dict[str, Any]]:
    """Return ``settings`` as plain JSON-ready dicts (tuples become lists)."""
    return json.loads(json.dumps(dataclasses.asdict(settings)))


def settings_to_json(settings: Settings) -> str:
    """Return ``settings`` as an indented JSON document."""
    return json.dumps(settings_to_dict(settings), indent=2, ensure_ascii=False)


def _coerce(name: str, value: Any, annotation: Any) -> Any:
    """Convert a JSON value to the field's type, refusing what does not fit."""
    origin = typing.get_origin(annotation)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise SettingsError("error.settings_value", name=name)
        return tuple(float(v) for v in value)
    if origin is Literal:
        return str(value)
    if annotation is bool:
        if not isinstance(value, bool):
            raise SettingsError("error.settings_value", name=name)
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise SettingsError("error.settings_value", name=name)
        return int(value)
    if annotation is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError("error.settings_value", name=name)
        return float(value)
    return value


def settings_from_dict(data: Any, base: Settings | None = None) -> Settings:
    """Build :class:`Settings` from dicts like :func:`settings_to_dict` gives.

    Fields left out keep their value in ``base`` (defaults when ``None``), so a partial file
    or URL works. Unknown groups or fields, wrong types and out-of-range values raise
    :class:`SettingsError`.
    """
    base = base or Settings()
    if not isinstance(data, dict):
        raise SettingsError("error.settings_file")
    groups = {}
    for group_field in dataclasses.fields(Settings):
        group_value = getattr(base, group_field.name)
        updates = data.get(group_field.name, {})
        if not isinstance(updates, dict):
            raise SettingsError("error.settings_value", name=group_field.name)
        hints = typing.get_type_hints(type(group_value))
        known = {f.name for f in dataclasses.fields(group_value)}
        for name in updates:
            if name not in known:
                raise SettingsError("error.settings_unknown", name=f"{group_field.name}.{name}")
        coerced = {
            name: _coerce(f"{group_field.name}.{name}", value, hints[name])
            for name, value in updates.items()
        }
        groups[group_field.name] = dataclasses.replace(group_value, **coerced)
    for name in data:
        if name not in groups:
            raise SettingsError("error.settings_unknown", name=name)
    return Settings(**groups)


def settings_from_json(text: str | bytes, base: Settings | None = None) -> Settings:
    """Parse a JSON document written by :func:`settings_to_json`.

    Raises
    ------
    SettingsError
        If the text is not JSON, or a value is unknown, mistyped or out of range.
    """
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SettingsError("error.settings_file") from exc
    return settings_from_dict(data, base)


def flat_settings(settings: Settings) -> dict[str, Any]:
    """Return ``{"group.field": value}`` for every setting (the keys widgets and URLs use)."""
    return {
        f"{group}.{name}": value
        for group, fields in settings_to_dict(settings).items()
        for name, value in fields.items()
    }


def settings_from_flat(flat: dict[str, Any], base: Settings | None = None) -> Settings:
    """Inverse of :func:`flat_settings`; keys may be a subset."""
    nested: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        group, _, name = key.partition(".")
        if not name:
            raise SettingsError("error.settings_unknown", name=key)
        nested.setdefault(group, {})[name] = value
    return settings_from_dict(nested, base)
