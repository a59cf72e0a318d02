"""One real browser against ``streamlit run app.py``: upload, slider, language, SVG download.

Uses Debian's Chromium (never ``playwright install``). Skips only where no Chromium exists,
and then only outside CI: with ``CI=true`` a missing browser is a failure. Screenshots go to
``test-artifacts/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from awkward_files import truncated_jpeg
from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"no Chromium at {CHROMIUM}: the real-browser test cannot run"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    print(reason, file=sys.stderr)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """``streamlit run app.py`` on a free local port, stopped after the module's tests."""
    _require_chromium()
    port = _free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "streamlit.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [streamlit, "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
    # The app logs any traceback to the server console; there must be none.
    assert b"Traceback" not in log_path.read_bytes(), f"see {log_path}"


def _stencil_src(page) -> str:
    return page.locator("[data-testid=stImage] img").first.get_attribute("src")


def _wait_for_new_stencil(page, old_src: str) -> None:
    page.wait_for_function(
        "old => { const img = document.querySelector('[data-testid=stImage] img');"
        " return img && img.src !== old && img.complete; }",
        arg=old_src,
        timeout=60_000,
    )
    # Streamlit marks stale elements while a rerun is in flight; wait for it to settle.
    page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=60_000)


def test_upload_slider_language_and_svg_download(app_url: str) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1600, "height": 1000}, locale="en-US", accept_downloads=True
        )
        page = context.new_page()
        page.goto(app_url)
        page.wait_for_selector("[data-testid=stImage] img", timeout=60_000)
        page.get_by_text("Burn-by-number pattern maker").wait_for()
        assert page.locator(".pp-swatch").count() == 5
        page.screenshot(path=ARTIFACTS / "browser-1-start-en.png")

        # Upload a photo: the stencil image changes.
        before = _stencil_src(page)
        uploader = page.locator("[data-testid=stFileUploaderDropzoneInput]").first
        uploader.set_input_files(str(ROOT / "samples" / "portrait-astronaut.jpg"))
        _wait_for_new_stencil(page, before)
        page.screenshot(path=ARTIFACTS / "browser-2-uploaded.png")

        # Two steps up on the levels slider: seven swatches in the legend.
        before = _stencil_src(page)
        slider = page.get_by_role("slider", name="Burn levels")
        slider.focus()
        slider.press("ArrowRight")
        slider.press("ArrowRight")
        page.wait_for_function("document.querySelectorAll('.pp-swatch').length === 7")
        _wait_for_new_stencil(page, before)
        assert slider.get_attribute("aria-valuetext") == "7"
        page.screenshot(path=ARTIFACTS / "browser-3-seven-levels.png")

        # Bahasa Indonesia: the title, tabs and buttons change, the design stays (same
        # settings in the URL, same shares in the legend, the open tab kept).
        page.get_by_role("tab", name="Report").click()
        page.get_by_text("Total line length").wait_for()
        query = page.url.split("?", 1)[1].replace("lang=en", "")
        legend = page.locator(".pp-swatch + div").all_inner_texts()
        page.get_by_text("Bahasa Indonesia", exact=True).click()
        page.get_by_text("Pembuat pola bakar sesuai nomor").wait_for()
        page.get_by_role("tab", name="Peta tingkat bakar").wait_for()
        page.get_by_text("Panjang garis total").wait_for()
        page.wait_for_selector("[data-testid=stStatusWidget]", state="detached")
        page.wait_for_url("**lang=id**")
        assert page.url.split("?", 1)[1].replace("lang=id", "") == query
        translated = page.locator(".pp-swatch + div").all_inner_texts()
        assert [text.replace(",", ".") for text in translated] == legend
        assert page.locator("[data-testid=stAlertContainer]").filter(has_text="rror").count() == 0
        page.screenshot(path=ARTIFACTS / "browser-4-indonesian.png")

        # Download the SVG and check its bytes.
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="Pola SVG").click()
        download = download_info.value
        assert download.suggested_filename == "pola-portrait-astronaut.svg"
        svg_path = ARTIFACTS / download.suggested_filename
        download.save_as(svg_path)
        svg = svg_path.read_bytes()
        assert b"<svg" in svg[:500]
        assert b'width="177mm"' in svg  # the widest square that fits one A4 sheet
        assert svg.rstrip().endswith(b"</svg>")

        # And the print-ready PDF.
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name=re.compile(r"^PDF: \d+ halaman$")).click()
        pdf = download_info.value
        pdf_path = ARTIFACTS / pdf.suggested_filename
        pdf.save_as(pdf_path)
        assert pdf_path.read_bytes().startswith(b"%PDF-")

        # A damaged photo: one translated error line, and the last stencil stays.
        name, data, mime = truncated_jpeg()
        uploader.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}])
        error = page.locator("[data-testid=stAlertContentError]")
        error.wait_for(timeout=60_000)
        assert error.count() == 1
        assert error.inner_text().startswith("File tidak dapat dibaca.")
        page.wait_for_selector("[data-testid=stStatusWidget]", state="detached")
        page.get_by_role("tab", name="Pola", exact=True).click()
        page.wait_for_selector("[data-testid=stImage] img", timeout=60_000)
        assert error.count() == 1
        # The photo before it, not the sample: the browser empties the uploader on the way.
        assert page.get_by_text("Foto: portrait-astronaut.jpg").count() == 1
        page.screenshot(path=ARTIFACTS / "browser-5-damaged-upload.png")

        # The other views render too (screenshots for a person to check).
        for index, name in enumerate(["Peta tingkat bakar", "Pratinjau bakaran", "Foto dan pola"]):
            page.get_by_role("tab", name=name).click()
            page.wait_for_timeout(1500)
            page.screenshot(path=ARTIFACTS / f"browser-{6 + index}-tab-{index}.png")
        context.close()
        browser.close()


