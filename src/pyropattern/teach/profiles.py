"""Tool & wood profiles: which wood, which pen, which tips, how fast a class burns.

A profile is a small JSON file an instructor can copy and edit::

    {
      "format": "pyropattern-profile", "version": 1,
      "name": "Pinus + solder 40 W",
      "wood": "pinus",
      "tool": {"kind": "solder", "watts": 40, "heat_adjustable": false, "dial_max": 0},
      "tips": ["writing", "shader", "ball"],
      "rates": {...},
      "finishing": {"en": "...", "id": "..."}      (optional; the built-in text otherwise)
    }

Many classes burn with plain soldering irons whose heat cannot be set (``heat_adjustable``
false): the burn guide then carries the tone with passes and stroke speed instead of heat.

Rates (per pass, one trainee, measured as typical classroom speeds and meant to be edited):

================================  ============================================================
``shading_cm2_per_min``           area a shader covers evenly in one pass
``stipple_dots_per_min``          dots a ball tip sets (2–3 a second)
``hatch_mm_per_min``              length of hatching line drawn with the writing tip
``circles_per_min``               small circles drawn with the writing tip
``line_mm_per_min``               careful single-pass line (burn lines, burned outlines)
``trace_mm_per_min``              tracing the printed pattern onto the wood
================================  ============================================================

A profile that is not JSON, misses a field, has the wrong type or a value out of range is
refused with one translated line (:class:`ProfileError`).
"""

from __future__ import annotations

import json
import typing
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any, Literal

from ..errors import PyropatternError
from ..render.wood import WOOD_KEYS

ToolKind = Literal["solder", "variable"]
TOOL_KINDS: tuple[str, ...] = typing.get_args(ToolKind)
Tip = Literal["writing", "shader", "ball"]
TIPS: tuple[str, ...] = typing.get_args(Tip)
PROFILE_FORMAT = "pyropattern-profile"
MAX_PROFILE_BYTES = 64_000  # a profile is a few hundred bytes; anything huge is not one

# (field, low, high): every rate must be positive and humanly possible.
_RATE_LIMITS = {
    "shading_cm2_per_min": (0.1, 100.0),
    "stipple_dots_per_min": (5.0, 1000.0),
    "hatch_mm_per_min": (10.0, 10000.0),
    "circles_per_min": (1.0, 500.0),
    "line_mm_per_min": (10.0, 10000.0),
    "trace_mm_per_min": (10.0, 20000.0),
}


class ProfileError(PyropatternError):
    """A profile file is not valid; the message names the field and the rule."""


@dataclass(frozen=True)
class Rates:
    """Burning speeds of one trainee with this tool, per pass (see the module docstring)."""

    shading_cm2_per_min: float = 4.0
    stipple_dots_per_min: float = 150.0
    hatch_mm_per_min: float = 600.0
    circles_per_min: float = 50.0
    line_mm_per_min: float = 300.0
    trace_mm_per_min: float = 600.0


@dataclass(frozen=True)
class Tool:
    """The burner: a plain soldering iron (fixed heat) or a pen with a heat dial."""

    kind: ToolKind = "variable"
    watts: float = 60.0
    heat_adjustable: bool = True
    dial_max: int = 10  # highest number on the heat dial; 0 = no numbers (low/medium/high)


@dataclass(frozen=True)
class Profile:
    """A reusable tool & wood profile."""

    name: str
    wood: str
    tool: Tool = field(default_factory=Tool)
    tips: tuple[str, ...] = TIPS
    rates: Rates = field(default_factory=Rates)
    finishing: dict[str, str] | None = None  # {"en": ..., "id": ...}; None = built-in text


def _fail(key: str, **params: Any) -> typing.NoReturn:
    raise ProfileError(key, **params)


def _number(data: dict, name: str, low: float, high: float, path: str) -> float:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        _fail("teach.error.profile_number", name=f"{path}{name}")
    if not low <= value <= high:
        _fail("teach.error.profile_range", name=f"{path}{name}", low=low, high=high, value=value)
    return float(value)


