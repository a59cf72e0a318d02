"""The Streamlit app driven headless with AppTest: start, controls, uploads, language, sharing."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest
from awkward_files import awkward_files, exif_rotated_jpeg, rgba_png
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from pyropattern import ui
from pyropattern.cli import main as cli_main
from pyropattern.i18n import LANGUAGES, table
from pyropattern.load import MAX_BYTES, load_photo
from pyropattern.pipeline import make_stencil
from pyropattern.samples import DEFAULT_SAMPLE_ID, get_sample
from pyropattern.settings import PAPERS, TONE_METHODS, settings_from_json
from pyropattern.teach.profiles import shipped_profiles

APP = str(Path(__file__).parents[1] / "app.py")
PHOTO_UPLOADER = 0  # the photo uploader comes first in the sidebar; the settings file second
SETTINGS_UPLOADER = 1


def start(query: dict[str, str] | None = None) -> AppTest:
    """Run the app once, as a browser opening it (optionally with a query string)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def shown(element) -> str:
    """The text a person reads in an alert: the app escapes every punctuation mark so user
    text cannot act as markdown; the escapes are not on screen."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", element.value)


def stencil_key(at: AppTest) -> str:
    """The cache key of the stencil on screen: equal keys, equal stencils."""
    return at.session_state["good.stencil"][1].stencil


def swatches(at: AppTest) -> int:
    return sum('class="pp-swatch"' in block.value for block in at.markdown)


def assert_healthy(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_starts_on_a_sample_with_a_stencil():
    at = start()
    assert_healthy(at)
    assert at.session_state["photo.sample"] == "cat"
    stencil = at.session_state["good.stencil"][0]
    assert stencil.regions.count > 1
    assert stencil.outlines.boundaries
    # The stencil tab opens first and shows one PNG image.
    pattern = at.tabs[0]
    assert pattern.label == "Pattern"
    assert len(pattern.get("image")) == 1
    assert swatches(at) == 5
    assert at.title[0].value == "Burn-by-number pattern maker"


def test_cached_stages_make_what_make_stencil_makes():
    # The app runs the stages one cache at a time; it must still agree with the library's
    # make_stencil (and so with the command line) exactly.
    at = start({"tones.levels": "6", "labels.max_height_mm": "4.5"})
    assert_healthy(at)
    shown = at.session_state["good.stencil"][0]
    settings = at.session_state["good.settings"]
    photo = load_photo(get_sample("cat").path, target_long_side=settings.prepare.working_px)
    made = make_stencil(photo, settings)
    np.testing.assert_array_equal(shown.regions.ids, made.regions.ids)
    assert shown.labels == made.labels
    assert shown.report == made.report
    assert shown.warnings == made.warnings


@pytest.mark.parametrize("levels", [2, 7, 10])
def test_levels_slider_sets_the_legend(levels):
    at = start()
    at.slider(key="tones.levels").set_value(levels).run()
    assert_healthy(at)
    assert swatches(at) == levels
    assert at.session_state["good.stencil"][0].tones.count == levels


def test_a_change_recomputes_only_the_stages_after_it():
    at = start()
    before, before_keys = at.session_state["good.stencil"]
    at.select_slider(key="labels.max_height_mm").set_value(4.0).run()
    assert_healthy(at)
    after, after_keys = at.session_state["good.stencil"]
    assert after_keys.outlines == before_keys.outlines
    assert after_keys.stencil != before_keys.stencil
    # The cached stage results are the very same objects: nothing upstream ran again.
    assert after.regions is before.regions
    assert after.outlines is before.outlines
    assert after.labels is not before.labels
    at.slider(key="tones.levels").set_value(4).run()
    levels = at.session_state["good.stencil"][0]
    assert levels.prepared is before.prepared
    assert levels.tones is not before.tones


def test_each_awkward_upload_gives_one_error_or_a_stencil():
    at = start()
    for name, data, mime, error_key in awkward_files():
        previous = stencil_key(at)
        uploader = at.file_uploader[PHOTO_UPLOADER]
        uploader.set_value((name, data, mime)).run()
        assert not at.exception, (name, [e.value for e in at.exception])
        if error_key is None:
            assert not at.error, (name, [e.value for e in at.error])
            assert stencil_key(at) != previous, name
        else:
            assert len(at.error) == 1, (name, [e.value for e in at.error])
            expected = table()[error_key]["en"].split("{")[0]
            assert shown(at.error[0]).startswith(expected), (name, shown(at.error[0]))
            # The last good stencil stays on screen.
            assert stencil_key(at) == previous, name
            assert len(at.tabs[0].get("image")) == 1, name


def test_picking_a_sample_replaces_an_upload():
    at = start()
    at.file_uploader[PHOTO_UPLOADER].set_value(rgba_png()).run()
    uploaded = stencil_key(at)
    at.selectbox(key="photo.sample").set_value("horse").run()
    assert_healthy(at)
    assert stencil_key(at) != uploaded
    assert at.session_state["good.photo"][0] == "horse"


def test_a_new_photo_keeps_the_settings():
    at = start()
    at.slider(key="tones.levels").set_value(3).run()
    at.file_uploader[PHOTO_UPLOADER].set_value(rgba_png()).run()
    assert_healthy(at)
    assert at.session_state["tones.levels"] == 3
    assert at.session_state["good.settings"].tones.levels == 3


def test_manual_thresholds_start_from_automatic_and_push_each_other():
    at = start()
    at.selectbox(key="tones.method").set_value("manual").run()
    assert_healthy(at)
    # Fine-tuning starts from the thresholds the automatic method found.
    found = at.session_state["good.stencil"][0].tones.thresholds
    assert at.session_state[ui.threshold_key(0)] == pytest.approx(found[0], abs=1e-3)
    previous = stencil_key(at)
    # Dragging the darkest threshold past all the others pushes them along: no error.
    at.select_slider(key=ui.threshold_key(0)).set_value(0.9).run()
    assert_healthy(at)
    assert at.session_state["good.settings"].tones.thresholds == (0.9, 0.91, 0.92, 0.93)
    assert stencil_key(at) != previous


def test_settings_that_do_not_validate_show_one_error_and_keep_the_stencil():
    at = start()
    previous = stencil_key(at)
    at.select_slider(key="labels.min_height_mm").set_value(8.0)
    at.select_slider(key="labels.max_height_mm").set_value(4.0).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "must not be below the smallest" in shown(at.error[0])
    assert stencil_key(at) == previous
    assert len(at.tabs[0].get("image")) == 1


def test_preset_sets_its_values_and_keeps_the_size():
    at = start()
    at.session_state["print.width_mm"] = 300.0
    at.selectbox(key="ui.preset").set_value("beginner").run()
    assert_healthy(at)
    settings = at.session_state["good.settings"]
    assert settings.tones.levels == 3
    assert settings.clean.min_region_mm2 == 30.0
    assert settings.print.width_mm == 300.0
    assert swatches(at) == 3


def test_height_follows_an_exif_rotated_photo_turned_and_cropped():
    at = start()
    at.file_uploader[PHOTO_UPLOADER].set_value(exif_rotated_jpeg()).run()
    at.selectbox(key="prepare.rotate_quarters").set_value(1).run()
    at.slider(key=ui.CROP_VERTICAL).set_value((0.0, 50.0)).run()
    assert_healthy(at)
    stencil = at.session_state["good.stencil"][0]
    shown = at.number_input(key="ui.height_shown").value
    assert shown == pytest.approx(stencil.height_mm, abs=1)


def test_width_in_inches_and_height_locked_to_the_photo():
    at = start({"print.width_mm": "200"})  # a width in the link: no fitting to the paper
    at.segmented_control(key="ui.unit").set_value("in").run()
    assert at.number_input(key="ui.width_shown").value == pytest.approx(200 / 25.4, abs=0.01)
    at.number_input(key="ui.width_shown").set_value(10.0).run()
    assert_healthy(at)
    assert at.session_state["good.settings"].print.width_mm == pytest.approx(254.0)
    stencil = at.session_state["good.stencil"][0]
    height = at.number_input(key="ui.height_shown").value
    assert height == pytest.approx(stencil.height_mm / 25.4, abs=0.01)
    # Typing a height sets the width through the photo's aspect ratio.
    at.number_input(key="ui.height_shown").set_value(5.0).run()
    aspect = stencil.width_mm / stencil.height_mm
    assert at.session_state["print.width_mm"] == pytest.approx(5.0 * 25.4 * aspect, abs=0.5)


# ------------------------------------------------------------------------------- language


def visible_texts(at: AppTest) -> list[str]:
    """Every label, heading, caption and option a user can read, in page order per kind."""
    texts: list[str] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning",
                 "success", "error"):  # fmt: skip
        texts += [element.value for element in getattr(at, kind)]
    widgets = ("selectbox", "slider", "select_slider", "toggle", "checkbox", "radio",
               "number_input", "file_uploader", "download_button", "segmented_control")  # fmt: skip
    for kind in widgets:
        for widget in getattr(at, kind):
            texts.append(widget.label)
            texts += [widget.help] if widget.help else []
            if kind in ("selectbox", "radio"):
                texts += list(widget.options)
    texts += [tab.label for tab in at.tabs]
    texts += [expander.label for expander in at.expander]
    texts += [metric.label for metric in at.metric]
    texts += [button.label for button in at.button]
    texts += [str(table.value) for table in at.table]
    return texts


# Strings that read the same in both languages: names, units, paper sizes, numbers.
SAME_IN_BOTH = {"Language / Bahasa", "English", "Bahasa Indonesia", "en", "id", "Manual",
                *(profile.name for profile in shipped_profiles().values())}  # profile names


def same_in_both(text: str) -> bool:
    if text in SAME_IN_BOTH:
        return True
    if any(entry["en"] == entry["id"] == text for entry in table().values()):
        return True
    # Numbers, units and swatches carry no words.
    words = re.sub(r"<[^>]+>|[\d.,%°×²]|\b(mm|cm|dpi|PNG|SVG|PDF|JSON)\b", " ", text)
    return not re.search(r"[A-Za-z]{2,}", words)


@pytest.mark.parametrize(
    "tab", ["Pattern", "Tone map", "Burn preview", "Photo and pattern", "Report"]
)
def test_switching_to_indonesian_changes_every_visible_label(tab):
    # Manual thresholds and an uploaded photo show the widgets that are otherwise hidden.
    at = start({"tones.method": "manual", "tones.thresholds": "[0.2,0.4,0.6,0.8]"})
    at.file_uploader[PHOTO_UPLOADER].set_value(rgba_png())
    at.session_state["ui.view"] = tab
    at.run()
    english = visible_texts(at)
    at.radio(key="ui.lang").set_value("id").run()
    assert_healthy(at)
    indonesian = visible_texts(at)
    assert len(indonesian) == len(english)
    unchanged = [
        en
        for en, id_ in zip(english, indonesian, strict=True)
        if en == id_ and not same_in_both(en)
    ]
    assert unchanged == []
    assert at.title[0].value == "Pembuat pola bakar sesuai nomor"
    assert at.query_params["lang"] == "id"


def test_indonesian_numbers_use_a_decimal_comma():
    at = start({"lang": "id"})
    assert_healthy(at)
    shares = [block.value for block in at.markdown if 'class="pp-swatch"' in block.value]
    assert all(re.search(r"\d+(,\d)?%", share) for share in shares)
    assert not any(re.search(r"\d\.\d%", share) for share in shares)


def test_browser_locale_picks_the_language():
    at = AppTest.from_file(APP, default_timeout=60)
    at.context["locale"] = "id-ID"
    at.run()
    assert at.session_state["ui.lang"] == "id"


def test_translation_table_is_complete():
    for key, entry in table().items():
        for lang in LANGUAGES:
            assert entry[lang].strip(), (key, lang)
        placeholders = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in LANGUAGES}
        assert placeholders["en"] == placeholders["id"], key


def test_every_key_the_app_uses_exists():
    views = Path(APP).parent / "src" / "pyropattern" / "views"
    sources = [Path(APP), *sorted(views.glob("*.py"))]
    source = "\n".join(path.read_text(encoding="utf-8") for path in sources)
    used = set(re.findall(r"""(?:say|tr)\(\s*["']([a-z_.]+)["']""", source))
    used |= {f"app.option.method.{method}" for method in TONE_METHODS}
    used |= {f"app.option.paper.{paper}" for paper in PAPERS}
    used |= {f"app.option.unit.{unit}" for unit in ui.UNITS}
    assert len(used) > 80
    assert sorted(used - set(table())) == []


# --------------------------------------------------------------------------- sharing a design


def change_some_settings(at: AppTest) -> AppTest:
    at.slider(key="tones.levels").set_value(6).run()
    at.select_slider(key="clean.min_region_mm2").set_value(20.0).run()
    at.toggle(key="labels.show").set_value(False).run()
    at.selectbox(key="prepare.rotate_quarters").set_value(1).run()
    at.slider(key=ui.CROP_HORIZONTAL).set_value((10.0, 90.0)).run()
    assert_healthy(at)
    return at


def test_settings_json_round_trips_to_the_same_stencil():
    designed = change_some_settings(start())
    text = designed.session_state["downloads"]["settings_json"]
    assert settings_from_json(text) == designed.session_state["good.settings"]
    fresh = start()
    assert stencil_key(fresh) != stencil_key(designed)
    fresh.file_uploader[SETTINGS_UPLOADER].set_value(("design.json", text, "application/json"))
    fresh.run()
    assert_healthy(fresh)
    assert stencil_key(fresh) == stencil_key(designed)
    np.testing.assert_array_equal(
        fresh.session_state["good.stencil"][0].regions.levels,
        designed.session_state["good.stencil"][0].regions.levels,
    )


def test_query_string_round_trips_to_the_same_stencil():
    designed = change_some_settings(start())
    query = dict(designed.query_params)
    assert query["tones.levels"] == "6"
    assert query["prepare.rotate_quarters"] == "1"
    opened = start(query)
    assert_healthy(opened)
    assert opened.session_state["good.settings"] == designed.session_state["good.settings"]
    assert stencil_key(opened) == stencil_key(designed)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"{not json", "could not be read"),
        (json.dumps({"tones": {"levels": 99}}).encode(), "between 2 and 10"),
        (json.dumps({"tones": {"colours": 3}}).encode(), "Unknown setting tones.colours"),
    ],
)
def test_bad_settings_file_shows_one_error_and_keeps_the_settings(text, message):
    at = start()
    at.slider(key="tones.levels").set_value(4).run()
    before = at.session_state["good.settings"]
    at.file_uploader[SETTINGS_UPLOADER].set_value(("bad.json", text, "application/json")).run()
    assert not at.exception
    assert len(at.error) == 1
    assert message in shown(at.error[0])
    assert at.session_state["good.settings"] == before
    assert swatches(at) == 4


