"""Print-ready PDF: tiling arithmetic, exact page sizes, calibration bar, overlaps, mirroring."""

import io
import itertools
import math
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from _export_fixtures import make_test_stencil
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

import pyropattern
from pyropattern.errors import PyropatternError, SettingsError
from pyropattern.export.pdf import paper_label, printed_tiles, stencil_pdf
from pyropattern.export.tiling import plan_tiles, sheet_id, sheets_along
from pyropattern.i18n import table
from pyropattern.settings import (
    ORIENTATIONS,
    TRANSFER_METHODS,
    PrintSettings,
    Settings,
    flat_settings,
)

needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed"
)


def _reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def _render(data: bytes, page: int, dpi: int, tmp_path) -> np.ndarray:
    """Render one page (1-based) to a gray array with pdftoppm."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    prefix = tmp_path / f"page{page}"
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            str(page),
            "-l",
            str(page),
            str(source),
            str(prefix),
        ],
        check=True,
    )
    return np.asarray(Image.open(f"{prefix}.png").convert("L"))


# --- tiling arithmetic ---------------------------------------------------------------------------


def test_plan_a4_portrait_wins_for_400_by_600():
    plan = plan_tiles(400, 600, PrintSettings())
    # Window on A4 portrait: 210 - 2·(10 + 6) = 178 wide, 297 - 10 - 14,5 - 10 - 19 = 243,5 high.
    assert plan.window == pytest.approx((16.0, 24.5, 178.0, 243.5))
    assert plan.orientation == "portrait"
    assert (plan.columns, plan.rows) == (3, 3)  # ceil(390/168) = 3, ceil(590/233,5) = 3
    assert plan.step == pytest.approx((168.0, 233.5))
    last = plan.tile(2, 2)
    assert last.id == "C3"
    assert (last.x_mm, last.y_mm) == pytest.approx((336.0, 467.0))
    assert (last.width_mm, last.height_mm) == pytest.approx((64.0, 133.0))


def test_plan_landscape_when_forced():
    plan = plan_tiles(400, 600, PrintSettings(orientation="landscape"))
    # Window 297 - 32 = 265 wide, 210 - 53,5 = 156,5 high: ceil(390/255) = 2, ceil(590/146,5) = 5.
    assert (plan.columns, plan.rows) == (2, 5)
    assert plan.paper_width_mm == 297.0


def test_plan_auto_picks_landscape_when_it_saves_sheets():
    # 250 × 150 mm: portrait needs 2 columns, landscape holds it on one sheet.
    plan = plan_tiles(250, 150, PrintSettings())
    assert plan.orientation == "landscape" and plan.count == 1


def test_plan_single_sheet_is_centred():
    plan = plan_tiles(150, 200, PrintSettings())
    assert plan.count == 1
    assert plan.offset == pytest.approx(((178 - 150) / 2, (243.5 - 200) / 2))


def test_plan_f4_holds_more_than_a4():
    a4 = plan_tiles(300, 300, PrintSettings(paper="A4"))
    f4 = plan_tiles(300, 300, PrintSettings(paper="F4"))
    assert f4.count <= a4.count
    assert f4.paper_width_mm in (215.0, 330.0)


@given(
    length=st.floats(20, 3000),
    window=st.floats(100, 400),
    overlap=st.floats(0, 40),
)
@settings(max_examples=200, deadline=None)
def test_sheets_along_is_the_fewest_that_cover(length, window, overlap):
    count = sheets_along(length, window, overlap)
    step = window - overlap
    assert (count - 1) * step + window >= length - 1e-3  # covers
    if count > 1:
        assert (count - 2) * step + window < length  # one fewer would not


def test_sheet_ids():
    assert sheet_id(0, 0) == "A1"
    assert sheet_id(1, 2) == "B3"
    assert sheet_id(25, 0) == "Z1"
    assert sheet_id(26, 9) == "AA10"


def test_paper_too_small_is_refused():
    with pytest.raises(SettingsError, match="larger paper or smaller margins"):
        plan_tiles(200, 200, PrintSettings(paper="custom", paper_width_mm=100, paper_height_mm=120))


def test_paper_names_carry_mm():
    assert paper_label(PrintSettings(paper="F4"), "en") == "F4 (215 × 330 mm)"
    assert paper_label(PrintSettings(paper="Letter"), "id") == "Letter (215,9 × 279,4 mm)"
    custom = PrintSettings(paper="custom", paper_width_mm=250, paper_height_mm=200)
    assert paper_label(custom, "id") == "Ukuran khusus (200 × 250 mm)"


# --- the document --------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size_pt"), [("A4", (595.28, 841.89)), ("F4", (609.45, 935.43))])
def test_page_sizes_exact(paper, size_pt):
    stencil = make_test_stencil(150, 120, paper=paper, orientation="portrait")
    reader = _reader(stencil_pdf(stencil))
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(size_pt[0], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(size_pt[1], abs=0.01)


def test_page_count_follows_the_plan():
    stencil = make_test_stencil(400, 600)
    plan = plan_tiles(400, 600, stencil.settings.print)
    pages = _reader(stencil_pdf(stencil)).pages
    printed = [tile.id for tile in printed_tiles(stencil, plan)]
    # Bottom-left and bottom-right sheets hold only bare level-1 wood and the frame.
    assert printed == ["A1", "A2", "A3", "B1", "B2", "B3", "C2"]
    assert len(pages) == 2 + len(printed)


def test_blank_sheets_are_skipped_and_ids_kept():
    stencil = make_test_stencil(400, 600, sparse=True)
    plan = plan_tiles(400, 600, stencil.settings.print)
    assert plan.count == 9
    assert [tile.id for tile in printed_tiles(stencil, plan)] == ["A1"]
    reader = _reader(stencil_pdf(stencil))
    assert len(reader.pages) == 3
    assert "Sheet A1 (1 of 1)" in reader.pages[2].extract_text()


def test_reprint_chosen_sheets_only():
    stencil = make_test_stencil(400, 600)
    reader = _reader(stencil_pdf(stencil, tiles=("b1", " A2 ")))
    assert len(reader.pages) == 2
    texts = [page.extract_text() for page in reader.pages]
    assert "Sheet A2" in texts[0] and "Sheet B1" in texts[1]


def test_unknown_sheet_is_refused():
    stencil = make_test_stencil(400, 600)
    with pytest.raises(PyropatternError, match="There is no sheet Z9"):
        stencil_pdf(stencil, tiles=["Z9"])


@pytest.mark.parametrize("lang", ["en", "id"])
def test_first_page_repeats_instructions_in_both_languages(lang):
    text = _reader(stencil_pdf(make_test_stencil(), lang)).pages[0].extract_text()
    english = text.index("Print at 100%")
    indonesian = text.index("Cetak dengan skala 100%")
    assert (english < indonesian) == (lang == "en")
    assert "A4 (210 × 297 mm)" in text


def test_sheet_pages_are_vector_only():
    reader = _reader(stencil_pdf(make_test_stencil(400, 600)))
    for page in reader.pages[2:]:
        resources = page["/Resources"]
        assert "/XObject" not in resources


def test_legend_page_lists_levels_and_safety():
    text = _reader(stencil_pdf(make_test_stencil(), "id")).pages[1].extract_text()
    for number in range(1, 6):
        assert f"Tingkat {number}" in text
    assert "Awas: mata pena panas" in text
    assert "tidak bisa dihapus" in text


# --- rendered with pdftoppm ----------------------------------------------------------------------


def _longest_dark_runs(gray: np.ndarray) -> list[int]:
    """Per row, the longest run of dark pixels."""
    dark = gray < 128
    runs = []
    for row in dark:
        padded = np.concatenate([[False], row, [False]]).astype(np.int8)
        edges = np.flatnonzero(np.diff(padded))
        runs.append(int((edges[1::2] - edges[::2]).max()) if len(edges) else 0)
    return runs


@needs_pdftoppm
@pytest.mark.parametrize(("paper", "bars"), [("A4", [100.0]), ("Letter", [100.0, 101.6])])
def test_calibration_bar_measures_100_mm(tmp_path, paper, bars):
    data = stencil_pdf(make_test_stencil(150, 120, paper=paper))
    for page in (1, 3):
        gray = _render(data, page, 300, tmp_path)
        footer = gray[-int(40 / 25.4 * 300) :]  # bottom 40 mm
        runs = sorted(set(_longest_dark_runs(footer)), reverse=True)
        found = []
        for length in bars:
            expected = length / 25.4 * 300
            near = [run for run in runs if abs(run - expected) <= 0.3 / 25.4 * 300]
            assert near, f"no {length} mm bar on page {page}; longest runs {runs[:5]}"
            found.append(near[0])
        assert len(found) == len(bars)


@needs_pdftoppm
def test_overlap_strips_match_on_neighbouring_sheets(tmp_path):
    stencil = make_test_stencil(300, 300)
    plan = plan_tiles(300, 300, stencil.settings.print)
    assert (plan.columns, plan.rows) == (2, 2)
    data = stencil_pdf(stencil, tiles=("A1", "A2", "B1"))
    dpi = 254  # 10 px per mm: every edge of this layout falls on a pixel boundary
    a1, a2, b1 = (_render(data, page, dpi, tmp_path) for page in (1, 2, 3))
    wx, wy, _, _ = (round(v * 10) for v in plan.window)
    o = round(plan.overlap_mm * 10)
    step_x, step_y = (round(v * 10) for v in plan.step)
    height = round(plan.tile(0, 0).height_mm * 10)
    width = round(plan.tile(0, 0).width_mm * 10)
    inner = 3  # leave out the antialiased strip edges
    right_of_a1 = a1[
        wy + inner : wy + height - inner, wx + step_x + inner : wx + step_x + o - inner
    ]
    left_of_a2 = a2[wy + inner : wy + height - inner, wx + inner : wx + o - inner]
    bottom_of_a1 = a1[
        wy + step_y + inner : wy + step_y + o - inner, wx + inner : wx + width - inner
    ]
    top_of_b1 = b1[wy + inner : wy + o - inner, wx + inner : wx + width - inner]
    for first, second in ((right_of_a1, left_of_a2), (bottom_of_a1, top_of_b1)):
        assert first.shape == second.shape
        assert (first < 200).any(), "the strip should carry lines and crosses"
        difference = np.abs(first.astype(int) - second.astype(int))
        assert np.mean(difference <= 32) > 0.995
        assert difference.mean() < 1.0


@needs_pdftoppm
def test_mirrored_pdf_is_the_flip_of_the_normal_one(tmp_path):
    # 100 × 87,5 mm on A4 portrait sits at (16 + 39, 24,5 + 78) mm: whole pixels at 254 dpi.
    normal = make_test_stencil(100, 87.5)
    mirrored = make_test_stencil(100, 87.5, mirror=True)
    plan = plan_tiles(100, 87.5, normal.settings.print)
    assert plan.offset == pytest.approx((39.0, 78.0))
    dpi = 254
    x0, y0 = (16 + 39) * 10, round((24.5 + 78) * 10)
    crop = np.s_[y0 : y0 + 875, x0 : x0 + 1000]
    plain = _render(stencil_pdf(normal, tiles=("A1",)), 1, dpi, tmp_path)[crop]
    flipped = _render(stencil_pdf(mirrored, tiles=("A1",)), 1, dpi, tmp_path)[crop]
    assert (plain < 128).sum() > 1000
    difference = np.abs(flipped.astype(int) - plain[:, ::-1].astype(int))
    assert np.mean(difference <= 32) > 0.995
    assert difference.mean() < 1.5
    assert not math.isclose(np.abs(flipped.astype(int) - plain.astype(int)).mean(), 0.0)


@given(
    width=st.floats(20, 1500),
    height=st.floats(20, 1500),
    paper=st.sampled_from(["A4", "F4", "Letter", "Legal", "A3"]),
    overlap=st.floats(0, 30),
    margin=st.floats(0, 20),
)
@settings(max_examples=150, deadline=None)
def test_plan_covers_the_design_with_exact_overlaps(width, height, paper, overlap, margin):
    plan = plan_tiles(
        width, height, PrintSettings(paper=paper, overlap_mm=overlap, margin_mm=margin)
    )
    _, _, window_w, window_h = plan.window
    first_row = [plan.tile(0, c) for c in range(plan.columns)]
    first_column = [plan.tile(r, 0) for r in range(plan.rows)]
    assert first_row[-1].x_mm + first_row[-1].width_mm == pytest.approx(width)
    assert first_column[-1].y_mm + first_column[-1].height_mm == pytest.approx(height)
    for left, right in itertools.pairwise(first_row):
        assert left.x_mm + left.width_mm - right.x_mm == pytest.approx(overlap)
    for top, below in itertools.pairwise(first_column):
        assert top.y_mm + top.height_mm - below.y_mm == pytest.approx(overlap)
    for tile in plan.tiles:
        assert 0 < tile.width_mm <= window_w + 1e-9 and 0 < tile.height_mm <= window_h + 1e-9
    assert [tile.id for tile in plan.tiles] == [
        sheet_id(r, c) for r in range(plan.rows) for c in range(plan.columns)
    ]


def test_zero_overlap_still_builds():
    stencil = make_test_stencil(300, 300, overlap_mm=0)
    plan = plan_tiles(300, 300, stencil.settings.print)
    assert plan.count > 1 and plan.step == pytest.approx(plan.window[2:])
    assert len(_reader(stencil_pdf(stencil)).pages) == 2 + len(printed_tiles(stencil, plan))


def test_every_print_string_used_exists():
    package = Path(pyropattern.__file__).parent
    sources = [*(package / "render").glob("*.py"), package / "cli.py",
               *(package / "export").glob("*.py")]
    keys = set()
    for source in sources:
        found = re.findall(r'"((?:print|cli)\.[A-Za-z_.]+)"', source.read_text(encoding="utf-8"))
        keys |= {key for key in found if not key.endswith(".")}
    # Settings keys named in cli.py are not strings themselves; each has a help string.
    setting_keys = keys & set(flat_settings(Settings()))
    keys = (keys - setting_keys) | {f"cli.help.{key}" for key in setting_keys}
    keys |= {f"print.transfer.{t}" for t in TRANSFER_METHODS}
    keys |= {f"print.orientation.{o}" for o in ORIENTATIONS if o != "auto"}
    known = table()
    assert len(keys) > 60
    assert sorted(key for key in keys if key not in known) == []


def test_sheet_numbers_count_printed_sheets_only():
    stencil = make_test_stencil(400, 600)  # C1 and C3 are blank: 7 sheets printed
    texts = [page.extract_text() for page in _reader(stencil_pdf(stencil)).pages[2:]]
    assert "Sheet A1 (1 of 7)" in texts[0]
    assert "Sheet C2 (7 of 7)" in texts[-1]
