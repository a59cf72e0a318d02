"""One sheet by default and print choices: the fit arithmetic, PDF contents and copies read
back with pypdf, the tone map download, and the command line's --contents / --copies."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from _export_fixtures import make_test_stencil
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from pyropattern.cli import main as cli_main
from pyropattern.errors import PyropatternError
from pyropattern.export import (
    CONTENTS,
    narrower_for_one_sheet,
    one_sheet_width_mm,
    pdf_page_count,
    plan_tiles,
    printed_tiles,
    stencil_pdf,
    tone_map_png,
)
from pyropattern.export.tiling import PAPER_SIZES_MM
from pyropattern.samples import list_samples
from pyropattern.settings import PAPERS, PrintSettings

A4 = PrintSettings(paper="A4")
POINTS_PER_MM = 72 / 25.4


def _pages(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages


# ------------------------------------------------------------------------------ fit one sheet


def test_a4_window_gives_exact_widths():
    # A4 portrait window: 210 - 2 × (10 + 6) = 178 wide, 297 - 10 - 14.5 - 10 - 19 = 243.5
    # tall; landscape: 265 × 156.5. Half a millimetre is kept spare, then whole mm.
    assert one_sheet_width_mm(1.0, A4) == 177.0  # square: portrait, width-bound
    assert one_sheet_width_mm(0.5, A4) == 121.0  # tall: portrait, 243 × 0.5 = 121.5
    assert one_sheet_width_mm(1.5, A4) == 234.0  # wide: landscape, 156 × 1.5
    assert one_sheet_width_mm(3.0, A4) == 264.0  # very wide: landscape, width-bound
    portrait_only = PrintSettings(paper="A4", orientation="portrait")
    assert one_sheet_width_mm(1.5, portrait_only) == 177.0


@settings(max_examples=60, deadline=None)
@given(
    aspect=st.floats(0.2, 5.0),
    paper=st.sampled_from([p for p in PAPERS if p != "custom"]),
    margin=st.sampled_from([5.0, 10.0, 15.0]),
)
def test_the_fitted_width_fits_one_sheet_and_is_the_widest_that_does(aspect, paper, margin):
    print_settings = PrintSettings(paper=paper, margin_mm=margin)
    width = one_sheet_width_mm(aspect, print_settings)
    assert width == int(width)
    if width > 20:  # 20 mm is the floor: a very tall strip may still need two sheets
        assert plan_tiles(width, width / aspect, print_settings).count == 1
    # At most the whole-mm rounding plus the half-millimetre spare (on the height, so times
    # the aspect on the width) is given away.
    bigger = width + 1.01 + 0.5 * max(1.0, aspect)
    assert plan_tiles(bigger, bigger / aspect, print_settings).count > 1 or bigger > 3000


def test_narrower_hint_only_for_a_design_just_too_big():
    # The case: a square photo at 200 mm needs two A4 sheets; 23 mm narrower fits.
    assert narrower_for_one_sheet(200, 200, A4) == 23
    assert narrower_for_one_sheet(177, 177, A4) is None  # fits already
    assert narrower_for_one_sheet(400, 400, A4) is None  # far too big: tiling is meant
    width = narrower_for_one_sheet(180, 120, A4)  # 1.5: fits landscape at 234
    assert width is None


def test_custom_paper_too_small_is_refused_with_the_paper_message():
    tiny = PrintSettings(paper="custom", paper_width_mm=100, paper_height_mm=100)
    with pytest.raises(PyropatternError, match="paper"):
        one_sheet_width_mm(1.0, tiny)


def test_every_sample_fits_one_a4_sheet_at_its_fitted_width():
    for sample in list_samples():
        with Image.open(sample.path) as image:
            aspect = image.width / image.height
        width = one_sheet_width_mm(aspect, A4)
        assert plan_tiles(width, width / aspect, A4).count == 1, sample.id


# ------------------------------------------------------------------------ contents and copies


@pytest.mark.parametrize(
    ("contents", "copies", "info_pages"),
    [("pattern", 1, 0), ("pattern", 3, 0), ("key", 2, 1), ("full", 1, 2), ("full", 3, 2)],
)
def test_pdf_has_exactly_the_pages_promised(contents, copies, info_pages):
    stencil = make_test_stencil(400, 300)  # several A4 sheets
    plan = plan_tiles(stencil.width_mm, stencil.height_mm, stencil.settings.print)
    sheets = len(printed_tiles(stencil, plan))
    assert sheets > 1
    pages = _pages(stencil_pdf(stencil, contents=contents, copies=copies))
    assert len(pages) == pdf_page_count(sheets, contents, copies) == info_pages + sheets * copies
    # Every page is an A4 sheet (portrait or landscape), to a hundredth of a point.
    a4 = sorted(v * POINTS_PER_MM for v in PAPER_SIZES_MM["A4"])
    for page in pages:
        size = sorted(float(v) for v in page.mediabox.upper_right)
        assert size == pytest.approx(a4, abs=0.01)
    texts = [page.extract_text() for page in pages]
    pattern_pages = texts[info_pages:]
    # Each copy is the whole set of sheets in order, so a class set comes out sorted.
    first_ids = [text.split("\n", 1)[0] for text in pattern_pages[:sheets]]
    for copy in range(copies):
        chunk = pattern_pages[copy * sheets : (copy + 1) * sheets]
        assert [text.split("\n", 1)[0] for text in chunk] == first_ids
        if copies > 1:
            assert all(f"Copy {copy + 1} of {copies}" in text for text in chunk)
        else:
            assert not any("Copy " in text for text in chunk)
    if contents != "pattern":
        assert "Burn levels" in texts[info_pages - 1]  # the key page comes just before
    if contents == "full":
        assert "Before you print" in texts[0] or "print" in texts[0].lower()


def test_pattern_only_single_sheet_is_one_page_of_the_design():
    stencil = make_test_stencil(150, 100)
    pages = _pages(stencil_pdf(stencil, contents="pattern"))
    assert len(pages) == 1
    assert "Sheet A1 (1 of 1)" in pages[0].extract_text()


@pytest.mark.parametrize(
    ("contents", "copies", "match"),
    [("everything", 1, "Unknown PDF contents"), ("full", 0, "from 1 to 100"),
     ("full", 101, "from 1 to 100"), ("pattern", 2.5, "whole number")],
)  # fmt: skip
def test_bad_print_choices_are_refused_in_plain_words(contents, copies, match):
    stencil = make_test_stencil(150, 100)
    with pytest.raises(PyropatternError, match=match):
        stencil_pdf(stencil, contents=contents, copies=copies)
    with pytest.raises(PyropatternError, match=match):
        pdf_page_count(1, contents, copies)


def test_key_page_shows_the_sharp_photo_when_given():
    stencil = make_test_stencil(150, 100)
    rows, cols = stencil.prepared.gray.shape
    # Black and white halves with one sharp edge: the prepared image is smoothed, the photo
    # handed in must arrive as it is (in gray), edge and all.
    photo = np.zeros((rows * 4, cols * 4, 3), dtype=np.uint8)
    photo[:, cols * 2 :] = 255
    plain = stencil_pdf(stencil, contents="key")
    sharp = stencil_pdf(stencil, contents="key", photo=photo)
    assert plain != sharp
    shown = [np.asarray(image.image.convert("L")) for image in _pages(sharp)[0].images]
    halves = [image for image in shown if set(np.unique(image)) <= {0, 255}]
    assert len(halves) == 1
    row = halves[0][halves[0].shape[0] // 2]
    assert (row[: len(row) // 2 - 2] == 0).all() and (row[len(row) // 2 + 2 :] == 255).all()


def test_settings_lines_name_the_method_in_plain_words():
    text = _pages(stencil_pdf(make_test_stencil(150, 100), contents="key"))[0].extract_text()
    assert "otsu" not in text.lower()
    assert "automatic" in text


def test_tone_map_png_is_the_view_in_colour_with_lines():
    stencil = make_test_stencil(100, 75)
    with Image.open(io.BytesIO(tone_map_png(stencil, dpi=100))) as image:
        assert image.mode == "RGB"
        assert image.info["dpi"] == pytest.approx((100, 100), abs=0.01)
        assert image.width == round(100 / 25.4 * 100)
        pixels = np.asarray(image)
    # Lines are dark gray-black; the level shades are coloured (sepia), not gray.
    assert (pixels.max(axis=2) < 60).any()
    assert (np.ptp(pixels.astype(int), axis=2) > 20).any()


# ------------------------------------------------------------------------------ command line


@pytest.fixture()
def portrait(tmp_path):
    path = tmp_path / "face.jpg"
    image = Image.fromarray(
        (np.add.outer(np.arange(300), np.arange(200)) % 256).astype(np.uint8)
    ).convert("RGB")
    image.save(path)
    return path  # 200 × 300: a portrait, aspect 2/3


def test_cli_without_width_fits_one_sheet_of_the_paper(portrait, tmp_path, capsys):
    for paper in ("A4", "F4"):
        out = tmp_path / f"{paper}.pdf"
        assert cli_main(["make", str(portrait), "-o", str(out), "--paper", paper]) == 0
        said = capsys.readouterr().out
        assert "Sheets to print: 1." in said
        assert "PDF pages: 3." in said
        assert len(_pages(out.read_bytes())) == 3
    # The fitted width is the one the library promises.
    expected = one_sheet_width_mm(200 / 300, PrintSettings(paper="F4"))
    assert f"{expected:.0f} × " in said


def test_cli_pattern_only_three_copies(portrait, tmp_path, capsys):
    out = tmp_path / "class.pdf"
    args = ["make", str(portrait), "-o", str(out), "--contents", "pattern", "--copies", "3"]
    assert cli_main(args) == 0
    assert "PDF pages: 3." in capsys.readouterr().out
    pages = _pages(out.read_bytes())
    assert len(pages) == 3
    assert all("Copy" in page.extract_text() for page in pages)


def test_cli_big_design_states_pages_and_sheets(portrait, tmp_path, capsys):
    out = tmp_path / "big.pdf"
    args = ["--lang", "id", "make", str(portrait), "-o", str(out), "--width-mm", "400",
            "--contents", "key", "--copies", "2"]  # fmt: skip
    assert cli_main(args) == 0
    said = capsys.readouterr().out
    sheets = int(said.split("Lembar yang dicetak: ")[1].split(".")[0])
    pages = int(said.split("Halaman PDF: ")[1].split(".")[0])
    assert sheets > 1
    assert pages == 1 + 2 * sheets == len(_pages(out.read_bytes()))


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--copies", "0"], "--copies must be a whole number from 1 to 100, got 0."),
     (["--copies", "two"], "--copies needs a number"),
     (["--contents", "all"], "--contents"),
     (["--copies", "2", "-o", "x.svg"], "only when the output is a PDF")],
)  # fmt: skip
def test_cli_bad_print_choices_give_one_line(portrait, tmp_path, capsys, args, message):
    out = ["-o", str(tmp_path / "x.pdf")] if "-o" not in args else []
    fixed = [str(tmp_path / a) if a == "x.svg" else a for a in args]
    assert cli_main(["make", str(portrait), *out, *fixed]) != 0
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_contents_names_are_the_cli_choices():
    assert CONTENTS == ("pattern", "key", "full")
    assert math.isclose(pdf_page_count(4, "full", 1), 6)


def test_copies_reuse_one_drawing_per_sheet():
    # Each sheet is drawn once as a PDF form and placed on every copy: a further copy costs
    # its page and header (under 2 kB a page here), and stays vector (forms, never images).
    stencil = make_test_stencil(400, 300)
    one = stencil_pdf(stencil, contents="pattern")
    many = stencil_pdf(stencil, contents="pattern", copies=30)
    pages = _pages(many)
    sheets = len(_pages(one))
    assert (len(many) - len(one)) / (29 * sheets) < 2048
    assert len(pages) == 30 * sheets
    names = set()
    for page in pages:
        objects = page["/Resources"]["/XObject"]
        assert all(objects[name]["/Subtype"] == "/Form" for name in objects)
        names |= set(objects)
    assert len(names) == sheets  # one form per sheet, shared by its copies