def test_bad_query_string_shows_one_error_and_opens_as_without_settings():
    at = start({"tones.levels": "99", "lang": "id"})
    assert not at.exception
    assert len(at.error) == 1
    assert "harus antara 2 dan 10" in shown(at.error[0])
    # As a link without settings opens: the sample with its preset, fitted to one sheet.
    assert at.session_state["good.settings"] == start({"lang": "id"}).session_state["good.settings"]


# ------------------------------------------------------------------------------- downloads


def test_app_downloads_equal_the_command_line_files(tmp_path, monkeypatch):
    at = start({"lang": "id"})
    at.selectbox(key="print.paper").set_value("F4").run()
    at.checkbox(key="print.mirror").set_value(True).run()
    assert_healthy(at)
    builders = at.session_state["download.builders"]
    app_svg, app_pdf = builders["stencil_svg"](), builders["pdf"]()
    settings_file = tmp_path / "settings.json"
    settings_file.write_bytes(at.session_state["downloads"]["settings_json"])
    title = PdfReader(io.BytesIO(app_pdf)).metadata.title
    photo = get_sample(DEFAULT_SAMPLE_ID).path
    monkeypatch.setenv("LANG", "C.UTF-8")
    for suffix, app_bytes in (("svg", app_svg), ("pdf", app_pdf)):
        out = tmp_path / f"pola.{suffix}"
        args = ["--lang", "id", "make", str(photo), "-o", str(out),
                "--settings", str(settings_file), "--name", title]  # fmt: skip
        assert cli_main(args) == 0
        assert out.read_bytes() == app_bytes, f"the app's {suffix} differs from the CLI's"



