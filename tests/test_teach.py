"""Teaching: profiles, lesson files, burn time, burning order, colouring, practice, handout."""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess

import numpy as np
import pytest
from _export_fixtures import make_test_stencil
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from scipy import ndimage

from pyropattern.cli import main
from pyropattern.i18n import LANGUAGES, table, tr
from pyropattern.model import Photo, frozen_array
from pyropattern.pipeline import make_stencil
from pyropattern.render.techniques import TECHNIQUES
from pyropattern.settings import PrepareSettings, PrintSettings, Settings, ToneSettings
from pyropattern.teach.colouring import palette, suggest_colours
from pyropattern.teach.handout import lesson_handout
from pyropattern.teach.lesson import (
    HEATS,
    SPEEDS,
    Lesson,
    LevelGuide,
    default_guide,
    default_lesson,
    lesson_from_json,
    lesson_to_json,
)
from pyropattern.teach.order import burning_order, suggested_order
from pyropattern.teach.practice import BOX_MM, practice_pdf
from pyropattern.teach.profiles import (
    TIPS,
    ProfileError,
    profile_from_json,
    profile_to_dict,
    profile_to_json,
    shipped_profiles,
)
from pyropattern.teach.timing import estimate_time, format_minutes

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)
HEADINGS = {
    "en": ["Burn guide", "Practice sheet", "Burning order", "Colouring", "Finishing"],
    "id": ["Panduan bakar", "Lembar latihan", "Urutan membakar", "Pewarnaan", "Finishing"],
}


@pytest.fixture(scope="module")
def stencil():
    return make_test_stencil(200.0, 150.0)


# --- profiles --------------------------------------------------------------------------------


def test_two_or_three_profiles_ship_and_one_is_a_fixed_heat_iron():
    profiles = shipped_profiles()
    assert 2 <= len(profiles) <= 3
    assert any(not p.tool.heat_adjustable for p in profiles.values())
    assert any(p.tool.heat_adjustable and p.tool.dial_max for p in profiles.values())


@pytest.mark.parametrize("name", list(shipped_profiles()))
def test_profiles_round_trip_through_json(name):
    profile = shipped_profiles()[name]
    assert profile_from_json(profile_to_json(profile)) == profile
    edited = dataclasses.replace(profile, finishing={"en": "Oil it.", "id": "Minyaki."})
    assert profile_from_json(profile_to_json(edited)) == edited


def _broken(change):
    data = profile_to_dict(shipped_profiles()["pinus-solder-40w"])
    change(data)
    return json.dumps(data)


BAD_PROFILES = {
    "not json": "{ this is not json",
    "not a profile": json.dumps({"name": "x"}),
    "version": _broken(lambda d: d.update(version=2)),
    "unknown field": _broken(lambda d: d.update(colour="red")),
    "no name": _broken(lambda d: d.update(name="  ")),
    "wood": _broken(lambda d: d.update(wood="oak")),
    "tool kind": _broken(lambda d: d["tool"].update(kind="laser")),
    "heat flag": _broken(lambda d: d["tool"].update(heat_adjustable="yes")),
    "dial": _broken(lambda d: d["tool"].update(dial_max=2.5)),
    "watts": _broken(lambda d: d["tool"].update(watts=-40)),
    "tips": _broken(lambda d: d.update(tips=["spoon"])),
    "rate type": _broken(lambda d: d["rates"].update(line_mm_per_min="fast")),
    "rate range": _broken(lambda d: d["rates"].update(shading_cm2_per_min=0)),
    "rate unknown": _broken(lambda d: d["rates"].update(speed=1)),
    "finishing": _broken(lambda d: d.update(finishing={"en": "only English"})),
    "huge": " " * 70_000,
}


@pytest.mark.parametrize("text", BAD_PROFILES.values(), ids=BAD_PROFILES.keys())
def test_bad_profiles_are_refused_with_one_translated_line(text):
    with pytest.raises(ProfileError) as caught:
        profile_from_json(text)
    for lang in LANGUAGES:
        message = caught.value.text(lang)
        assert message and "\n" not in message and "Traceback" not in message
    assert caught.value.text("en") != caught.value.text("id")


# --- lesson and burn guide -------------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 11))
def test_default_guide_darkens_step_by_step_for_any_level_count(n):
    for profile in shipped_profiles().values():
        guide = default_guide(profile, n)
        assert len(guide) == n and guide[0].passes == 0
        if profile.tool.heat_adjustable:
            # Heat carries the tone: the dial never goes down as the levels darken.
            dials = [row.dial for row in guide[1:]]
            assert dials == sorted(dials) and len(set(dials)) == n - 1
        else:
            # A soldering iron's heat is fixed: passes and slower strokes carry the tone.
            assert {row.heat for row in guide} == {"fixed"}
            passes = [row.passes for row in guide]
            assert passes == sorted(passes) and passes[-1] > (passes[1] if n > 2 else 1)


