"""Pattern library: a card for every sample and every photo uploaded in this session.

Each card shows the photo and its pattern at the current style and print settings, the
difficulty badge, burn time and size; the cards sort and filter by band, and one click
opens a photo in the main view. The shown cards (up to six) make a selection worksheet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from ..difficulty import BANDS, Difficulty, band_name_key, rate_difficulty
from ..errors import PyropatternError
from ..export.worksheet import MAX_CANDIDATES, Candidate, worksheet_pdf
from ..i18n import format_number, tr
from ..load import load_photo
from ..model import Stencil
from ..pipeline import make_stencil
from ..prepare import orient_and_crop
from ..render import render_tone_map
from ..samples import list_samples
from ..settings import PrepareSettings, Settings, settings_to_json
from ..ui import bytes_digest, escape_markdown, png_bytes
from .difficulty import show_difficulty
from .session import DOWNLOADS, GOOD_PHOTO, PHOTO_CHOICE, SAMPLE, UPLOAD_ROUND, VIEW
from .session import lang as session_lang

UPLOADS = "library.uploads"  # {digest: (file name, bytes, digest, (w, h))} in upload order
MAX_UPLOADS = 12  # the library keeps the newest uploads only (each may be up to 50 MB)
SORT, FILTER = "library.sort", "library.filter"
SORTS = ("easy", "hard", "time")
THUMB_PX = 360
COLUMNS = 3


@dataclass(frozen=True)
class Card:
    """One library entry, rated at the current settings."""

    source: str  # sample id or file name
    name: str  # shown name (a sample's name in the session's language)
    digest: str
    stencil: Stencil
    difficulty: Difficulty
    photo_png: bytes
    pattern_png: bytes


def remember(good: tuple | None, sample_ids: set[str]) -> None:
    """Keep an uploaded photo for the library (call once per run with the photo on screen)."""
    if good is None or good[0] in sample_ids:
        return
    uploads: dict = st.session_state.setdefault(UPLOADS, {})
    uploads.pop(good[2], None)
    uploads[good[2]] = good
    while len(uploads) > MAX_UPLOADS:
        uploads.pop(next(iter(uploads)))


def library_settings(current: Settings) -> Settings:
    """The current style and print settings, with the framing of a fresh photo.

    A crop or rotation chosen for one photo means nothing for another.
    """
    fresh = PrepareSettings()
    framing = {f: getattr(fresh, f) for f in ("crop", "rotate_quarters", "flip_horizontal",
                                                "flip_vertical")}
    tones = current.tones
    if tones.method == "manual":  # thresholds picked for one photo's grays
        tones = dataclasses.replace(tones, method="otsu", thresholds=())
    return dataclasses.replace(
        current, prepare=dataclasses.replace(current.prepare, **framing), tones=tones
    )


@st.cache_resource(max_entries=32, show_spinner=False)
def _card(source: str, digest: str, settings_json: str, _data: bytes,
          _settings: Settings) -> Card:
    """A card keyed on the photo and the settings (not the shown name, which follows the
    language: switching language must not remake every pattern)."""
    photo = load_photo(_data, target_long_side=_settings.prepare.working_px)
    stencil = make_stencil(photo, _settings)
    framed = orient_and_crop(photo.rgb, _settings.prepare)
    dpi = THUMB_PX * 25.4 / stencil.width_mm
    return Card(
        source=source, name=source, digest=digest, stencil=stencil,
        difficulty=rate_difficulty(stencil),
        photo_png=png_bytes(framed, max_width=THUMB_PX),
        pattern_png=png_bytes(render_tone_map(stencil, dpi, lines=True)),
    )


def _entries(lang: str) -> list[tuple[str, str, bytes]]:
    """(source, shown name, file bytes) of the samples, then of the session's uploads."""
    entries = [(s.id, s.name(lang), s.path.read_bytes()) for s in list_samples()]
    for good in st.session_state.get(UPLOADS, {}).values():
        entries.append((good[0], good[0], good[1]))
    return entries