def test_downloads_build_the_bytes_a_user_gets():
    at = start({"lang": "id", "print.width_mm": "200"})
    at.selectbox(key="print.paper").set_value("F4").run()
    at.checkbox(key="print.mirror").set_value(True).run()
    assert_healthy(at)
    labels = [button.label for button in at.download_button]
    # Short labels (issue 9): the page count on the button, paper and parts in the line above.
    assert labels[0] == "PDF: 3 halaman"
    assert "Pola PNG" in labels
    assert "PDF untuk F4 (215 × 330 mm), 3 halaman" in " ".join(c.value for c in at.caption)
    builders = at.session_state["download.builders"]
    svg = builders["stencil_svg"]()
    assert svg.startswith(b"<?xml") or svg.lstrip().startswith(b"<svg")
    assert b'width="200mm"' in svg
    assert at.session_state["downloads"]["stencil_svg"] == svg
    png = builders["stencil_png"]()
    assert png.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(png)) as image:
        assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
        assert image.width == round(200 / 25.4 * 300)
    assert builders["tones_png"]().startswith(b"\x89PNG")
    pdf = PdfReader(io.BytesIO(builders["pdf"]()))
    width_pt, height_pt = (float(v) for v in pdf.pages[-1].mediabox.upper_right)
    assert sorted((width_pt, height_pt)) == pytest.approx(
        sorted((215 / 25.4 * 72, 330 / 25.4 * 72)), abs=1
    )


