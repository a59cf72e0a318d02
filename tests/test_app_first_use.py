"""The first five minutes, driven with AppTest and the pure helpers behind it: one sheet by
default, print choices and copies, the uploaded photo as the one photo, notes with fixes,
the on-screen underlay, crop by dragging, file names by language."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from awkward_files import rgba_png
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from pyropattern import ui
from pyropattern.export import plan_tiles, printed_tiles
from pyropattern.settings import Settings

APP = str(Path(__file__).parents[1] / "app.py")
PHOTO_UPLOADER = 0


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def healthy(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def stencil(at: AppTest):
    return at.session_state["good.stencil"][0]


def pdf_button(at: AppTest):
    return at.download_button(key="download.pdf")


def sheets(design) -> int:
    plan = plan_tiles(design.width_mm, design.height_mm, design.settings.print)
    return len(printed_tiles(design, plan))


# ------------------------------------------------------------------------ size that fits


def test_opens_at_the_largest_size_that_fits_one_sheet_and_follows_the_paper():
    at = healthy(start())
    design = stencil(at)
    assert sheets(design) == 1
    assert design.width_mm == at.session_state["ui.fitted_width"]
    assert "print.width_mm" not in at.query_params  # a link fits the receiver's paper too
    assert "Largest size that fits one sheet of A4 (210 × 297 mm)." in [
        c.value for c in at.caption
    ]
    at.selectbox(key="print.paper").set_value("A3").run()
    bigger = stencil(healthy(at))
    assert bigger.width_mm > design.width_mm and sheets(bigger) == 1


def test_a_typed_size_is_kept_hinted_and_fit_brings_one_sheet_back():
    at = healthy(start({"sample": "portrait"}))
    fitted = stencil(at).width_mm
    at.number_input(key="ui.width_shown").set_value(fitted + 20).run()
    healthy(at)
    assert stencil(at).width_mm == fitted + 20
    assert at.query_params["print.width_mm"] == str(float(fitted + 20))
    hint = [info.value for info in at.info]
    assert hint == ["20 mm narrower fits on one sheet of A4 (210 × 297 mm)."]
    at.selectbox(key="print.paper").set_value("F4").run()  # a typed size stays typed
    assert stencil(healthy(at)).width_mm == fitted + 20
    at.button(key="print.fit").click().run()
    healthy(at)
    assert sheets(stencil(at)) == 1
    assert stencil(at).width_mm >= fitted  # F4 is longer than A4
    assert not at.info


# ------------------------------------------------------------------------ print choices


@pytest.mark.parametrize(
    ("contents", "copies", "label", "info_pages"),
    [("full", 1, "PDF: 3 pages", 2), ("key", 2, "PDF: 3 pages", 1),
     ("pattern", 1, "PDF: 1 page", 0), ("pattern", 3, "PDF: 3 pages", 0)],
)  # fmt: skip
def test_print_choices_make_the_pdf_the_button_promises(contents, copies, label, info_pages):
    at = start()
    at.segmented_control(key="ui.pdf_contents").set_value(contents)
    at.number_input(key="ui.pdf_copies").set_value(copies).run()
    healthy(at)
    assert pdf_button(at).label == label
    pdf = at.session_state["download.builders"]["pdf"]()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == int(label.split()[1]) == info_pages + copies
    assert at.session_state["downloads"]["pdf"] == pdf
    texts = [page.extract_text() for page in pages]
    assert all("Sheet A1 (1 of 1)" in text for text in texts[info_pages:])
    if copies > 1:
        assert [f"Copy {n} of {copies}" in text for n, text in
                enumerate(texts[info_pages:], 1)] == [True] * copies  # fmt: skip


def test_a_tiled_design_states_pages_and_sheets_and_the_pdf_agrees():
    at = start({"print.width_mm": "400", "lang": "id"})
    at.number_input(key="ui.pdf_copies").set_value(2).run()
    healthy(at)
    count = sheets(stencil(at))
    assert count > 1
    pages = 2 + 2 * count
    assert pdf_button(at).label == f"PDF: {pages} halaman"
    summary = " ".join(c.value for c in at.caption)
    assert f"{count} lembar pola × 2 salinan" in summary
    pdf = PdfReader(io.BytesIO(at.session_state["download.builders"]["pdf"]()))
    assert len(pdf.pages) == pages
    a4_points = sorted(v / 25.4 * 72 for v in (210, 297))
    for page in pdf.pages:
        assert sorted(float(v) for v in page.mediabox.upper_right) == pytest.approx(
            a4_points, abs=0.01
        )


def test_file_names_follow_the_language_and_titles_carry_no_extension():
    at = healthy(start())
    at.radio(key="ui.lang").set_value("id").run()
    healthy(at)
    pdf = PdfReader(io.BytesIO(at.session_state["download.builders"]["pdf"]()))
    assert pdf.metadata.title == "Kucing"
    at.file_uploader[PHOTO_UPLOADER].set_value(("kucing saya.PNG", rgba_png()[1], "image/png"))
    at.run()
    pdf = PdfReader(io.BytesIO(healthy(at).session_state["download.builders"]["pdf"]()))
    assert pdf.metadata.title == "kucing saya"


def test_download_names_by_language():
    assert ui.file_stem(ui.design_title("Cat (fur)"), "pattern") == "pattern-cat"
    assert ui.file_stem(ui.design_title("Kucing (bulu)"), "pola") == "pola-kucing"
    assert ui.file_stem(ui.design_title("IMG 0042.HEIC"), "peta-tingkat") == "peta-tingkat-img-0042"
    assert ui.design_title("photo.jpg") == "photo"
    assert ui.design_title(".hidden") == ".hidden"


# ----------------------------------------------------------------- one source of the photo


def test_an_upload_clears_the_sample_from_picker_and_url():
    at = healthy(start({"sample": "horse"}))
    assert at.query_params["sample"] == "horse"
    at.file_uploader[PHOTO_UPLOADER].set_value(rgba_png()).run()
    healthy(at)
    assert at.selectbox(key="photo.sample").value is None
    assert at.selectbox(key="photo.sample").placeholder == "Your own photo is shown"
    assert "sample" not in at.query_params
    assert any("carries the settings, not your photo" in c.value for c in at.caption)
    at.button(key="photo.use_sample").click().run()
    healthy(at)
    assert at.session_state["good.photo"][0] == "horse"
    assert at.query_params["sample"] == "horse"


# ------------------------------------------------------------------- notes next to the pattern


def flat_png() -> tuple[str, bytes, str]:
    """One even gray: one tone, whatever the number of levels asked for."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(np.full((400, 600), 128, dtype=np.uint8)).save(buffer, format="PNG")
    return "flat.png", buffer.getvalue(), "image/png"


