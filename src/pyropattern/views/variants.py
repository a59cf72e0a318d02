"""Compare variants: two to four versions of the current photo side by side.

Each column has its own style (preset), burn levels, width and smallest region; under each
pattern its difficulty, burn time, regions, smallest region and line length. One variant
can be taken on into the main controls, each downloaded, or all printed as a worksheet.
"""

from __future__ import annotations

import dataclasses
import string
from collections.abc import Callable

import streamlit as st

from ..blanks import Blank, make_blank_stencil
from ..difficulty import Difficulty, rate_difficulty
from ..errors import PyropatternError
from ..export.pdf import stencil_pdf
from ..export.worksheet import Candidate, worksheet_pdf
from ..i18n import format_number, tr
from ..load import load_photo
from ..model import Stencil
from ..pipeline import make_stencil
from ..presets import PRESETS, apply_preset, preset_name_key
from ..render import render_tone_map
from ..settings import MAX_LEVELS, MIN_LEVELS, Settings, settings_to_json
from ..ui import escape_markdown, png_bytes, state_from_settings
from .difficulty import show_difficulty
from .session import DOWNLOADS, VIEW
from .session import lang as session_lang

CURRENT = "current"  # a variant that starts from the settings on screen
COUNT = "variants.count"
MIN_REGION_STOPS = (2.0, 3.0, 4.0, 6.0, 9.0, 12.0, 15.0, 20.0, 30.0, 40.0, 60.0)
# What the columns start as: a beginner and an advanced version around the current one,
# and the current one 1.5 times as wide (size changes difficulty too).
_STARTS = (("beginner", 1.0), (CURRENT, 1.0), ("advanced", 1.0), (CURRENT, 1.5))
THUMB_PX = 520

Built = tuple[Stencil, Difficulty]


@st.cache_resource(max_entries=12, show_spinner=False)
def variant(digest: str, settings_json: str, blank: Blank | None, _data: bytes,
            _settings: Settings) -> Built:
    """One variant's stencil and difficulty (keyed on the photo and the settings' JSON)."""
    photo = load_photo(_data, target_long_side=_settings.prepare.working_px)
    if blank is None:
        stencil = make_stencil(photo, _settings)
    else:
        stencil = make_blank_stencil(photo, _settings, blank)
    return stencil, rate_difficulty(stencil)


@st.cache_data(max_entries=12, show_spinner=False)
def _thumbnail(digest: str, settings_json: str, blank: Blank | None, _stencil: Stencil) -> bytes:
    dpi = THUMB_PX * 25.4 / _stencil.width_mm
    return png_bytes(render_tone_map(_stencil, dpi, lines=True))


def _key(index: int, name: str) -> str:
    return f"variants.{index}.{name}"


def _start(index: int, current: Settings) -> None:
    """Fill a column's widgets the first time it is shown."""
    if _key(index, "preset") in st.session_state:
        return
    preset, width_factor = _STARTS[index]
    settings = current if preset == CURRENT else apply_preset(preset, current)
    st.session_state[_key(index, "preset")] = preset
    st.session_state[_key(index, "levels")] = settings.tones.levels
    st.session_state[_key(index, "width")] = round(
        min(3000.0, current.print.width_mm * width_factor)
    )
    st.session_state[_key(index, "min_region")] = min(
        MIN_REGION_STOPS, key=lambda stop: abs(stop - settings.clean.min_region_mm2)
    )


def _on_preset(index: int, current: Settings) -> None:
    # A new style brings its own levels and smallest region; the width stays.
    preset = st.session_state[_key(index, "preset")]
    settings = current if preset == CURRENT else apply_preset(preset, current)
    st.session_state[_key(index, "levels")] = settings.tones.levels
    st.session_state[_key(index, "min_region")] = min(
        MIN_REGION_STOPS, key=lambda stop: abs(stop - settings.clean.min_region_mm2)
    )


def variant_settings(
    current: Settings, preset: str, levels: int, width_mm: float, min_region_mm2: float
) -> Settings:
    """The settings of one variant: a style (or the current settings) with its own levels,
    width and smallest region."""
    base = current if preset == CURRENT else apply_preset(preset, current)
    return dataclasses.replace(
        base,
        tones=dataclasses.replace(base.tones, levels=int(levels), method="otsu", thresholds=()),
        clean=dataclasses.replace(base.clean, min_region_mm2=float(min_region_mm2)),
        print=dataclasses.replace(base.print, width_mm=float(width_mm)),
    )


def continue_with(settings: Settings) -> None:
    """A variant picked in the compare view becomes the settings on screen (a callback)."""
    st.session_state.update(state_from_settings(settings))
    st.session_state[VIEW] = tr("app.tab.stencil", session_lang())


