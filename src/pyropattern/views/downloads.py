"""Step 4, under the views: what to print, how many copies, and the files for the class.

The buttons sit in one wrapping row with short labels (the detail is in each button's help
and in the line above them), so no label is cut at 820 px. Files are built only when their
button is clicked, and each is what its view shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from .. import ui
from ..errors import PyropatternError
from ..export import (
    CONTENTS,
    MAX_COPIES,
    pdf_page_count,
    plan_tiles,
    printed_tiles,
    stencil_pdf,
    stencil_png,
    stencil_svg,
    tone_map_png,
    tones_png,
)
from ..i18n import tr
from ..model import Stencil
from ..render import design_shape_px
from ..settings import settings_to_json
from .classroom import server_gate
from .session import BUILDERS, COPIES, DOWNLOADS, PDF_CONTENTS, lang, say


@dataclass(frozen=True)
class PrintJob:
    """What the PDF button makes: the contents, copies and the design's names."""

    contents: str  # one of export.CONTENTS
    copies: int
    title: str  # design name in headers and file titles, without a file extension
    slug_source: str  # the name the file names are made from ("Cat", "kucing saya.jpg")


def download_builders(
    stencil: Stencil, job: PrintJob, photo: Callable[[], np.ndarray]
) -> dict[str, Callable[[], bytes]]:
    """One builder per file kind. Each runs only when its button is clicked (on Streamlit's
    download thread) and keeps the bytes it made in the session, so tests read the same bytes
    a user gets; tests call these builders directly, since AppTest cannot click a download.

    ``photo`` gives the photo framed as the design, shown sharp on the PDF's key page.
    """
    store: dict[str, bytes] = st.session_state[DOWNLOADS]
    language = lang()
    makers: dict[str, Callable[[], bytes | str]] = {
        "pdf": lambda: stencil_pdf(
            stencil, language, name=job.title, contents=job.contents, copies=job.copies,
            photo=photo(),
        ),
        "stencil_png": lambda: stencil_png(stencil),
        "stencil_svg": lambda: stencil_svg(stencil, language, legend=True, name=job.title),
        "tone_map_png": lambda: tone_map_png(stencil),
        "tones_png": lambda: tones_png(stencil),
    }

    def keeping(kind: str, make: Callable[[], bytes | str]) -> Callable[[], bytes]:
        def build() -> bytes:
            # Files are built on Streamlit's download thread: they queue with the stages.
            with server_gate().slot():
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


def print_choices() -> tuple[str, int]:
    """What the PDF holds and how many copies of the pattern sheets; returns both."""
    language = lang()  # bound now: Streamlit may call format functions later
    st.subheader(say("app.step.print"))
    # One wrapping row: on a tablet the copies and mirror boxes move under the choice
    # instead of squeezing it (three columns cut "Everything" off at 820 px).
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        st.segmented_control(
            say("app.print.contents_label"),
            CONTENTS,
            key=PDF_CONTENTS,
            format_func=lambda choice: tr(f"app.option.contents.{choice}", language),
            required=True,
            help=say("app.help.print.contents"),
        )
        st.number_input(say("app.print.copies"), 1, MAX_COPIES, step=1, key=COPIES, width=140,
                        help=say("app.help.print.copies"))  # fmt: skip
        st.checkbox(say("app.mirror"), key="print.mirror", help=say("app.help.mirror"))
    return st.session_state[PDF_CONTENTS], int(st.session_state[COPIES])


def pdf_summary(contents: str, copies: int, sheets: int, paper: str) -> tuple[str, str]:
    """The PDF button's label ("PDF: 6 pages") and the line saying what the pages are."""
    pages = pdf_page_count(sheets, contents, copies)
    label = say("app.download.pdf_one" if pages == 1 else "app.download.pdf", pages=pages)
    parts = []
    if contents == "full":
        parts.append(say("app.pdf.part.instructions"))
    if contents in ("full", "key"):
        parts.append(say("app.pdf.part.key"))
    sheet_part = say("app.pdf.part.sheet" if sheets == 1 else "app.pdf.part.sheets", count=sheets)
    if copies > 1:
        sheet_part = say("app.pdf.part.copies", sheets=sheet_part, copies=copies)
    parts.append(sheet_part)
    return label, say("app.pdf.summary", pages=pages, paper=paper, parts=", ".join(parts))


def show_downloads(
    stencil: Stencil, keys: ui.StageKeys, job: PrintJob, photo: Callable[[], np.ndarray]
) -> None:
    """The files for the class in one row, the PDF first with its exact page count."""
    language = lang()
    settings = stencil.settings
    builders = download_builders(stencil, job, photo)
    st.session_state[BUILDERS] = builders
    paper = say(f"app.option.paper.{settings.print.paper}")
    sheets = sheet_count(keys.stencil, stencil)
    label, summary = pdf_summary(job.contents, job.copies, sheets, paper)
    st.caption(summary)

    def name(word_key: str, extension: str) -> str:
        return f"{ui.file_stem(job.slug_source, say(word_key))}.{extension}"

    buttons = (
        ("pdf", label, say("app.help.download.pdf"), name("app.file.pattern", "pdf"),
         "application/pdf"),
        ("stencil_png", say("app.download.stencil_png"),
         say("app.help.download.stencil_png", dpi=settings.print.dpi),
         name("app.file.pattern", "png"), "image/png"),
        ("stencil_svg", say("app.download.stencil_svg"), say("app.help.download.stencil_svg"),
         name("app.file.pattern", "svg"), "image/svg+xml"),
        ("tone_map_png", say("app.download.tone_map_png"),
         say("app.help.download.tone_map_png", dpi=settings.print.dpi),
         name("app.file.tone_map", "png"), "image/png"),
        ("tones_png", say("app.download.levels_png"), say("app.help.download.levels_png"),
         name("app.file.levels_map", "png"), "image/png"),
    )  # fmt: skip
    # A huge design at 300 dpi is refused by the renderer; say so before anyone clicks.
    refusals = {}
    try:
        design_shape_px(stencil, settings.print.dpi)
    except PyropatternError as err:
        refusals["stencil_png"] = refusals["tone_map_png"] = err.text(language)
    with st.container(horizontal=True, gap="small"):
        for kind, label, help_text, file_name, mime in buttons:
            st.download_button(
                label,
                builders[kind],
                file_name=file_name,
                mime=mime,
                on_click="ignore",
                type="primary" if kind == "pdf" else "secondary",
                key=f"download.{kind}",
                disabled=kind in refusals,
                help=refusals.get(kind, help_text),
            )
        # Settings are a few hundred bytes: built on every run, kept for tests and sharing.
        settings_json = settings_to_json(settings).encode()
        st.session_state[DOWNLOADS]["settings_json"] = settings_json
        st.download_button(
            say("app.download.settings"),
            settings_json,
            file_name=name("app.file.settings", "json"),
            mime="application/json",
            on_click="ignore",
            key="download.settings_json",
            help=say("app.help.download.settings"),
        )