def test_a_note_with_a_fix_applies_it():
    at = healthy(start())
    at.file_uploader[PHOTO_UPLOADER].set_value(flat_png()).run()
    healthy(at)
    assert "warning.few_tones" in [w.key for w in stencil(at).warnings]
    assert any("burn levels show up in this photo" in w.value for w in at.warning)
    fix = at.button(key="fix.warning.few_tones")
    assert fix.label == "Use 2 levels"
    fix.click().run()
    healthy(at)
    assert at.session_state["good.settings"].tones.levels == 2
    assert stencil(at).tones.count == 2
    # One even gray still shows one tone of two, but there is nothing left to fix.
    assert "fix.warning.few_tones" not in [button.key for button in at.button]


def test_warning_fixes_are_only_offered_when_they_change_something():
    base = Settings()  # 5 levels, smallest area 9 mm²
    fix = ui.warning_fix("warning.labels_outside", {"count": 3, "suggested": 18.2}, base)
    assert fix is not None and fix.changes == {"clean.min_region_mm2": 19.0}
    assert fix.params == {"area": 19}
    assert ui.warning_fix("warning.labels_outside", {"count": 3, "suggested": 1.0}, base) is None
    outside = replace(base, labels=replace(base.labels, fit_inside=False))
    switch = ui.warning_fix("warning.labels_outside", {"count": 3, "suggested": 18.2}, outside)
    assert switch is not None and switch.changes == {"labels.fit_inside": True}
    few = ui.warning_fix("warning.few_tones", {"found": 3, "levels": 5}, base)
    assert few is not None and few.changes == {"tones.levels": 3}
    many = ui.warning_fix("warning.many_regions", {"count": 164}, base)
    assert many is not None and many.changes == {"tones.levels": 4}
    two = replace(base, tones=replace(base.tones, levels=2))
    assert ui.warning_fix("warning.many_regions", {"count": 164}, two) is None
    assert ui.warning_fix("warning.unlabelled", {"count": 2}, base) is None


