"""The engine's notes on the pattern, next to it, each with a one-click fix where one exists."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..model import Stencil
from .session import lang, say
from .sidebar import apply_setting_changes


def show_notes(stencil: Stencil) -> None:
    """One warning per note in plain words; a button applies the fix the note suggests."""
    language = lang()
    for warning in stencil.warnings:
        fix = ui.warning_fix(warning.key, warning.params, stencil.settings)
        st.warning(warning.text(language))
        if fix is not None:
            st.button(
                say(fix.label_key, **fix.params),
                key=f"fix.{warning.key}",
                on_click=apply_setting_changes,
                args=(fix.changes,),
            )
