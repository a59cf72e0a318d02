"""Errors the library raises for bad input; each carries a translatable message."""

from __future__ import annotations

from typing import Any

from .i18n import DEFAULT_LANG, Message


class PyropatternError(Exception):
    """Base class of every error a user can cause (bad file, nonsense setting).

    It carries a translation key and parameters rather than English text, so the app, the CLI
    and the PDF can word it in the user's language. ``str(error)`` gives the English line.
    """

    def __init__(self, key: str, **params: Any) -> None:
        self.message = Message(key, params)
        super().__init__(self.message.text(DEFAULT_LANG))

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """Return the one-line message in ``lang``."""
        return self.message.text(lang)


class ImageLoadError(PyropatternError):
    """The photo could not be read, or is refused (format, size, pixel count)."""


class SettingsError(PyropatternError):
    """A setting is out of its range or the settings file is not valid."""