def test_a_png_too_big_to_render_is_refused_before_a_click():
    at = start({"print.width_mm": "3000"})
    assert_healthy(at)
    button = at.download_button(key="download.stencil_png")
    assert button.disabled
    assert "megapixels (maximum 400)" in button.help
    assert not at.download_button(key="download.stencil_svg").disabled


@pytest.mark.parametrize(
    ("tab", "images"),
    [("Pattern", 1), ("Tone map", 1), ("Burn preview", 1), ("Photo and pattern", 2), ("Report", 0)],
)
def test_each_view_opens_on_its_own(tab, images):
    at = start({"prepare.rotate_quarters": "1", "prepare.crop": "[0.1,0,0.9,1]"})
    at.session_state["ui.view"] = tab
    at.run()
    assert_healthy(at)
    opened = next(t for t in at.tabs if t.label == tab)
    assert len(opened.get("image")) == images
    others = [t for t in at.tabs if t.label != tab]
    assert all(len(t.get("image")) == 0 for t in others)
    if tab == "Report":
        assert [m.label for m in at.metric] == [
            "Areas to burn",
            "Smallest area",
            "Total line length",
            "Estimated burn time",
        ]


def test_upload_limit_is_the_same_in_streamlit_the_loader_and_the_label():
    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())
    max_mb = MAX_BYTES // (1024 * 1024)
    assert config["server"]["maxUploadSize"] == max_mb
    at = start({"lang": "id"})
    assert at.file_uploader[PHOTO_UPLOADER].label == f"Unggah foto (maksimal {max_mb} MB)"


