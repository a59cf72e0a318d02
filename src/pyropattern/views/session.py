"""Session-state keys shared by the page and its views, and the session's language."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..i18n import tr

# The keys that hold the app's own state (not settings).
LANG, PRESET, UNIT, SAMPLE = "ui.lang", "ui.preset", "ui.unit", "photo.sample"
WIDTH_SHOWN, HEIGHT_SHOWN, SETTINGS_FILE = "ui.width_shown", "ui.height_shown", "ui.settings_file"
UPLOAD_ROUND = "ui.upload_round"  # bumped to empty the photo uploader when a sample is picked
PHOTO_CHOICE = "photo.choice"  # "sample" or "upload": which of the two the user picked last
GOOD_PHOTO, GOOD_SETTINGS, GOOD_STENCIL = "good.photo", "good.settings", "good.stencil"
VIEW = "ui.view"  # the open tab
TAB_KEYS = ("app.tab.stencil", "app.tab.tones", "app.tab.burn", "app.tab.compare", "app.tab.report",
            "select.app.tab.variants", "select.app.tab.library", "select.app.tab.pack")
PENDING = "ui.pending_messages"  # errors raised in callbacks, shown on the next run
DOWNLOADS = "downloads"  # {file kind: bytes} last built, so tests and users get the same bytes
BUILDERS = "download.builders"  # {file kind: builder} of the stencil on screen
ASPECT = "ui.aspect"  # width / height of the design, for the height box's callback


def lang() -> str:
    """The interface language of this session."""
    return st.session_state.get(LANG, "en")


def say(key: str, **params: Any) -> str:
    """Translate an app string into the session's language."""
    return tr(key, lang(), **params)
FITTED = "ui.fitted_width"  # width the app last fitted to one sheet; equal to the width = fit mode
LAST_SAMPLE = "photo.last_sample"  # the sample to go back to from an upload
PDF_CONTENTS = "ui.pdf_contents"  # what the PDF holds: "pattern", "key" or "full"
COPIES = "ui.pdf_copies"  # copies of the pattern sheets in the PDF
UNDERLAY = "ui.underlay"  # faint tones under the pattern's lines, on screen only
MORE = "ui.more_settings"  # the "More settings" expander (open or closed)