def profile_from_dict(data: Any) -> Profile:
    """Validate a parsed profile and build it; raise :class:`ProfileError` on the first fault."""
    if not isinstance(data, dict) or data.get("format") != PROFILE_FORMAT:
        _fail("teach.error.profile_format", format=PROFILE_FORMAT)
    if data.get("version") != 1:
        _fail("teach.error.profile_version", value=str(data.get("version")))
    known = {"format", "version", "name", "wood", "tool", "tips", "rates", "finishing"}
    for name in data:
        if name not in known:
            _fail("teach.error.profile_unknown", name=str(name))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 80:
        _fail("teach.error.profile_name")
    wood = data.get("wood")
    if wood not in WOOD_KEYS:
        _fail(
            "teach.error.profile_choice", name="wood", value=str(wood), choices=", ".join(WOOD_KEYS)
        )
    tool_data = data.get("tool")
    if not isinstance(tool_data, dict):
        _fail("teach.error.profile_object", name="tool")
    kind = tool_data.get("kind")
    if kind not in TOOL_KINDS:
        _fail(
            "teach.error.profile_choice",
            name="tool.kind",
            value=str(kind),
            choices=", ".join(TOOL_KINDS),
        )
    adjustable = tool_data.get("heat_adjustable")
    if not isinstance(adjustable, bool):
        _fail("teach.error.profile_bool", name="tool.heat_adjustable")
    dial = _number(tool_data, "dial_max", 0, 20, "tool.")
    if dial != int(dial):
        _fail("teach.error.profile_integer", name="tool.dial_max")
    tool = Tool(kind, _number(tool_data, "watts", 5, 200, "tool."), adjustable, int(dial))
    tips = data.get("tips")
    if not isinstance(tips, list) or not tips or any(tip not in TIPS for tip in tips):
        _fail("teach.error.profile_choice", name="tips", value=str(tips), choices=", ".join(TIPS))
    rates_data = data.get("rates")
    if not isinstance(rates_data, dict):
        _fail("teach.error.profile_object", name="rates")
    for rate in rates_data:
        if rate not in _RATE_LIMITS:
            _fail("teach.error.profile_unknown", name=f"rates.{rate}")
    rates = Rates(
        **{
            rate: _number(rates_data, rate, low, high, "rates.")
            for rate, (low, high) in _RATE_LIMITS.items()
        }
    )
    finishing = data.get("finishing")
    if finishing is not None and (
        not isinstance(finishing, dict)
        or set(finishing) != {"en", "id"}
        or not all(isinstance(v, str) and v.strip() and len(v) < 5000 for v in finishing.values())
    ):
        _fail("teach.error.profile_finishing")
    return Profile(name.strip(), wood, tool, tuple(tips), rates, finishing)


def profile_from_json(text: str | bytes) -> Profile:
    """Parse and validate a profile JSON document.

    Raises
    ------
    ProfileError
        One line naming what is wrong (not JSON, a missing or mistyped field, a value out
        of range).
    """
    if len(text) > MAX_PROFILE_BYTES:
        _fail("teach.error.profile_json")
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        _fail("teach.error.profile_json")
    return profile_from_dict(data)


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """``profile`` as JSON-ready dicts (the file format)."""
    data: dict[str, Any] = {"format": PROFILE_FORMAT, "version": 1, **asdict(profile)}
    data["tips"] = list(profile.tips)
    if profile.finishing is None:
        del data["finishing"]
    return data


def profile_to_json(profile: Profile) -> str:
    """``profile`` as an indented JSON document that :func:`profile_from_json` reads back."""
    return json.dumps(profile_to_dict(profile), indent=2, ensure_ascii=False)


def shipped_profiles() -> dict[str, Profile]:
    """The profiles that ship with pyropattern, by file stem."""
    folder = resources.files("pyropattern") / "teach" / "profiles"
    return {
        item.name.removesuffix(".json"): profile_from_json(item.read_text(encoding="utf-8"))
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name)
        if item.name.endswith(".json")
    }


DEFAULT_PROFILE = "pinus-solder-40w"
