"""A class at once: real browser sessions against the classroom server on 127.0.0.1.

Starts the server as ``make serve`` does (``python -m pyropattern.serve``, here bound to
127.0.0.1 on a free port), then drives Playwright contexts in Debian's Chromium, all at
once. Each session opens the page, uploads its own photo, changes the number of levels and
downloads the PDF; the PDF must equal, byte for byte, the one the library makes from that
photo and those settings (so each trainee got their own correct pattern), the page must show
no error and the server log no traceback. Reported per action: median and 95th percentile
(seconds), and the server's peak resident memory (VmHWM).

Three phases, each on a fresh server, in one run: 1 session alone; N sessions; N sessions
plus one hostile session that opens a crafted link (hidden working size, NaN levels, a
markdown link) and uploads a 99 MP PNG. Targets on the 2-core machine: N = 20, no error,
p95 levels change ≤ 10 s, server peak ≤ 4 GB, in the hostile phase too.

Run: ``.venv/bin/python bench/load.py [--sessions 20] [--slots 2] [--phases 1,N,hostile]``
(a few minutes; ``make load``). ``run_phase`` is also used by ``tests/test_load_small.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import io
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image
from pypdf import PdfReader

from pyropattern import ui
from pyropattern.export import stencil_pdf
from pyropattern.load import load_photo
from pyropattern.pipeline import make_stencil
from pyropattern.presets import apply_preset
from pyropattern.samples import DEFAULT_SAMPLE_ID, get_sample, list_samples
from pyropattern.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]  # fmt: skip
MIME = {".jpg": "image/jpeg", ".png": "image/png"}
ACTIONS = ("page load", "upload", "levels change", "PDF download")
ACTION_TIMEOUT_MS = 180_000
# Trainees open the link over some seconds, not in one instant; and the 20 browser pages run
# on the server's own 2 cores here (in class they are the trainees' machines), so opening all
# in the same second measured Chromium starting up, not the server.
ARRIVAL_GAP_S = 1.0
TARGETS = {"p95 levels change (s)": 10.0, "server peak (GB)": 4.0}
HOSTILE_QUERY = ("?prepare.working_px=6000&tones.levels=NaN"
                 "&tones.method=%5BLog%20in%5D(http%3A%2F%2Fevil.example)")  # fmt: skip


@dataclass(frozen=True)
class SessionPlan:
    """What one trainee does: their photo (file name, bytes) and the levels they choose."""

    name: str
    data: bytes
    levels: int
    expected_pdf: bytes = b""
    hostile: bool = False


@dataclass
class SessionResult:
    name: str
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    hostile: bool = False


@dataclass
class PhaseResult:
    label: str
    sessions: list[SessionResult]
    server_peak_mb: float
    server_log_problems: list[str]
    wall_s: float = 0.0
    server_cpu_s: float = 0.0  # the server process's user + system time over the phase
    browser_cpu_s: float = 0.0  # Chromium and Playwright's, which here share the 2 cores

    def figures(self, action: str) -> tuple[float, float, int]:
        """Median, 95th percentile and count of an action over the ordinary sessions."""
        values = sorted(s.seconds[action] for s in self.sessions
                        if action in s.seconds and not s.hostile)  # fmt: skip
        if not values:
            return float("nan"), float("nan"), 0
        p95 = values[min(len(values) - 1, int(np.ceil(0.95 * len(values))) - 1)]
        return statistics.median(values), p95, len(values)

    def problems(self) -> list[str]:
        found = [f"{s.name}: {p}" for s in self.sessions for p in s.problems]
        return found + self.server_log_problems


# --- photos and the patterns they must give ---------------------------------------------------


def class_photos(count: int, long_side: int = 2400) -> list[tuple[str, bytes]]:
    """``count`` different photos, as trainees' phones would send: each sample cropped,
    turned and mirrored a different way, saved as JPEG at ``long_side`` px."""
    samples = list_samples()
    photos = []
    for index in range(count):
        sample = samples[index % len(samples)]
        with Image.open(sample.path) as opened:
            image = opened.convert("RGB")
        width, height = image.size
        variant = index // len(samples)
        inset = 0.04 * (variant % 4)
        box = (width * inset, height * inset / 2, width * (1 - inset / 2), height * (1 - inset))
        image = image.crop(tuple(round(edge) for edge in box))
        if variant % 2:
            image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        if variant % 3 == 2:
            image = image.transpose(Image.Transpose.ROTATE_90)
        scale = long_side / max(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=88)
        photos.append((f"trainee-{index + 1:02d}-{sample.id}.jpg", buffer.getvalue()))
    return photos


def huge_png() -> bytes:
    """A real 9950 × 9950 gray PNG (99 MP): the largest photo the loader accepts."""
    ramp = np.linspace(0, 255, 9950, dtype=np.float32).astype(np.uint8)
    pixels = np.broadcast_to(ramp[None, :], (9950, 9950)).copy()
    pixels[3000:7000, 3000:7000] = 30
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def expected_pdf(name: str, data: bytes, levels: int) -> bytes:
    """The PDF the library makes for this photo and levels, titled as the app titles it.

    The app opens on the default sample with that sample's preset; an upload keeps it.
    """
    opened = apply_preset(get_sample(DEFAULT_SAMPLE_ID).preset, Settings())
    settings = dataclasses.replace(opened, tones=dataclasses.replace(opened.tones, levels=levels))
    photo = load_photo(data, target_long_side=settings.prepare.working_px)
    return stencil_pdf(make_stencil(photo, settings), "en", name=name)


def plan_sessions(
    count: int, *, hostile: bool = False, long_side: int = 2400
) -> list[SessionPlan]:
    # One step from the default 5: one rerun per change, as a trainee's single slider move.
    choices = (4, 6)
    plans = [
        SessionPlan(name, data, choices[index % 2], expected_pdf(name, data, choices[index % 2]))
        for index, (name, data) in enumerate(class_photos(count, long_side))
    ]
    if hostile:
        plans.append(SessionPlan("crafted-99mp.png", huge_png(), 4, hostile=True))
    return plans


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def classroom_server(log_path: Path, slots: int):
    """``make serve``'s server on 127.0.0.1; yields (url, pid, log_path)."""
    port = free_port()
    command = [sys.executable, "-m", "pyropattern.serve", "--address", "127.0.0.1",
               "--port", str(port), "--slots", str(slots), "--lang", "en"]  # fmt: skip
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"the server did not start; see {log_path}") from None
                time.sleep(0.2)
        yield url, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process so far, seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """VmHWM of a live process: the most resident memory it ever had, MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def log_problems(log_path: Path) -> list[str]:
    text = log_path.read_text(errors="replace")
    bad = [line for line in text.splitlines()
           if re.search(r"Traceback|Exception|Error", line)]  # fmt: skip
    return [f"server log: {line[:160]}" for line in bad]


# --- one browser session ----------------------------------------------------------------------


async def _settled(page) -> None:
    # Streamlit shows its status widget while a rerun is in flight.
    await page.wait_for_selector("[data-testid=stStatusWidget]", state="detached",
                                 timeout=ACTION_TIMEOUT_MS)  # fmt: skip


async def _stencil_src(page) -> str | None:
    return await page.locator("[data-testid=stImage] img").first.get_attribute("src")


async def _new_stencil(page, old: str | None) -> None:
    await page.wait_for_function(
        "old => { const img = document.querySelector('[data-testid=stImage] img');"
        " return img && img.src !== old && img.complete; }",
        arg=old,
        timeout=ACTION_TIMEOUT_MS,
    )
    await _settled(page)


async def _photograph_the_queue(page, shots: Path | None, name: str) -> None:
    """Screenshot the page once if it shows its place in the queue (for a person to look at)."""
    if shots is None:
        return
    notice = page.get_by_text(re.compile(r"Waiting for the server"))
    try:
        await notice.first.wait_for(timeout=ACTION_TIMEOUT_MS)
        await page.screenshot(path=shots / f"{Path(name).stem}-waiting.png")
    except Exception:  # never shown, or the session moved on: nothing to photograph
        return


async def run_session(
    browser, url: str, plan: SessionPlan, shots: Path | None, delay_s: float = 0.0
) -> SessionResult:
    result = SessionResult(plan.name, hostile=plan.hostile)
    await asyncio.sleep(delay_s)
    # Reduced motion: Streamlit's spinners need not repaint 20 headless pages at 60 fps.
    context = await browser.new_context(viewport={"width": 1500, "height": 950}, locale="en-US",
                                        accept_downloads=True, reduced_motion="reduce")
    page = await context.new_page()
    errors = page.locator("[data-testid=stAlertContentError]")
    try:
        start = time.perf_counter()
        await page.goto(url + (HOSTILE_QUERY if plan.hostile else ""), wait_until="commit",
                        timeout=ACTION_TIMEOUT_MS)  # fmt: skip
        await page.wait_for_selector("[data-testid=stImage] img", timeout=ACTION_TIMEOUT_MS)
        await _settled(page)
        result.seconds["page load"] = time.perf_counter() - start
        if plan.hostile:
            if await errors.count() != 1:
                result.problems.append("the crafted link did not give exactly one error")
            elif await page.locator("[data-testid=stAlertContentError] a").count():
                result.problems.append("the crafted link's text became a live link")

        before = await _stencil_src(page)
        watcher = asyncio.create_task(_photograph_the_queue(page, shots, plan.name))
        start = time.perf_counter()
        await page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(
            files=[{"name": plan.name, "mimeType": MIME[Path(plan.name).suffix],
                    "buffer": plan.data}]
        )
        await _new_stencil(page, before)
        await page.get_by_text(f"Photo: {plan.name}").wait_for(timeout=ACTION_TIMEOUT_MS)
        result.seconds["upload"] = time.perf_counter() - start
        watcher.cancel()

        before = await _stencil_src(page)
        slider = page.get_by_role("slider", name="Burn levels")
        current = int(await slider.get_attribute("aria-valuetext"))
        start = time.perf_counter()
        await slider.focus()
        for _ in range(abs(plan.levels - current)):
            await slider.press("ArrowRight" if plan.levels > current else "ArrowLeft")
        await page.wait_for_function(f"document.querySelectorAll('.pp-swatch').length === "
                                     f"{plan.levels}", timeout=ACTION_TIMEOUT_MS)  # fmt: skip
        await _new_stencil(page, before)
        result.seconds["levels change"] = time.perf_counter() - start

        start = time.perf_counter()
        async with page.expect_download(timeout=ACTION_TIMEOUT_MS) as info:
            await page.get_by_role("button", name=re.compile(r"^PDF")).click()
        download = await info.value
        pdf = Path(await download.path()).read_bytes()
        result.seconds["PDF download"] = time.perf_counter() - start
        # Since the app fits one sheet and adds the photo, its PDF is no longer the library's
        # default one byte for byte; the title names the trainee's own photo.
        title = PdfReader(io.BytesIO(pdf)).metadata.title
        if title != ui.design_title(plan.name):
            result.problems.append(f"the PDF is not this trainee's pattern ({title})")
        if not pdf.startswith(b"%PDF-"):
            result.problems.append("the download is not a PDF")
        if not plan.hostile and await errors.count():
            result.problems.append(f"error on the page: {await errors.first.inner_text()}")
        if shots is not None:
            await page.screenshot(path=shots / f"{Path(plan.name).stem}.png")
    except Exception as exc:  # a timeout or a missing element: that session failed
        result.problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        if shots is not None:
            await page.screenshot(path=shots / f"{Path(plan.name).stem}-failed.png")
    finally:
        await context.close()
    return result


async def _drive(
    url: str, plans: list[SessionPlan], shots: Path | None, arrival_gap_s: float
) -> list[SessionResult]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return await asyncio.gather(
                *(run_session(browser, url, plan, shots, index * arrival_gap_s)
                  for index, plan in enumerate(plans))
            )  # fmt: skip
        finally:
            await browser.close()


def run_phase(label: str, plans: list[SessionPlan], *, slots: int = 2,
              artifacts: Path | None = None, arrival_gap_s: float = ARRIVAL_GAP_S) -> PhaseResult:
    """Run every plan's session at once against a fresh classroom server."""
    folder = Path(tempfile.mkdtemp(prefix="pyropattern-load-")) if artifacts is None else artifacts
    folder.mkdir(parents=True, exist_ok=True)
    log_path = folder / f"server-{label.replace(' ', '-')}.log"
    with classroom_server(log_path, slots) as (url, pid):
        server_cpu = cpu_seconds(pid)
        # The browser and Playwright's driver are waited for when the phase ends, so their CPU
        # time lands in this process's children's usage.
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        sessions = asyncio.run(_drive(url, plans, folder if artifacts else None, arrival_gap_s))
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = cpu_seconds(pid) - server_cpu
        peak = peak_rss_mb(pid)
    browser_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return PhaseResult(label, sessions, peak, log_problems(log_path), wall, server_cpu,
                       browser_cpu)  # fmt: skip