guide_rows = st.builds(
    LevelGuide,
    tip=st.sampled_from((*TIPS, "")),
    heat=st.sampled_from(HEATS),
    dial=st.integers(0, 20),
    technique=st.sampled_from(TECHNIQUES),
    passes=st.integers(0, 9),
    speed=st.sampled_from(SPEEDS),
    note=st.text(max_size=80),
)


@settings(max_examples=40, deadline=None)
@given(
    guide=st.lists(guide_rows, min_size=2, max_size=10),
    borders=st.sampled_from(("pencil", "burned")),
    colouring=st.booleans(),
    order=st.lists(st.text(min_size=1, max_size=40), max_size=6),
)
def test_lessons_round_trip_through_json(guide, borders, colouring, order):
    lesson = Lesson(profile=shipped_profiles()["basswood-variable-pen"], guide=tuple(guide),
                    borders=borders, colouring=colouring, order=tuple(order), seed=5)
    assert lesson_from_json(lesson_to_json(lesson)) == lesson


@pytest.mark.parametrize(
    "text",
    ["[]", '{"format": "pyropattern-lesson"}', "nonsense",
     lesson_to_json(default_lesson(3)).replace('"passes": 0', '"passes": 99'),
     lesson_to_json(default_lesson(3)).replace('"shading"', '"scribble"', 1)],
)
def test_bad_lesson_files_are_refused_with_one_line(text):
    with pytest.raises(ProfileError) as caught:
        lesson_from_json(text)
    assert "\n" not in caught.value.text("id")


def test_fitting_a_lesson_to_another_level_count_keeps_the_techniques():
    lesson = default_lesson(5)
    lesson = dataclasses.replace(
        lesson, guide=default_guide(lesson.profile, 5, ("shading", "stipple", "hatching",
                                                        "crosshatch", "circles")))
    fitted = lesson.fit(3)
    assert fitted.techniques == ("shading", "stipple", "hatching")
    assert fitted.fit(3) is fitted


# --- burn time -------------------------------------------------------------------------------


def test_burn_time_of_shaded_levels_is_area_times_passes_over_the_rate(stencil):
    lesson = default_lesson(5, shipped_profiles()["pinus-solder-40w"])
    time = estimate_time(stencil, lesson)
    rates = lesson.profile.rates
    design_cm2 = stencil.width_mm * stencil.height_mm / 100
    for level in range(1, 5):
        share = stencil.report.level_area_share[level]
        expected = share * design_cm2 / rates.shading_cm2_per_min * lesson.guide[level].passes
        assert time.level_min[level] == pytest.approx(expected)
    assert time.level_min[0] == 0
    borders, lines = stencil.outlines.line_length_mm, stencil.lines.length_mm
    assert lines > 0  # the test stencil has a burn line
    assert time.trace_min == pytest.approx((borders + lines) / rates.trace_mm_per_min)
    assert time.lines_min == pytest.approx(lines / rates.line_mm_per_min)
    burned = estimate_time(stencil, dataclasses.replace(lesson, borders="burned"))
    assert burned.lines_min == pytest.approx((borders + lines) / rates.line_mm_per_min)
    assert burned.total_min > time.total_min


def test_editing_a_rate_in_the_profile_changes_the_time(stencil):
    lesson = default_lesson(5)
    slower = dataclasses.replace(lesson.profile, rates=dataclasses.replace(
        lesson.profile.rates, shading_cm2_per_min=lesson.profile.rates.shading_cm2_per_min / 2))
    doubled = estimate_time(stencil, dataclasses.replace(lesson, profile=slower))
    base = estimate_time(stencil, lesson)
    assert sum(doubled.level_min) == pytest.approx(2 * sum(base.level_min))


def test_stippling_takes_longer_than_shading(stencil):
    lesson = default_lesson(5, shipped_profiles()["basswood-variable-pen"])
    dotted = dataclasses.replace(lesson, guide=default_guide(lesson.profile, 5, ("stipple",) * 5))
    assert estimate_time(stencil, dotted).total_min > estimate_time(stencil, lesson).total_min


@pytest.mark.parametrize(
    ("minutes", "en", "id_"),
    [(3, "± 5 min", "± 5 menit"), (60, "± 1 h", "± 1 jam"),
     (199, "± 3 h 20 min", "± 3 jam 20 menit")],
)
def test_times_are_written_as_a_class_says_them(minutes, en, id_):
    assert format_minutes(minutes, "en") == en
    assert format_minutes(minutes, "id") == id_