# ------------------------------------------------------------------------- underlay and crop


def test_underlay_is_on_screen_only():
    at = healthy(start())
    shown_with = at.tabs[0].get("image")[0]
    at.toggle(key="ui.underlay").set_value(False).run()
    shown_without = healthy(at).tabs[0].get("image")[0]
    assert shown_with.value != shown_without.value
    png = at.session_state["download.builders"]["stencil_png"]()
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "L"  # the printed pattern: gray lines on white, no tones


def test_tone_underlay_keeps_lines_black_and_shows_tones_faintly():
    lines = np.full((2, 3), 255, dtype=np.uint8)
    lines[0, 0] = 0
    tones = np.zeros((2, 3, 3), dtype=np.uint8)  # darkest possible tone
    out = ui.tone_underlay(lines, tones, strength=0.3)
    assert out[0, 0].tolist() == [0, 0, 0]
    assert out[1, 1].tolist() == [178, 178, 178]  # 255 - 255 × 0.3, rounded
    assert (ui.tone_underlay(lines, tones, strength=0.0)[1:] == 255).all()
    with pytest.raises(ValueError, match="strength must be between 0 and 1"):
        ui.tone_underlay(lines, tones, strength=1.5)


@given(
    x1=st.floats(-50, 650), y1=st.floats(-50, 450), x2=st.floats(-50, 650),
    y2=st.floats(-50, 450),
)  # fmt: skip
def test_a_dragged_box_gives_crop_sliders_in_range_and_in_order(x1, y1, x2, y2):
    sliders = ui.crop_from_drag({"x1": x1, "y1": y1, "x2": x2, "y2": y2,
                                 "width": 600, "height": 400})  # fmt: skip
    # What the box covers of the photo, in fractions (a box may go past the edges).
    wide = min(max(x1, x2), 600) / 600 - max(min(x1, x2), 0) / 600
    tall = min(max(y1, y2), 400) / 400 - max(min(y1, y2), 0) / 400
    if wide >= 0.021 and tall >= 0.021:
        assert sliders is not None
    if wide < 0.019 or tall < 0.019:
        assert sliders is None  # a click or a sliver changes nothing
    if sliders is not None:
        (left, right), (top, bottom) = sliders[ui.CROP_HORIZONTAL], sliders[ui.CROP_VERTICAL]
        assert 0 <= left < right <= 100 and 0 <= top < bottom <= 100
        assert right - left == pytest.approx(wide * 100, abs=0.02)


def test_crop_picture_dims_what_is_cut_away():
    rgb = np.full((100, 200, 3), 200, dtype=np.uint8)
    picture = ui.crop_picture(rgb, (0.5, 0.0, 1.0, 1.0), 100)
    assert picture.shape == (50, 100, 3)
    assert picture[25, 10].tolist() == [80, 80, 80]  # 200 × 2 / 5
    assert picture[25, 75].tolist() == [200, 200, 200]


def test_a_drag_sets_the_crop_sliders_through_the_callback():
    at = healthy(start())
    at.session_state["ui.crop_picker"] = {"x1": 0, "y1": 0, "x2": 240, "y2": 200,
                                          "width": 480, "height": 400}  # fmt: skip
    sliders = ui.crop_from_drag(at.session_state["ui.crop_picker"])
    assert sliders == {ui.CROP_HORIZONTAL: (0.0, 50.0), ui.CROP_VERTICAL: (0.0, 50.0)}
    at.slider(key=ui.CROP_HORIZONTAL).set_value(sliders[ui.CROP_HORIZONTAL])
    at.slider(key=ui.CROP_VERTICAL).set_value(sliders[ui.CROP_VERTICAL]).run()
    healthy(at)
    assert at.session_state["good.settings"].prepare.crop == (0.0, 0.0, 0.5, 0.5)
    at.button(key="prepare.crop_reset").click().run()
    assert healthy(at).session_state["good.settings"].prepare.crop == (0.0, 0.0, 1.0, 1.0)
