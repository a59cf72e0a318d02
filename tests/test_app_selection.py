"""The app's selection views driven headless with AppTest: badge, variants, library, blanks,
class pack, and the new tabs in Indonesian."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader
from test_app import assert_healthy, same_in_both, start, visible_texts

from pyropattern import ui
from pyropattern.i18n import tr
from pyropattern.samples import get_sample

VARIANTS, LIBRARY, PACK = (tr(f"select.app.tab.{t}", "en") for t in ("variants", "library", "pack"))


def open_tab(at, tab: str):
    at.session_state["ui.view"] = tab
    return at.run()


def png(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    gray = np.clip(rng.normal(128, 20, (120, 160)).cumsum(axis=1) / 40, 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(gray.astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_badge_under_the_legend_names_the_band():
    at = start()
    assert_healthy(at)
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert len(badges) == 1 and any(word in badges[0] for word in
                                     ("Beginner", "Intermediate", "Advanced"))
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert any("burning" in c and "Why:" in c for c in captions), captions


def test_variants_side_by_side_and_continue_with_one():
    at = open_tab(start(), VARIANTS)
    assert_healthy(at)
    tab = next(t for t in at.tabs if t.label == VARIANTS)
    assert len(tab.get("image")) == 3
    assert sum("-badge[" in m.value for m in tab.markdown) == 3
    # Variant A starts as the beginner preset: continuing with it sets 3 levels.
    at.button(key="variants.0.pick").click().run()
    assert_healthy(at)
    assert at.session_state["tones.levels"] == 3
    assert at.session_state["good.settings"].tones.levels == 3
    # Four columns on request.
    at = open_tab(at, VARIANTS)
    at.segmented_control(key="variants.count").set_value(4).run()
    assert_healthy(at)
    tab = next(t for t in at.tabs if t.label == VARIANTS)
    assert len(tab.get("image")) == 4


def test_library_lists_samples_and_uploads_sorted_and_filtered():
    at = start()
    at.file_uploader[0].set_value(("mine.png", png(1), "image/png")).run()
    at = open_tab(at, LIBRARY)
    assert_healthy(at)
    opens = [b for b in at.button if b.key and b.key.startswith("library.open.")]
    assert len(opens) == 8  # seven samples and the upload
    assert badge_scores(at) == sorted(badge_scores(at))  # easiest first
    at.selectbox(key="library.sort").set_value("hard").run()
    assert badge_scores(at) == sorted(badge_scores(at), reverse=True)
    at.multiselect(key="library.filter").set_value(["beginner"]).run()
    assert_healthy(at)
    shown = [m.value for m in library_tab(at).markdown if "-badge[" in m.value]
    assert 0 < len(shown) < 8 and all("Beginner" in badge for badge in shown)  # the horse


def library_tab(at):
    return next(t for t in at.tabs if t.label == LIBRARY)


def badge_scores(at) -> list[float]:
    badges = [m.value for m in library_tab(at).markdown if "-badge[" in m.value]
    return [float(badge.split("·")[1].split("/")[0]) for badge in badges]


def test_opening_a_library_card_switches_the_photo():
    at = open_tab(start(), LIBRARY)
    digest = ui.bytes_digest(get_sample("coins").path.read_bytes())
    at.button(key=f"library.open.{digest}").click().run()
    assert_healthy(at)
    assert at.session_state["photo.sample"] == "coins"
    assert at.session_state["ui.view"] == tr("app.tab.stencil", "en")
    assert at.session_state["good.photo"][0] == "coins"


def test_blank_fits_the_design_to_a_coaster():
    at = start()
    at.selectbox(key="blank.id").set_value("coaster_round").run()
    assert_healthy(at)
    stencil = at.session_state["good.stencil"][0]
    assert stencil.width_mm == pytest.approx(90.0)
    assert len(stencil.cut_lines) == 1
    at.selectbox(key="blank.id").set_value("custom").run()
    at.number_input(key="blank.width_mm").set_value(60.0).run()
    at.number_input(key="blank.margin_mm.custom").set_value(40.0).run()
    # A margin that leaves no room is one translated line; the last good stencil stays.
    assert [e.value for e in at.error] and not at.exception
    at.selectbox(key="blank.id").set_value("none").run()
    assert_healthy(at)
    assert not at.session_state["good.stencil"][0].cut_lines


def test_class_pack_in_the_app_names_the_broken_photo():
    at = open_tab(start(), PACK)
    uploader = next(u for u in at.file_uploader if u.key and u.key.startswith("pack.upload"))
    uploader.set_value([("a.png", png(2), "image/png"), ("b.png", png(3), "image/png"),
                        ("broken.jpg", b"\xff\xd8\xff junk", "image/jpeg")]).run()
    next(b for b in at.button if b.label == tr("select.app.pack.make", "en")).click().run()
    assert_healthy(at)
    kind, data, rows = at.session_state["pack.result"]
    assert kind == "pdf"
    names = [row[0] for row in rows[1:]]
    assert names == ["a.png", "b.png", "broken.jpg"]
    assert "failed" in rows[3][4] and "ready" in rows[1][4]
    assert len(PdfReader(io.BytesIO(data)).pages) >= 3


@pytest.mark.parametrize("tab", [VARIANTS, LIBRARY, PACK])
def test_selection_tabs_switch_to_indonesian(tab):
    at = open_tab(start(), tab)
    english = visible_texts(at)
    at.radio(key="ui.lang").set_value("id").run()
    assert_healthy(at)
    indonesian = visible_texts(at)
    assert len(indonesian) == len(english)
    unchanged = [en for en, id_ in zip(english, indonesian, strict=True)
                 if en == id_ and not same_in_both(en) and en not in {"ZIP"}]
    assert unchanged == []