def test_the_preset_says_when_settings_left_it():
    at = start()
    note = "Settings changed since this starting point."
    assert note not in [caption.value for caption in at.caption]
    at.slider(key="tones.levels").set_value(7).run()
    assert note in [caption.value for caption in at.caption]
    at.selectbox(key="ui.preset").set_value("portrait").run()
    assert note not in [caption.value for caption in at.caption]


def test_every_setting_lives_in_session_state_under_its_flat_name():
    at = start({"tones.levels": "4"})
    settings = at.session_state["good.settings"]
    for key, value in ui.state_from_settings(settings).items():
        assert at.session_state[key] == value, key
    # The widgets are bound to those keys.
    assert at.slider(key="tones.levels").value == 4
    assert at.select_slider(key="clean.min_region_mm2").value == settings.clean.min_region_mm2
    assert at.toggle(key="labels.show").value is settings.labels.show


def test_a_failed_replacement_falls_back_to_the_photo_before_it():
    # The browser removes the old file before it sends the new one, and a rerun can fall in
    # between: the uploader is empty for one run. That must not bring the sample back.
    at = start()
    at.file_uploader[PHOTO_UPLOADER].set_value(rgba_png()).run()
    uploaded = stencil_key(at)
    at.file_uploader[PHOTO_UPLOADER].set_value(None).run()
    assert_healthy(at)
    assert stencil_key(at) == uploaded
    name, data, mime, _ = next(case for case in awkward_files() if case[3] == "error.file_corrupt")
    at.file_uploader[PHOTO_UPLOADER].set_value((name, data, mime)).run()
    assert len(at.error) == 1
    assert stencil_key(at) == uploaded
    assert at.session_state["good.photo"][0] == rgba_png()[0]


def test_use_the_sample_button_brings_the_sample_back():
    at = start()
    use_sample = "photo.use_sample"
    # Only offered while an uploaded photo is in use.
    assert use_sample not in [button.key for button in at.button]
    sample = stencil_key(at)
    at.file_uploader[PHOTO_UPLOADER].set_value(rgba_png()).run()
    assert stencil_key(at) != sample
    at.button(key=use_sample).click().run()
    assert_healthy(at)
    assert stencil_key(at) == sample
    assert at.session_state["good.photo"][0] == "cat"
    assert use_sample not in [button.key for button in at.button]