# ------------------------------------------------------------------ the first five minutes

# Every button label whose text overflows its box (Streamlit cuts it with "…"), and every
# button that sticks out of a box that clips it (a segmented control wider than its column).
# Labels are the markdown inside a button: icon glyphs such as a number box's +/- are not.
CUT_LABELS_JS = """() => {
    const cut = [...document.querySelectorAll(
        'button [data-testid=stMarkdownContainer], button [data-testid=stMarkdownContainer] *')]
        .filter(el => el.offsetParent !== null && el.scrollWidth > el.clientWidth + 1);
    const clipped = [...document.querySelectorAll('button')].filter(button => {
        if (button.offsetParent === null || !button.innerText.trim()) return false;
        const box = button.getBoundingClientRect();
        for (let up = button.parentElement; up; up = up.parentElement) {
            if (getComputedStyle(up).overflowX === 'visible') continue;
            const frame = up.getBoundingClientRect();
            if (box.right > frame.right + 1 || box.left < frame.left - 1) return true;
        }
        return false;
    });
    return [...cut, ...clipped].map(el => el.innerText.trim()).filter(text => text);
}"""


def _settled(page) -> None:
    page.wait_for_timeout(300)  # let a widget change reach the server before waiting on it
    page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=60_000)


def _pdf_label(page) -> str:
    return page.locator("[data-testid=stDownloadButton] button").first.inner_text().strip()