# --- burning order ---------------------------------------------------------------------------


def test_suggested_order_goes_from_transfer_through_light_to_dark_to_finishing(stencil):
    lesson = default_lesson(5)
    steps = suggested_order(stencil, lesson, "en")
    assert steps[0].startswith("Transfer the pattern")
    assert "practice sheet" in steps[1]
    levels = [s for s in steps if s.startswith("Level ")]
    # The test stencil burns levels 3 and 5 only (1 is bare): lightest first.
    assert [s.split(":")[0] for s in levels] == ["Level 3", "Level 5"]
    assert steps[2].startswith("Burn the 1 burn lines with the writing tip")
    assert steps[-1].startswith("Finish")
    assert not any("Colour" in s for s in steps)
    coloured = suggested_order(stencil, dataclasses.replace(lesson, colouring=True), "en")
    assert any(s.startswith("Colour the areas") for s in coloured)
    crossed = dataclasses.replace(
        lesson, guide=default_guide(lesson.profile, 5, ("crosshatch",) * 5))
    assert any("layered" in s for s in suggested_order(stencil, crossed, "en"))


def test_an_edited_order_is_printed_as_the_instructor_wrote_it(stencil):
    lesson = dataclasses.replace(default_lesson(5), order=("Sand", "<b>Burn</b> *all*"))
    assert burning_order(stencil, lesson, "id") == ["Sand", "<b>Burn</b> *all*"]


# --- colouring -------------------------------------------------------------------------------


def test_colours_come_from_the_photo_snapped_to_the_palette():
    # Left third red, middle gray, right third blue: three regions, two colours, gray bare.
    rgb = np.zeros((60, 90, 3), dtype=np.uint8)
    rgb[:, :30] = (200, 40, 35)
    rgb[:, 30:60] = (128, 128, 128)
    rgb[:, 60:] = (40, 70, 170)
    photo = Photo(rgb=frozen_array(rgb), format="PNG", original_size=(90, 60))
    settings = Settings(prepare=PrepareSettings(working_px=90, smooth_mm=0.0),
                        tones=ToneSettings(levels=3, method="even"),
                        print=PrintSettings(width_mm=90.0))
    stencil = make_stencil(photo, settings)
    colours = suggest_colours(photo, stencil)
    ids = np.asarray(stencil.regions.ids)
    assert colours.keys[ids[30, 10]] == "red"
    assert colours.keys[ids[30, 45]] is None
    assert colours.keys[ids[30, 80]] == "blue"
    assert sorted(colours.used()) == [("blue", 1), ("red", 1)]
    assert tuple(colours.rgb()[ids[30, 45]]) == (255, 255, 255)


def test_every_palette_colour_has_a_name_in_both_languages():
    known = table()
    assert len(palette()) >= 8
    for key in palette():
        assert f"teach.colour.{key}" in known


# --- practice sheet and handout PDFs ---------------------------------------------------------


def _pages_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_handout_has_every_section_heading_in_its_language(stencil, lang):
    lesson = dataclasses.replace(default_lesson(5), colouring=True)
    data = lesson_handout(stencil, lesson, lang, name="Test <cat>")
    text = _pages_text(data)
    for heading in HEADINGS[lang]:
        assert heading in text, heading
    assert tr("teach.heading.notes", lang) in text
    assert tr("teach.guide.lines", lang, count=1, bold=0, length=0, time="x").split("(")[0] in text
    assert "Test <cat>" in text  # plain text, not markup
    # Without colouring the section is left out.
    plain = _pages_text(lesson_handout(stencil, default_lesson(5), lang))
    assert tr("teach.heading.colouring", lang) + "\n" not in plain
    assert HEADINGS[lang][2] in plain


def test_handout_page_numbers_count_every_page(stencil):
    reader = PdfReader(io.BytesIO(lesson_handout(stencil, default_lesson(5), "en")))
    count = len(reader.pages)
    assert f"Page 1 of {count}" in reader.pages[0].extract_text()
    assert f"Page {count} of {count}" in reader.pages[-1].extract_text()
    # The pattern sheets sit among the pages, numbered in the same count.
    assert any("Sheet A1" in page.extract_text() for page in reader.pages)


def _render(data: bytes, page: int, dpi: int, tmp_path) -> np.ndarray:
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    prefix = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page),
                    "-l", str(page), str(source), str(prefix)], check=True, timeout=60)
    from PIL import Image

    return np.asarray(Image.open(f"{prefix}.png").convert("L"))