def test_an_odd_file_name_is_shown_as_typed():
    at = start()
    _, data, mime = rgba_png()
    at.file_uploader[PHOTO_UPLOADER].set_value(("$5 *sale*.png", data, mime)).run()
    assert_healthy(at)
    assert r"Photo: \$5 \*sale\*\.png" in [caption.value for caption in at.caption]


@pytest.mark.parametrize(("asked", "shown"), [("horse", "horse"), ("unicorn", "cat")])
def test_the_url_picks_the_sample(asked, shown):
    at = start({"sample": asked})
    assert_healthy(at)
    assert at.session_state["good.photo"][0] == shown
    assert at.query_params["sample"] == shown


def test_a_sample_brings_its_preset_and_forgets_a_marked_focus():
    at = start()
    assert at.session_state["ui.preset"] == get_sample(DEFAULT_SAMPLE_ID).preset
    at.session_state["focus.area"] = [0.2, 0.2, 0.8, 0.8]
    at.run()
    assert at.session_state["good.stencil"][0].settings.focus.area == (0.2, 0.2, 0.8, 0.8)
    at.selectbox(key="photo.sample").set_value("horse").run()
    assert_healthy(at)
    stencil = at.session_state["good.stencil"][0]
    assert at.session_state["ui.preset"] == "silhouette"
    assert stencil.tones.count == 2 and stencil.settings.focus.area == ()


def test_a_link_with_settings_keeps_them_rather_than_the_samples_preset():
    at = start({"sample": "horse", "tones.levels": "4"})
    assert at.session_state["good.stencil"][0].tones.count == 4


# ------------------------------------------------------------------------- burn preview tab


def open_burn_tab() -> AppTest:
    at = start()
    at.session_state["ui.view"] = "Burn preview"
    return at.run()


def burn_image(at: AppTest) -> str:
    tab = next(t for t in at.tabs if t.label == "Burn preview")
    images = tab.get("image")
    assert len(images) == 1
    return images[0].proto.imgs[0].url


def test_burn_tab_follows_wood_borders_colouring_and_the_guide():
    at = open_burn_tab()
    assert_healthy(at)
    first = burn_image(at)
    lesson = at.session_state["teach.lesson"]
    assert lesson.profile.wood == "pinus" and not lesson.colouring
    at.selectbox(key="teach.wood").set_value("mahoni").run()
    assert_healthy(at)
    assert at.session_state["teach.lesson"].profile.wood == "mahoni"
    assert burn_image(at) != first
    at.radio(key="teach.borders").set_value("burned").run()
    at.checkbox(key="teach.colouring").check().run()
    assert_healthy(at)
    lesson = at.session_state["teach.lesson"]
    assert lesson.borders == "burned" and lesson.colouring
    # A profile with a heat dial re-suggests the guide: heat now carries the tone.
    at.selectbox(key="teach.profile").set_value("Basswood + variable-heat pen").run()
    assert_healthy(at)
    guide = at.session_state["teach.lesson"].guide
    assert guide[-1].heat == "high" and guide[-1].dial > guide[1].dial
    # One click builds the whole handout, colouring section included.
    data = at.session_state["teach.builders"]["handout_pdf"]()
    assert data == at.session_state["downloads"]["handout_pdf"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    for heading in ("Burn guide", "Practice sheet", "Burning order", "Colouring", "Finishing"):
        assert heading in text


def test_a_saved_lesson_loads_back_and_a_bad_profile_gives_one_error():
    at = open_burn_tab()
    at.checkbox(key="teach.colouring").check().run()
    saved = at.session_state["downloads"]["lesson_json"]
    fresh = open_burn_tab()
    fresh.file_uploader(key="teach.lesson_file").set_value(
        ("lesson.json", saved, "application/json")).run()
    assert_healthy(fresh)
    assert fresh.session_state["teach.lesson"].colouring
    assert fresh.checkbox(key="teach.colouring").value
    fresh.file_uploader(key="teach.profile_file").set_value(
        ("profile.json", b'{"format": "pyropattern-profile", "version": 1}',
         "application/json")).run()
    assert not fresh.exception
    assert len(fresh.error) == 1
    assert "profile" in fresh.error[0].value.lower()
