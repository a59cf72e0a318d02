"""User text made safe to show or embed: one line, printable, bounded in length.

File names, ``--name`` and values echoed in messages come from users. A control character
makes an SVG invalid XML, a lone surrogate (a non-UTF-8 file name as Python decodes it) cannot
be encoded into a PDF or a message, and a long text would bury the message it sits in.
Markdown is a separate matter: the app escapes what it shows (``ui.escape_markdown``).
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"  # what an undecodable or invisible character is shown as


def printable(text: str, max_chars: int | None = None) -> str:
    """Return ``text`` with every non-printable character replaced, cut to ``max_chars``.

    Line breaks, tabs and other control characters become spaces (the text stays one line);
    lone surrogates become U+FFFD. A cut text ends with "…" within ``max_chars``.
    """
    cleaned = "".join(
        ch if ch.isprintable() else (" " if ch.isspace() or ch < " " else REPLACEMENT)
        for ch in text
    )
    if max_chars is not None and len(cleaned) > max_chars:
        return cleaned[: max_chars - 1] + "…"
    return cleaned
