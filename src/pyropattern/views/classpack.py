"""Class pack in the app: several uploaded photos → one PDF or ZIP, with a progress bar."""

from __future__ import annotations

import streamlit as st

from ..blanks import Blank
from ..classpack import PackJob, pack_pdf, pack_zip, run_pack, summary_rows
from ..i18n import tr
from ..load import UPLOAD_EXTENSIONS
from ..presets import PRESETS, apply_preset, preset_name_key
from ..settings import Settings
from .session import DOWNLOADS

PRESET, FORMAT, RESULT = "pack.preset", "pack.format", "pack.result"
UPLOAD_ROUND = "pack.upload_round"
FORMATS = ("pdf", "zip")
MAX_PHOTOS = 40  # one class; more would hold the server for minutes


def show_pack(current: Settings, blank: Blank | None, lang: str) -> None:
    """Draw the class-pack view: uploader, style, file type, button, progress, summary."""
    st.caption(tr("select.app.pack.intro", lang))
    st.session_state.setdefault(UPLOAD_ROUND, 0)
    uploads = st.file_uploader(
        tr("select.app.pack.upload", lang), type=list(UPLOAD_EXTENSIONS),
        accept_multiple_files=True, key=f"pack.upload.{st.session_state[UPLOAD_ROUND]}",
    )
    left, right = st.columns(2)
    st.session_state.setdefault(PRESET, "beginner")
    left.selectbox(tr("select.app.variants.preset", lang), list(PRESETS), key=PRESET,
                   format_func=lambda name: tr(preset_name_key(name), lang))
    st.session_state.setdefault(FORMAT, "pdf")
    right.radio(tr("select.app.pack.format", lang), FORMATS, key=FORMAT, horizontal=True,
                format_func=str.upper)
    photos = list(uploads or [])[:MAX_PHOTOS]
    if st.button(tr("select.app.pack.make", lang), type="primary", disabled=not photos):
        preset = st.session_state[PRESET]
        settings = apply_preset(preset, current)
        jobs = [PackJob(upload.name, upload.getvalue()) for upload in photos]
        bar = st.progress(0.0, text=tr("select.app.pack.progress", lang, done=0,
                                       total=len(jobs)))

        def advance(done: int, total: int, _result) -> None:
            bar.progress(done / total, text=tr("select.app.pack.progress", lang, done=done,
                                               total=total))

        kind = st.session_state[FORMAT]
        results = run_pack(jobs, settings, lang=lang, blank=blank, svg=kind == "zip",
                           on_result=advance)
        build = pack_zip if kind == "zip" else pack_pdf
        data = build(results, settings, lang, tr(preset_name_key(preset), lang))
        st.session_state[RESULT] = (kind, data, summary_rows(results, lang))
        st.session_state.setdefault(DOWNLOADS, {})[f"pack_{kind}"] = data
    if RESULT in st.session_state:
        kind, data, rows = st.session_state[RESULT]
        header, *body = rows
        st.table([dict(zip(header, row, strict=True)) for row in body])
        st.download_button(
            tr("select.app.pack.download", lang), data, file_name=f"class-pack.{kind}",
            mime="application/pdf" if kind == "pdf" else "application/zip",
            on_click="ignore", key="pack.download",
        )

