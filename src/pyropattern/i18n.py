"""One translation table, English and Bahasa Indonesia side by side.

The table is split by area into ``locales/*.toml`` files (engine, app, print) so each area can
be edited on its own, but they load into a single mapping and a key may live in only one file.
Every entry carries both languages, so a missing translation is a load error, not a silent
fallback::

    [error.file_too_large]
    en = "The file is too large (maximum {max_mb} MB)."
    id = "File terlalu besar (maksimal {max_mb} MB)."

Numbers passed as parameters are formatted for the language (``1,5 mm`` in Indonesian,
``1.5 mm`` in English) with Babel, never by hand.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from numbers import Integral, Real
from typing import Any, Literal

from babel.numbers import format_decimal

Lang = Literal["en", "id"]
LANGUAGES: tuple[Lang, ...] = ("en", "id")
DEFAULT_LANG: Lang = "en"
_BABEL_LOCALE = {"en": "en_US", "id": "id_ID"}


@dataclass(frozen=True)
class Message:
    """A user-facing message not yet put into words: a table key and its parameters.

    The library returns and raises these so that each front end (app, CLI, PDF) words them in
    the user's language at the last moment.
    """

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """Return the message in ``lang`` ("en" or "id")."""
        return tr(self.key, lang, **self.params)


def _flatten(node: dict[str, Any], prefix: str, source: str, out: dict[str, dict[str, str]]):
    for name, value in node.items():
        key = f"{prefix}{name}"
        if not isinstance(value, dict):
            raise ValueError(f"{source}: {key} must be a table with 'en' and 'id' strings")
        if "en" in value or "id" in value:
            missing = [lang for lang in LANGUAGES if not str(value.get(lang, "")).strip()]
            if missing:
                raise ValueError(f"{source}: {key} has no text for {', '.join(missing)}")
            if key in out:
                raise ValueError(f"{source}: {key} is defined in more than one locale file")
            out[key] = {lang: value[lang] for lang in LANGUAGES}
        else:
            _flatten(value, f"{key}.", source, out)


@cache
def table() -> dict[str, dict[str, str]]:
    """Return the whole translation table: ``{key: {"en": text, "id": text}}``.

    Raises
    ------
    ValueError
        If an entry lacks a language or a key is defined twice.
    """
    out: dict[str, dict[str, str]] = {}
    folder = resources.files("pyropattern") / "locales"
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".toml"):
            _flatten(tomllib.loads(item.read_text(encoding="utf-8")), "", item.name, out)
    return out


def normalize_lang(lang: str | None) -> Lang:
    """Map a language tag such as ``"id-ID"``, ``"id_ID.UTF-8"`` or ``"en"`` to a supported one."""
    if lang and lang.lower().replace("-", "_").split("_")[0] in ("id", "in"):
        return "id"
    return "en"


def format_number(value: float, lang: str = DEFAULT_LANG, digits: int = 2) -> str:
    """Format ``value`` for ``lang`` with at most ``digits`` decimals (``1,5`` in Indonesian)."""
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return format_decimal(value, format=pattern, locale=_BABEL_LOCALE[normalize_lang(lang)])


def _format_param(value: Any, lang: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, Real):
        return value
    if isinstance(value, Integral):
        return format_number(int(value), lang, digits=0)
    return format_number(float(value), lang)


def tr(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """Translate ``key`` into ``lang``, filling ``{name}`` placeholders from ``params``.

    Numeric parameters are formatted for the language. An unknown key raises ``KeyError``:
    a missing string is a bug to catch in tests, not something to show the user.
    """
    text = table()[key][normalize_lang(lang)]
    return text.format(**{name: _format_param(value, lang) for name, value in params.items()})
