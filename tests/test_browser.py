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
            page.get_by_role("button", name="Unduh pola SVG").click()
        download = download_info.value
        assert download.suggested_filename.endswith(".svg")
        svg_path = ARTIFACTS / download.suggested_filename
        download.save_as(svg_path)
        svg = svg_path.read_bytes()
        assert b"<svg" in svg[:500]
        assert b'width="200mm"' in svg
        assert svg.rstrip().endswith(b"</svg>")

        # And the print-ready PDF.
        with page.expect_download(timeout=60_000) as download_info:
            page.get_by_role("button", name=re.compile(r"^Unduh PDF \(A4, lembar: \d+\)$")).click()
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