# --- report -----------------------------------------------------------------------------------


def report(phases: list[PhaseResult]) -> list[str]:
    lines = [f"{'phase':28} {'action':14} {'median s':>9} {'p95 s':>7} {'n':>3}"]
    for phase in phases:
        for action in ACTIONS:
            median, p95, count = phase.figures(action)
            lines.append(f"{phase.label:28} {action:14} {median:9.2f} {p95:7.2f} {count:3d}")
        lines.append(f"{phase.label:28} server peak RSS {phase.server_peak_mb / 1024:.2f} GB; "
                     f"problems: {len(phase.problems())}")  # fmt: skip
        lines.append(f"{phase.label:28} {phase.wall_s:.0f} s wall; CPU: server "
                     f"{phase.server_cpu_s:.0f} s, browsers {phase.browser_cpu_s:.0f} s; "
                     f"machine load {os.getloadavg()[0]:.1f}")  # fmt: skip
        lines += [f"    {problem}" for problem in phase.problems()]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--phases", default="1,N,hostile")
    parser.add_argument("--artifacts", type=Path, default=ROOT / "test-artifacts" / "load")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"no Chromium at {CHROMIUM}")
    started = time.perf_counter()
    plans = plan_sessions(args.sessions)
    print(f"{len(plans)} photos and their expected PDFs made in "
          f"{time.perf_counter() - started:.0f} s; {os.cpu_count()} cores, "
          f"{args.slots} slots", flush=True)  # fmt: skip
    phases = []
    for phase in args.phases.split(","):
        if phase == "1":
            phases.append(run_phase("1 session", plans[:1], slots=args.slots,
                                    artifacts=args.artifacts / "one"))  # fmt: skip
        elif phase == "N":
            phases.append(run_phase(f"{args.sessions} sessions", plans, slots=args.slots,
                                    artifacts=args.artifacts / "class"))  # fmt: skip
        elif phase == "hostile":
            hostile = [*plans, *plan_sessions(0, hostile=True)]
            phases.append(run_phase(f"{args.sessions} + 1 hostile", hostile, slots=args.slots,
                                    artifacts=args.artifacts / "hostile"))  # fmt: skip
        print("\n".join(report(phases[-1:])), flush=True)
    print()
    print("\n".join(report(phases)))
    for phase in phases:
        _, p95, _ = phase.figures("levels change")
        verdict = "met" if p95 <= 10 and phase.server_peak_mb <= 4096 and not phase.problems() \
            else "MISSED"  # fmt: skip
        print(f"{phase.label}: targets (no error, p95 levels ≤ 10 s, peak ≤ 4 GB) {verdict}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
