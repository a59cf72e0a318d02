"""All tuning parameters, one frozen dataclass per stage, with their defaults and rules.

Defaults live here and nowhere else. Every field has a one-line meaning; sizes a user thinks
about are in millimetres at the print size. Settings round-trip through JSON
(:func:`settings_to_json`, :func:`settings_from_json`) for saving, sharing and URLs.

This is also the one schema every input goes through (a settings file, a link, the command
line, the app's widgets). Each field declares its rule once, where it is defined::

    levels: int = setting(5, 2, 10)                     # type from the annotation, range here
    working_px: int = setting(1600, 64, 6000, widget=False)   # no widget: links cannot set it
    crop: tuple[float, float, float, float] = setting((0, 0, 1, 1), 0.0, 1.0, length=4)

Types are exact (no text where a number belongs), ranges finite (so NaN and infinities never
pass), names known, documents bounded in size and depth. ``__post_init__`` checks the field
rules and then the rules between fields, raising :class:`~pyropattern.errors.SettingsError`
stating the whole rule.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, ClassVar, Literal

from .errors import SettingsError
from .plaintext import printable

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

# Limits on what a settings document may be before it is even parsed: a real one is about
# 1.5 KB and three levels deep ({"group": {"field": [numbers]}}).
MAX_SETTINGS_BYTES = 64 * 1024
MAX_SETTINGS_DEPTH = 3
MAX_ITEMS = 16  # longest list any setting holds (9 manual thresholds today)
SHOWN_TEXT_CHARS = 40  # a user's text echoed in a message is cut to this many characters


def setting(default: Any, low: float | None = None, high: float | None = None, *,
            widget: bool = True, length: int | None = None) -> Any:
    """Declare a settings field with its rule, once: the range, the widget flag, a list length.

    Parameters
    ----------
    default : Any
        The default value (the only place defaults live).
    low, high : float, optional
        Inclusive range of a number, or of every number in a tuple field. Ranges are finite,
        so NaN and infinities never pass.
    widget : bool
        True when the app has a control for the field. Only these are taken from a link (a
        URL is the one input anybody can hand a trainee), so a field that multiplies the cost
        of a run (``prepare.working_px``) stays out of reach of a crafted link.
    length : int, optional
        Exact number of items of a tuple field (else up to :data:`MAX_ITEMS`).
    """
    metadata = {"low": low, "high": high, "widget": widget, "length": length}
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class FieldRule:
    """The rule of one setting, read from its dataclass field (see :func:`setting`)."""

    key: str  # flat name, "tones.levels"
    kind: Any  # int, float, bool, tuple (of floats) or the Literal's tuple of choices
    low: float | None
    high: float | None
    widget: bool
    length: int | None


def _kind(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return typing.get_args(annotation)
    if origin is tuple:
        return tuple
    return annotation


@cache
def _group_rules(group_type: type) -> dict[str, FieldRule]:
    hints = typing.get_type_hints(group_type)
    rules = {}
    for item in dataclasses.fields(group_type):
        rule = FieldRule(
            key=f"{group_type.GROUP}.{item.name}",
            kind=_kind(hints[item.name]),
            low=item.metadata.get("low"),
            high=item.metadata.get("high"),
            widget=item.metadata.get("widget", True),
            length=item.metadata.get("length"),
        )
        # A programming error, caught by the first test that builds settings: every number
        # needs its finite range, and only these kinds can be checked and parsed.
        numeric = rule.kind in (int, float, tuple)
        if numeric and not (_is_number(rule.low) and _is_number(rule.high)):
            raise TypeError(f"{rule.key}: declare it as setting(default, low, high)")
        if not numeric and rule.kind is not bool and not isinstance(rule.kind, tuple):
            raise TypeError(f"{rule.key}: settings hold int, float, bool, a Literal or a tuple")
        rules[item.name] = rule
    return rules


def shown_value(value: Any) -> Any:
    """A user's value as a message may echo it: finite numbers as they are, text cut short.

    Text is cut to :data:`SHOWN_TEXT_CHARS` with its control characters removed, lists and
    dicts are named by their type only; the front ends still show the result as plain text.
    """
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int) and abs(value) < 10**15:
        return value
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e15:
        return value
    if isinstance(value, int | float):
        value = str(value)  # nan, inf, or a number too long to read at a glance
    if isinstance(value, str):
        return printable(value, SHOWN_TEXT_CHARS)
    return type(value).__name__


def _out_of_range(rule: FieldRule, value: Any) -> SettingsError:
    return SettingsError(
        "error.setting_range", name=rule.key, low=rule.low, high=rule.high, value=shown_value(value)
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_field(rule: FieldRule, value: Any) -> None:
    """Raise unless ``value`` fits ``rule`` exactly (type, finite range, choice, length)."""
    if isinstance(rule.kind, tuple):  # a Literal's choices
        if not isinstance(value, str) or value not in rule.kind:
            raise SettingsError(
                "error.setting_choice",
                name=rule.key,
                choices=", ".join(rule.kind),
                value=shown_value(value),
            )
        return
    if rule.kind is bool:
        if not isinstance(value, bool):
            raise SettingsError("error.settings_value", name=rule.key)
        return
    if rule.kind is tuple:
        if not isinstance(value, tuple) or len(value) > MAX_ITEMS:
            raise SettingsError("error.settings_value", name=rule.key)
        if rule.length is not None and len(value) != rule.length:
            raise SettingsError("error.settings_value", name=rule.key)
        items = value
    else:
        items = (value,)
    for item in items:
        # ``low <= x <= high`` is False for NaN, and every range is finite, so ±inf fails too.
        if not _is_number(item) or not rule.low <= item <= rule.high:
            raise _out_of_range(rule, item)
        if rule.kind is int and item != int(item):
            raise _out_of_range(rule, item)


def _check_fields(group: Any) -> None:
    for name, rule in _group_rules(type(group)).items():
        _check_field(rule, getattr(group, name))


@dataclass(frozen=True)
class PrepareSettings:
    """How the photo becomes the gray image the tones are taken from."""

    GROUP: ClassVar[str] = "prepare"
    # Long side of the working raster, px (more = finer, slower). No widget: it multiplies the
    # cost of every run (6000 px took 18 s and 2.1 GB per run), so a link cannot set it.
    working_px: int = setting(1600, 64, 6000, widget=False)
    # left, top, right, bottom, 0..1
    crop: tuple[float, float, float, float] = setting((0.0, 0.0, 1.0, 1.0), 0.0, 1.0, length=4)
    rotate_quarters: int = setting(0, 0, 3)  # clockwise quarter turns, 0..3
    flip_horizontal: bool = setting(False)  # mirror the photo left-right before anything else
    flip_vertical: bool = setting(False)  # mirror the photo top-bottom
    brightness: float = setting(0.0, -0.5, 0.5)  # added to gray (0 black .. 1 white)
    contrast: float = setting(1.0, 0.25, 4.0)  # gain about mid-gray
    gamma: float = setting(1.0, 0.2, 5.0, widget=False)  # gray ** (1 / gamma); >1 lightens mids
    local_contrast: float = setting(0.0, 0.0, 10.0, widget=False)  # CLAHE clip limit, 0 = off
    invert: bool = setting(False)  # swap light and dark (for a negative or a dark-on-light look)
    smooth_mm: float = setting(1.2, 0.0, 10.0)  # smoothing scale at print size, mm; 0 = grain

    def __post_init__(self) -> None:
        _check_fields(self)
        left, top, right, bottom = self.crop
        if right - left < 0.02 or bottom - top < 0.02:
            raise SettingsError("error.crop_box")


@dataclass(frozen=True)
class ToneSettings:
    """How many burn levels and where the gray thresholds between them fall."""

    GROUP: ClassVar[str] = "tones"
    # number of burn levels N (1 = bare wood .. N = darkest)
    levels: int = setting(5, MIN_LEVELS, MAX_LEVELS)
    method: ToneMethod = setting("otsu")  # otsu | quantile (equal areas) | even | manual
    # manual only: N-1 increasing grays in 0..1, dark to light
    thresholds: tuple[float, ...] = setting((), 0.0, 1.0)

    def __post_init__(self) -> None:
        _check_fields(self)
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

    GROUP: ClassVar[str] = "clean"
    boundary_smooth_mm: float = setting(1.0, 0.0, 5.0)  # sigma of the border majority filter, mm
    min_region_mm2: float = setting(9.0, 0.0, 400.0)  # smallest region a tip can fill, mm²
    min_strip_mm: float = setting(1.2, 0.0, 20.0)  # narrowest strip a tip can fill, mm
    # Narrowest band of an in-between level along an edge (e.g. 3 between 1 and 5) that is
    # kept; narrower ones join their sides so the edge is one line, mm.
    max_band_mm: float = setting(1.2, 0.0, 20.0)

    def __post_init__(self) -> None:
        _check_fields(self)


@dataclass(frozen=True)
class TraceSettings:
    """How region borders become smooth lines."""

    GROUP: ClassVar[str] = "trace"
    smooth_mm: float = setting(0.4, 0.0, 5.0)  # length of the moving average along each line, mm
    # largest deviation allowed when dropping points, mm
    tolerance_mm: float = setting(0.08, 0.01, 2.0, widget=False)

    def __post_init__(self) -> None:
        _check_fields(self)


@dataclass(frozen=True)
class LineSettings:
    """Thin dark features (glasses frames, whiskers, cracks) kept as single burn lines.

    A dark strip too narrow to fill with a tip would otherwise be merged away; as a line it is
    burned once with the writing tip and carries no number.
    """

    GROUP: ClassVar[str] = "lines"
    enabled: bool = setting(True)  # turn thin dark features into burn lines
    # widest strip that becomes a line rather than a region, mm
    max_width_mm: float = setting(2.0, 0.2, 5.0, widget=False)
    # Strips at least this wide, and darker than the photo's middle gray, are bold lines
    # (several strokes side by side), mm.
    bold_width_mm: float = setting(0.8, 0.1, 5.0, widget=False)
    min_length_mm: float = setting(4.0, 0.0, 100.0, widget=False)  # shortest line kept, mm
    # How much darker than its surroundings a strip must be, as a share of the gray range
    # between the lightest and darkest level (0.25 ≈ one level step at 5 levels).
    min_contrast: float = setting(0.25, 0.05, 1.0)

    def __post_init__(self) -> None:
        _check_fields(self)


@dataclass(frozen=True)
class FocusSettings:
    """Where the pattern may be finer (the subject) and what happens to the background.

    Inside the focus the smoothing and the minimums go down to these finer values; outside
    they stay at the general ones, or go coarser with ``background = "simplify"``.
    """

    GROUP: ClassVar[str] = "focus"
    # find the subject from the photo itself when no area is marked
    automatic: bool = setting(True)
    # Marked focus area: left, top, right, bottom as fractions of the cropped photo; an
    # ellipse inside this box is the focus. Empty = none marked.
    area: tuple[float, ...] = setting((), 0.0, 1.0)
    smooth_mm: float = setting(0.7, 0.0, 10.0, widget=False)  # smoothing inside the focus, mm
    # smallest region inside the focus, mm²
    min_region_mm2: float = setting(4.0, 1.0, 400.0, widget=False)
    min_strip_mm: float = setting(0.8, 0.2, 20.0, widget=False)  # narrowest strip inside, mm
    # keep | simplify (coarser outside) | bare (plain wood)
    background: Background = setting("keep")

    def __post_init__(self) -> None:
        _check_fields(self)
        if self.area:
            if len(self.area) != 4:
                raise SettingsError("error.focus_box")
            left, top, right, bottom = self.area
            if right - left < 0.02 or bottom - top < 0.02:
                raise SettingsError("error.focus_box")


@dataclass(frozen=True)
class LabelSettings:
    """Whether and how big the level numbers are printed in the regions."""

    GROUP: ClassVar[str] = "labels"
    show: bool = setting(True)  # print each region's level number
    # Merge every region too small to hold its number (min_height_mm) inside; off lets small
    # regions stay, their numbers outside on leader lines.
    fit_inside: bool = setting(True)
    # smallest number height, mm; below it the number goes outside
    min_height_mm: float = setting(2.0, 1.0, 20.0)
    max_height_mm: float = setting(6.0, 1.0, 40.0)  # largest number height, mm

    def __post_init__(self) -> None:
        _check_fields(self)
        if self.max_height_mm < self.min_height_mm:
            raise SettingsError(
                "error.label_heights", low=self.min_height_mm, high=self.max_height_mm
            )


@dataclass(frozen=True)
class PrintSettings:
    """The physical design and how it is printed: size, lines, paper, transfer method."""

    GROUP: ClassVar[str] = "print"
    width_mm: float = setting(200.0, 20.0, 3000.0)  # design width on the wood, mm; height follows
    line_weight_mm: float = setting(0.3, 0.05, 2.0)  # width of the printed lines, mm
    dpi: int = setting(300, 72, 1200, widget=False)  # resolution of PNG exports
    paper: PaperName = setting("A4")  # A4 | F4 (215 × 330 mm) | Letter | Legal | A3 | custom
    paper_width_mm: float = setting(210.0, 50.0, 2000.0)  # custom paper only, mm
    paper_height_mm: float = setting(297.0, 50.0, 2000.0)  # custom paper only, mm
    orientation: Orientation = setting("auto", widget=False)  # auto: fewest sheets
    margin_mm: float = setting(10.0, 0.0, 50.0, widget=False)  # blank border on each sheet, mm
    overlap_mm: float = setting(10.0, 0.0, 50.0, widget=False)  # strip on both neighbours, mm
    mirror: bool = setting(False)  # mirror the whole design, numbers included (toner transfer)
    transfer: TransferMethod = setting("graphite", widget=False)  # graphite | toner | lightbox

    def __post_init__(self) -> None:
        _check_fields(self)


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


def setting_rules() -> dict[str, FieldRule]:
    """Return the rule of every setting by flat name (``"tones.levels"``), in field order.

    This is the one schema: the JSON file, the URL, the CLI and the app's widgets all read it.
    """
    return {
        rule.key: rule
        for group_field in dataclasses.fields(Settings)
        for rule in _group_rules(_group_type(group_field.name)).values()
    }


def setting_range(key: str) -> tuple[float, float]:
    """The inclusive ``(low, high)`` range of a numeric setting, e.g. for its widget."""
    rule = setting_rules()[key]
    return rule.low, rule.high


def widget_keys() -> frozenset[str]:
    """Flat names of the settings the app has a control for (the only ones links may set)."""
    return frozenset(key for key, rule in setting_rules().items() if rule.widget)


@cache
def _group_type(name: str) -> type:
    return typing.get_type_hints(Settings)[name]


def _coerce(rule: FieldRule, value: Any) -> Any:
    """Turn a JSON value into the field's type; refuse anything that is not that type.

    Nothing here calls ``int()`` or ``float()`` on text: a string where a number belongs is
    the wrong type, and numbers are range-checked before conversion (``float(10**400)``
    overflows).
    """
    if rule.kind is tuple:
        if not isinstance(value, list | tuple) or len(value) > MAX_ITEMS:
            raise SettingsError("error.settings_value", name=rule.key)
        return tuple(_coerce_number(rule, item, float) for item in value)
    if rule.kind in (int, float):
        return _coerce_number(rule, value, rule.kind)
    return value  # bools and choices are checked as they are by _check_field


def _coerce_number(rule: FieldRule, value: Any, kind: type) -> float | int:
    if not _is_number(value):
        raise SettingsError("error.settings_value", name=rule.key)
    if not rule.low <= value <= rule.high:  # False for NaN; ranges are finite
        raise _out_of_range(rule, value)
    if kind is int:
        if value != int(value):
            raise SettingsError("error.settings_value", name=rule.key)
        return int(value)
    return float(value)


def settings_from_dict(
    data: Any, base: Settings | None = None, *, allowed: frozenset[str] | None = None
) -> Settings:
    """Build :class:`Settings` from dicts like :func:`settings_to_dict` gives.

    Fields left out keep their value in ``base`` (defaults when ``None``), so a partial file
    or URL works. Unknown groups or fields, wrong types and out-of-range values raise
    :class:`SettingsError`; so do fields outside ``allowed`` (flat names), when given.
    """
    base = base or Settings()
    if not isinstance(data, dict):
        raise SettingsError("error.settings_file")
    group_names = [group_field.name for group_field in dataclasses.fields(Settings)]
    for name in data:
        if name not in group_names:
            raise SettingsError("error.settings_unknown", name=shown_value(str(name)))
    groups = {}
    for group_name in group_names:
        group_value = getattr(base, group_name)
        updates = data.get(group_name, {})
        if not isinstance(updates, dict):
            raise SettingsError("error.settings_value", name=group_name)
        rules = _group_rules(type(group_value))
        coerced = {}
        for name, value in updates.items():
            rule = rules.get(name)
            if rule is None:
                raise SettingsError(
                    "error.settings_unknown", name=shown_value(f"{group_name}.{name}")
                )
            if allowed is not None and rule.key not in allowed:
                raise SettingsError("classroom.error.setting_not_in_links", name=rule.key)
            coerced[name] = _coerce(rule, value)
        groups[group_name] = dataclasses.replace(group_value, **coerced)
    return Settings(**groups)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _nesting_depth(text: str) -> int:
    """Deepest ``[``/``{`` nesting of a JSON text, strings ignored (checked before parsing,
    so a 5,000-deep ``[[[…`` never reaches the recursive parser)."""
    depth = deepest = 0
    for char in _STRING.sub("", text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_settings_value(text: str) -> Any:
    """Parse JSON text the way every settings input does: bounded in length and depth.

    NaN, ``Infinity`` and ``1e999`` parse (as float NaN and inf) so that the range check can
    name the setting they were given for; every range is finite, so none of them passes.

    Raises
    ------
    ValueError
        If the text is too long or too deep, or is not JSON.
    """
    if len(text) > MAX_SETTINGS_BYTES or _nesting_depth(text) > MAX_SETTINGS_DEPTH:
        raise ValueError("too long or too deeply nested for a settings document")
    return json.loads(text)


def settings_from_json(text: str | bytes, base: Settings | None = None) -> Settings:
    """Parse a JSON document written by :func:`settings_to_json`.

    A UTF-8 byte-order mark (Windows Notepad writes one) is accepted; the document may be at
    most :data:`MAX_SETTINGS_BYTES` long and :data:`MAX_SETTINGS_DEPTH` deep.

    Raises
    ------
    SettingsError
        If the text is not JSON, or a value is unknown, mistyped or out of range.
    """
    try:
        if isinstance(text, bytes | bytearray):
            if len(text) > MAX_SETTINGS_BYTES:
                raise ValueError("settings document too long")
            text = bytes(text).decode("utf-8-sig")
        data = parse_settings_value(text.removeprefix("\ufeff"))
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


def settings_from_flat(
    flat: dict[str, Any], base: Settings | None = None, *, allowed: frozenset[str] | None = None
) -> Settings:
    """Inverse of :func:`flat_settings`; keys may be a subset (and, if given, of ``allowed``)."""
    nested: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        group, _, name = str(key).partition(".")
        if not name:
            raise SettingsError("error.settings_unknown", name=shown_value(str(key)))
        nested.setdefault(group, {})[name] = value
    return settings_from_dict(nested, base, allowed=allowed)