def sort_cards(cards: list[Card], order: str, bands: list[str]) -> list[Card]:
    """Cards of the chosen bands, easiest, hardest or shortest burn first."""
    shown = [card for card in cards if card.difficulty.band in bands]
    keys = {
        "easy": lambda c: c.difficulty.score,
        "hard": lambda c: -c.difficulty.score,
        "time": lambda c: c.difficulty.burn_minutes,
    }
    return sorted(shown, key=keys[order])


def open_photo(source: str, upload: tuple | None) -> None:
    """Open a library card (a callback): a sample by id, or an upload the library kept."""
    st.session_state[UPLOAD_ROUND] += 1
    if upload is None:
        st.session_state[SAMPLE] = source
        st.session_state[PHOTO_CHOICE] = "sample"
    else:
        st.session_state[GOOD_PHOTO] = upload
        st.session_state[PHOTO_CHOICE] = "upload"
    st.session_state[VIEW] = tr("app.tab.stencil", session_lang())


def show_library(
    current: Settings, lang: str, on_open: Callable[[str, tuple | None], None] = open_photo
) -> None:
    """Draw the library.

    Parameters
    ----------
    current : Settings
        Style and print settings the cards are made with (framing reset per photo).
    lang : {"en", "id"}
    on_open : callable
        ``on_open(source, upload)`` opens a sample (``upload`` None) or an upload record.
    """
    st.caption(tr("select.app.library.intro", lang))
    settings = library_settings(current)
    settings_json = settings_to_json(settings)
    cards, failures = [], []
    for source, name, data in _entries(lang):
        try:
            card = _card(source, bytes_digest(data), settings_json, data, settings)
            cards.append(dataclasses.replace(card, name=name))
        except PyropatternError as err:
            failures.append(
                tr("select.app.library.failed", lang, name=name, reason=err.text(lang))
            )
    uploads = st.session_state.get(UPLOADS, {})
    left, right = st.columns(2)
    st.session_state.setdefault(SORT, "easy")
    left.selectbox(tr("select.app.library.sort", lang), SORTS, key=SORT,
                   format_func=lambda order: tr(f"select.app.library.order.{order}", lang))
    st.session_state.setdefault(FILTER, list(BANDS))
    right.multiselect(tr("select.app.library.filter", lang), BANDS, key=FILTER,
                      format_func=lambda band: tr(band_name_key(band), lang))
    for failure in failures:
        st.warning(failure)
    shown = sort_cards(cards, st.session_state[SORT], st.session_state[FILTER])
    if not shown:
        st.info(tr("select.app.library.empty", lang))
        return
    for start in range(0, len(shown), COLUMNS):
        for column, card in zip(st.columns(COLUMNS), shown[start : start + COLUMNS],
                                strict=False):
            with column.container(border=True):
                photo_col, pattern_col = st.columns(2)
                photo_col.image(card.photo_png, output_format="PNG")
                pattern_col.image(card.pattern_png, output_format="PNG")
                st.markdown(f"**{escape_markdown(card.name)}**")
                show_difficulty(card.difficulty, lang)
                st.caption(escape_markdown(tr(
                    "select.app.figures", lang, regions=card.stencil.report.region_count,
                    smallest=round(card.stencil.report.smallest_region_mm2, 1),
                    lines=round(card.difficulty.complexity.line_m, 1),
                    width=format_number(round(card.stencil.width_mm), lang, 0),
                    height=format_number(round(card.stencil.height_mm), lang, 0),
                )))
                st.button(tr("select.app.library.open", lang), key=f"library.open.{card.digest}",
                          on_click=on_open, args=(card.source, uploads.get(card.digest)),
                          width="stretch")
    if len(shown) >= 2:
        candidates = [Candidate(c.name, c.stencil, c.difficulty) for c in shown[:MAX_CANDIDATES]]

        def build() -> bytes:
            data = worksheet_pdf(candidates, lang)
            st.session_state.setdefault(DOWNLOADS, {})["library_worksheet"] = data
            return data

        st.download_button(tr("select.app.worksheet", lang), build, file_name="worksheet.pdf",
                           mime="application/pdf", on_click="ignore", key="library.worksheet")