def _wait_for_pdf_label(page, label: str) -> None:
    """Wait until the PDF button reads ``label`` (the page count follows each change)."""
    page.wait_for_function(
        "label => { const b = document.querySelector('[data-testid=stDownloadButton] button');"
        " return b && b.innerText.trim() === label; }",
        arg=label,
        timeout=60_000,
    )
    _settled(page)


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in a select box; the list may close under a rerun, so try again."""
    for _ in range(3):
        page.get_by_role("combobox", name=label).click()
        try:
            page.get_by_role("option", name=option).click(timeout=5_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            _settled(page)
    raise AssertionError(f"could not choose {option!r} in {label!r}")


def _more_settings_open(page) -> bool:
    details = page.locator("[data-testid=stExpander] details").first
    return details.get_attribute("open") is not None


@pytest.mark.parametrize(("width", "height"), [(1400, 1000), (820, 1180)])
def test_newcomer_journey(app_url: str, width: int, height: int) -> None:
    """Open, upload a portrait, fit to one sheet, pattern-only PDF with 3 copies, download,
    switch to Indonesian; nothing cut, nothing closed, the PDF as promised."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader

    shots = f"journey-{width}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="en-US", accept_downloads=True
        )
        page = context.new_page()
        page.goto(app_url)
        page.wait_for_selector("[data-testid=stImage] img", timeout=60_000)
        _settled(page)
        page.get_by_text("Largest size that fits one sheet of A4").wait_for()
        assert _pdf_label(page) == "PDF: 3 pages"  # instructions, key, one sheet
        assert page.evaluate(CUT_LABELS_JS) == []
        page.screenshot(path=ARTIFACTS / f"{shots}-1-open.png")

        if width == 1400:
            # Every sample opens at a size that prints on one A4 sheet.
            for sample in ("horse", "cat", "portrait", "coffee", "camera", "rocket", "coins"):
                page.goto(f"{app_url}/?sample={sample}")
                page.wait_for_selector("[data-testid=stImage] img", timeout=60_000)
                _settled(page)
                summary = page.get_by_text(re.compile(r"^PDF for A4")).inner_text()
                assert "1 sheet of pattern" in summary, (sample, summary)
            page.goto(app_url)
            page.wait_for_selector("[data-testid=stImage] img", timeout=60_000)
            _settled(page)

        # Upload a portrait: the picker stops naming a sample, and so does the URL.
        before = _stencil_src(page)
        uploader = page.locator("[data-testid=stFileUploaderDropzoneInput]").first
        uploader.set_input_files(str(ROOT / "samples" / "portrait-astronaut.jpg"))
        _wait_for_new_stencil(page, before)
        # The picker's placeholder (an input's placeholder or its text, by Streamlit version).
        page.wait_for_function(
            "() => document.querySelector('section[data-testid=stSidebar]')"
            ".innerHTML.includes('Your own photo is shown')"
        )
        page.wait_for_function("!location.search.includes('sample=')")
        assert "sample=" not in page.url

        # A size typed by hand: the design needs two sheets, and the hint says by how much.
        width_box = page.get_by_role("spinbutton", name="Width (mm)")
        width_box.fill("200")
        width_box.press("Enter")
        page.get_by_text("23 mm narrower fits on one sheet of A4").wait_for(timeout=60_000)
        _wait_for_pdf_label(page, "PDF: 4 pages")
        page.get_by_role("button", name="Fit to one sheet").click()
        page.get_by_text("Largest size that fits one sheet of A4").wait_for(timeout=60_000)
        _wait_for_pdf_label(page, "PDF: 3 pages")
        assert width_box.input_value() == "177"

        # A class set: the pattern only, three copies; the button says so, the PDF agrees.
        page.get_by_role("radio", name="Pattern only", exact=True).click()
        _wait_for_pdf_label(page, "PDF: 1 page")
        copies = page.get_by_role("spinbutton", name="Copies")
        copies.fill("3")
        copies.press("Enter")
        _wait_for_pdf_label(page, "PDF: 3 pages")
        page.get_by_text("1 sheet of pattern × 3 copies").wait_for(timeout=60_000)
        assert page.evaluate(CUT_LABELS_JS) == []
        page.get_by_role("button", name="PDF: 3 pages").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"{shots}-2-class-set.png")
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="PDF: 3 pages").click()
        download = download_info.value
        assert download.suggested_filename == "pattern-portrait-astronaut.pdf"
        pdf_path = ARTIFACTS / f"{shots}-{download.suggested_filename}"
        download.save_as(pdf_path)
        pages = PdfReader(pdf_path).pages
        assert len(pages) == 3
        for pdf_page in pages:
            size = sorted(float(v) / 72 * 25.4 for v in pdf_page.mediabox.upper_right)
            assert size == pytest.approx([210, 297], abs=0.1)
            assert "Sheet A1 (1 of 1)" in pdf_page.extract_text()

        # More settings: choosing Manual and moving a slider inside keep it open.
        page.get_by_text("More settings", exact=True).click()
        page.get_by_text("How the levels are chosen").wait_for()
        _settled(page)  # opening it reruns the page (the expander's state is kept)
        assert _more_settings_open(page)
        page.get_by_text("How the levels are chosen").scroll_into_view_if_needed()
        _choose(page, "How the levels are chosen", "Manual")
        page.get_by_text("Dark–light border, level 5 | 4").wait_for(timeout=60_000)
        _settled(page)
        assert _more_settings_open(page)
        slider = page.get_by_role("slider", name="Round the borders")
        slider.focus()
        slider.press("ArrowRight")
        moved_to = slider.get_attribute("aria-valuetext").split()[0]  # "0.9 mm" → "0.9"
        page.wait_for_url(f"**clean.boundary_smooth_mm={moved_to}**", timeout=60_000)
        _settled(page)
        assert _more_settings_open(page)
        if width == 1400:
            # Crop by dragging a box on the photo: the crop reaches the settings (and URL).
            picker = page.locator("[data-testid=stSidebar] iframe").first
            picker.scroll_into_view_if_needed()
            box = picker.bounding_box()
            x, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x + box["width"] * 0.5, y + box["height"] * 0.5, steps=8)
            page.mouse.up()
            page.wait_for_url("**prepare.crop=**", timeout=60_000)
            _settled(page)
            assert _more_settings_open(page)
        page.screenshot(path=ARTIFACTS / f"{shots}-3-more-settings.png")

        # Bahasa Indonesia: labels change, none is cut, the expander stays open.
        page.get_by_text("Bahasa Indonesia", exact=True).click()
        page.get_by_text("Pembuat pola bakar sesuai nomor").wait_for()
        _wait_for_pdf_label(page, "PDF: 3 halaman")
        assert _more_settings_open(page)
        assert page.evaluate(CUT_LABELS_JS) == []
        page.get_by_role("button", name="PDF: 3 halaman").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"{shots}-4-indonesian.png")
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name="PDF: 3 halaman").click()
        assert download_info.value.suggested_filename == "pola-portrait-astronaut.pdf"
        context.close()
        browser.close()