def show_variants(
    current: Settings,
    photo: tuple[str, bytes, str],
    blank: Blank | None,
    lang: str,
    on_pick: Callable[[Settings], None] = continue_with,
) -> None:
    """Draw the compare view.

    Parameters
    ----------
    current : Settings
        The settings on screen (variants keep their framing and print settings).
    photo : tuple
        ``(name, file bytes, digest)`` of the current photo.
    blank : Blank or None
        The product blank in use; variants are fitted to it too.
    lang : {"en", "id"}
    on_pick : callable
        Called with a variant's settings when the user continues with it.
    """
    name, data, digest = photo
    st.caption(tr("select.app.variants.intro", lang))
    st.session_state.setdefault(COUNT, 3)
    st.segmented_control(tr("select.app.variants.count", lang), (2, 3, 4), key=COUNT)
    count = st.session_state[COUNT] or 3
    built: list[tuple[str, Built]] = []
    styles = [CURRENT, *PRESETS]
    for index, column in enumerate(st.columns(count)):
        _start(index, current)
        letter = string.ascii_uppercase[index]
        with column:
            st.markdown(f"**{tr('select.app.variants.name', lang, letter=letter)}**")
            st.selectbox(
                tr("select.app.variants.preset", lang), styles, key=_key(index, "preset"),
                format_func=lambda p: tr("select.app.variants.current" if p == CURRENT
                                         else preset_name_key(p), lang),
                on_change=_on_preset, args=(index, current),
            )
            st.slider(tr("select.app.variants.levels", lang), MIN_LEVELS, MAX_LEVELS,
                      key=_key(index, "levels"))
            st.number_input(tr("select.app.variants.width", lang), 20.0, 3000.0, step=10.0,
                            key=_key(index, "width"), format="%.0f", disabled=blank is not None)
            st.select_slider(tr("select.app.variants.min_region", lang), MIN_REGION_STOPS,
                             key=_key(index, "min_region"),
                             format_func=lambda v: format_number(v, lang, 1))
            try:
                settings = variant_settings(
                    current, st.session_state[_key(index, "preset")],
                    st.session_state[_key(index, "levels")],
                    st.session_state[_key(index, "width")],
                    st.session_state[_key(index, "min_region")],
                )
                settings_json = settings_to_json(settings)
                stencil, difficulty = variant(digest, settings_json, blank, data, settings)
            except PyropatternError as err:
                st.error(err.text(lang))
                continue
            st.image(_thumbnail(digest, settings_json, blank, stencil), output_format="PNG")
            show_difficulty(difficulty, lang)
            _figures(stencil, difficulty, lang)
            st.button(tr("select.app.variants.pick", lang), key=_key(index, "pick"),
                      on_click=on_pick, args=(settings,), width="stretch", type="primary")
            title = f"{name} {letter}"
            st.download_button(
                tr("select.app.variants.download", lang),
                _pdf_builder(stencil, lang, title, _key(index, "pdf")),
                file_name=f"variant-{letter.lower()}.pdf", mime="application/pdf",
                on_click="ignore", key=_key(index, "download"), width="stretch",
            )
            built.append((f"{name} · {letter}", (stencil, difficulty)))
    if len(built) >= 2:
        candidates = [Candidate(title, s, d) for title, (s, d) in built]
        st.download_button(
            tr("select.app.worksheet", lang), _worksheet_builder(candidates, lang),
            file_name="worksheet.pdf", mime="application/pdf", on_click="ignore",
            key="variants.worksheet",
        )


def _figures(stencil: Stencil, difficulty: Difficulty, lang: str) -> None:
    report = stencil.report
    st.caption(escape_markdown(tr(
        "select.app.figures", lang, regions=report.region_count,
        smallest=round(report.smallest_region_mm2, 1),
        lines=round(difficulty.complexity.line_m + difficulty.complexity.burn_line_m, 1),
        width=round(stencil.width_mm), height=round(stencil.height_mm),
    )))


def _keeping(kind: str, make: Callable[[], bytes]) -> Callable[[], bytes]:
    def build() -> bytes:
        data = make()
        st.session_state.setdefault(DOWNLOADS, {})[kind] = data
        return data

    return build


def _pdf_builder(stencil: Stencil, lang: str, title: str, kind: str) -> Callable[[], bytes]:
    return _keeping(kind, lambda: stencil_pdf(stencil, lang, name=title))


def _worksheet_builder(candidates: list[Candidate], lang: str) -> Callable[[], bytes]:
    return _keeping("worksheet", lambda: worksheet_pdf(candidates, lang))
