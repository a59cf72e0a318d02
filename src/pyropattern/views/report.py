"""The Report view: the engine's figures and warnings in plain words."""

from __future__ import annotations

import streamlit as st

from .. import ui
from ..i18n import format_number
from ..model import Stencil
from .session import lang, say


def show_report(stencil: Stencil) -> None:
    """The engine's figures and warnings in plain words."""
    report, language = stencil.report, lang()
    first, second, third = st.columns(3)
    first.metric(say("app.report.regions"), format_number(report.region_count, language, 0))
    second.metric(
        say("app.report.smallest"), f"{format_number(report.smallest_region_mm2, language, 1)} mm²"
    )
    third.metric(say("app.report.lines"), f"{format_number(report.line_length_m, language, 1)} m")
    st.write(
        say(
            "app.report.size",
            width=round(stencil.width_mm),
            height=round(stencil.height_mm),
            levels=stencil.tones.count,
        )
    )
    st.write(say("app.report.burn_lines", count=report.burn_line_count,
                 length=format_number(report.burn_line_length_m, language, 2)))
    rows = [
        {
            say("app.report.level"): index + 1,
            say("app.report.area"): f"{format_number(share * 100, language, 1)}%",
            say("app.report.count"): count,
        }
        for index, (share, count) in enumerate(
            zip(report.level_area_share, report.level_region_count, strict=True)
        )
    ]
    st.table(rows)
    if not stencil.warnings:
        st.success(say("app.report.no_warnings"))
    for warning in stencil.warnings:
        st.warning(ui.escape_markdown(warning.text(language)))
