"""Files for the class: PDF, pattern PNG and SVG, tone map, settings; built only on a click."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .. import ui
from ..errors import PyropatternError
from ..export import plan_tiles, printed_tiles, stencil_pdf, stencil_png, stencil_svg, tones_png
from ..i18n import tr
from ..model import Stencil
from ..render import design_shape_px
from ..settings import PAPERS, settings_to_json
from .session import BUILDERS, DOWNLOADS, lang, say


def download_builders(stencil: Stencil, title: str) -> dict[str, Callable[[], bytes]]:
    """One builder per file kind. Each runs only when its button is clicked (on Streamlit's
    download thread) and keeps the bytes it made in the session, so tests read the same bytes
    a user gets; tests call these builders directly, since AppTest cannot click a download."""
    store: dict[str, bytes] = st.session_state[DOWNLOADS]
    language = lang()
    makers: dict[str, Callable[[], bytes | str]] = {
        "stencil_png": lambda: stencil_png(stencil),
        "stencil_svg": lambda: stencil_svg(stencil, language, legend=True, name=title),
        "tones_png": lambda: tones_png(stencil),
        "pdf": lambda: stencil_pdf(stencil, language, name=title),
    }

    def keeping(kind: str, make: Callable[[], bytes | str]) -> Callable[[], bytes]:
        def build() -> bytes:
            data = make()
            store[kind] = data.encode() if isinstance(data, str) else data
            return store[kind]

        return build

    return {kind: keeping(kind, make) for kind, make in makers.items()}


@st.cache_data(max_entries=8, show_spinner=False)
def sheet_count(key: str, _stencil: Stencil) -> int:
    """Sheets the PDF prints the design on (blank ones are left out)."""
    settings = _stencil.settings.print
    plan = plan_tiles(_stencil.width_mm, _stencil.height_mm, settings)
    return len(printed_tiles(_stencil, plan))


def show_downloads(stencil: Stencil, keys: ui.StageKeys, stem: str, title: str) -> None:
    """Files for the class, built only when their button is clicked."""
    language = lang()  # bound now: Streamlit may call format functions later
    settings = stencil.settings
    builders = download_builders(stencil, title)
    st.session_state[BUILDERS] = builders
    st.subheader(say("app.header.download"))
    paper = settings.print.paper if settings.print.paper != "custom" else say("app.paper_custom")
    buttons = (
        ("pdf", say("app.download.pdf", paper=paper, sheets=sheet_count(keys.stencil, stencil)),
         "pdf", "application/pdf"),
        ("stencil_png", say("app.download.stencil_png", dpi=settings.print.dpi), "png",
         "image/png"),
        ("stencil_svg", say("app.download.stencil_svg"), "svg", "image/svg+xml"),
        ("tones_png", say("app.download.tone_png"), "png", "image/png"),
    )  # fmt: skip
    # A huge design at 300 dpi is refused by the renderer; say so before anyone clicks.
    refusals = {}
    try:
        design_shape_px(stencil, settings.print.dpi)
    except PyropatternError as err:
        refusals["stencil_png"] = err.text(language)
    for kind, label, extension, mime in buttons:
        st.download_button(
            label,
            builders[kind],
            file_name=f"{stem}-{kind.replace('_', '-')}.{extension}",
            mime=mime,
            on_click="ignore",
            width="stretch",
            type="primary" if kind == "pdf" else "secondary",
            key=f"download.{kind}",
            disabled=kind in refusals,
            help=refusals.get(kind),
        )
    # Settings are a few hundred bytes: built on every run, kept for tests and sharing.
    settings_json = settings_to_json(settings).encode()
    st.session_state[DOWNLOADS]["settings_json"] = settings_json
    st.download_button(
        say("app.download.settings"),
        settings_json,
        file_name=f"{stem}-settings.json",
        mime="application/json",
        on_click="ignore",
        width="stretch",
        key="download.settings_json",
    )
    st.caption(say("app.caption.pdf"))
    st.selectbox(say("app.paper"), PAPERS, key="print.paper",
                 format_func=lambda paper: tr(f"app.option.paper.{paper}", language))  # fmt: skip
    if st.session_state["print.paper"] == "custom":
        left, right = st.columns(2)
        left.number_input(say("app.paper_width"), 50.0, 2000.0, step=5.0, format="%.0f",
                          key="print.paper_width_mm")  # fmt: skip
        right.number_input(say("app.paper_height"), 50.0, 2000.0, step=5.0, format="%.0f",
                           key="print.paper_height_mm")  # fmt: skip
    st.checkbox(say("app.mirror"), key="print.mirror", help=say("app.help.mirror"))