def _empty_boxes_mm(gray: np.ndarray, dpi: int) -> list[float]:
    """Side of each empty square box on the page, between the centres of its lines, mm."""
    dark = gray < 128
    inside, _count = ndimage.label(~dark)
    sides = []
    for index, found in enumerate(ndimage.find_objects(inside), start=1):
        rows, cols = found
        height, width = rows.stop - rows.start, cols.stop - cols.start
        if not 100 < width < 400 or abs(height - width) > 6:
            continue
        if (inside[found] == index).mean() < 0.98 or gray[found].mean() < 245:
            continue  # not an empty box (text or a picture of wood inside)
        # Line thickness from the dark run just left of the box's interior.
        row = (rows.start + rows.stop) // 2
        left = cols.start - 1
        thickness = 0
        while left - thickness >= 0 and dark[row, left - thickness]:
            thickness += 1
        sides.append((width + thickness) / dpi * 25.4)
    return sides


@needs_pdftoppm
@pytest.mark.parametrize("levels", [3, 10])
def test_practice_boxes_measure_20_mm_at_300_dpi(tmp_path, levels):
    data = practice_pdf(default_lesson(levels), levels, "en")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    sides = _empty_boxes_mm(_render(data, 1, 300, tmp_path), 300)
    burn_boxes = [side for side in sides if side > 17.5]
    # Two boxes per level in one column, one per level when two columns are needed.
    assert len(burn_boxes) == (2 * levels if levels <= 7 else levels)
    assert all(abs(side - BOX_MM) <= 0.3 for side in burn_boxes), burn_boxes


@needs_pdftoppm
def test_handout_practice_page_boxes_are_real_size_too(stencil, tmp_path):
    data = lesson_handout(stencil, default_lesson(5), "id")
    reader = PdfReader(io.BytesIO(data))
    page = next(k for k, p in enumerate(reader.pages, start=1)
                if tr("teach.practice.try", "id") in p.extract_text())
    sides = [s for s in _empty_boxes_mm(_render(data, page, 300, tmp_path), 300) if s > 17.5]
    assert len(sides) == 10 and all(abs(s - BOX_MM) <= 0.3 for s in sides)


# --- command line ----------------------------------------------------------------------------


def test_cli_practice_and_handout(tmp_path, capsys):
    sheet = tmp_path / "sheet.pdf"
    assert main(["practice", "-o", str(sheet), "--levels", "4", "--lang", "id"]) == 0
    assert "Lembar latihan" in _pages_text(sheet.read_bytes())
    photo = tmp_path / "wedge.png"
    from PIL import Image

    Image.fromarray(np.repeat(np.linspace(20, 235, 300).astype(np.uint8)[None, :], 200, axis=0)
                    ).save(photo)
    lesson = tmp_path / "lesson.pdf"
    code = main(["handout", str(photo), "-o", str(lesson), "--levels", "3", "--colouring",
                 "--profile", "basswood-variable-pen", "--width-mm", "120"])
    assert code == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "lesson handout" in out and "±" in out
    assert "Burn guide" in _pages_text(lesson.read_bytes())


@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["practice", "-o", "x.png", "--levels", "3"], ".pdf"),
     (["practice", "-o", "x.pdf", "--levels", "12"], "between 2 and 10"),
     (["practice", "-o", "x.pdf", "--levels", "3", "--profile", "nope"], "No profile"),
     (["practice", "-o", "x.pdf"], "--levels")],
)
def test_cli_teaching_errors_are_one_line(tmp_path, capsys, monkeypatch, args, fragment):
    monkeypatch.chdir(tmp_path)
    assert main(args) != 0
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_refuses_a_broken_profile_file_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(BAD_PROFILES["rate range"])
    assert main(["practice", "-o", str(tmp_path / "x.pdf"), "--levels", "3",
                 "--profile", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "rates.shading_cm2_per_min" in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_every_teaching_string_is_used_and_every_used_one_exists():
    import re
    from pathlib import Path

    import pyropattern

    package = Path(pyropattern.__file__).parent
    sources = [*(package / "teach").glob("*.py"), *(package / "views").glob("*.py"),
               *(package / "render").glob("*.py")]
    text = "\n".join(source.read_text(encoding="utf-8") for source in sources)
    # Table keys have two dots at least ("teach.heading.guide"); one dot is a widget key.
    literal = set(re.findall(r'"(teach\.[A-Za-z_]+\.[A-Za-z_.]+)"', text))
    # Families looked up with an f-string: teach.<family>.{key}
    families = set(re.findall(r'f"(teach\.[A-Za-z_.]+\.)\{', text))
    known = {key for key in table() if key.startswith("teach.")}
    assert sorted(literal - known) == []
    unused = [key for key in known
              if key not in literal and not any(key.startswith(f) for f in families)]
    assert unused == []
