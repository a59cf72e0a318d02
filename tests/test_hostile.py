"""Hostile inputs against the real command, each in its own process, time and memory measured.

The cases are the costly or dangerous ones (devices, pipes, decompression bombs, lying
headers, mutated bytes, hostile settings files); the cheaper refusals are tested in process
in ``test_trust.py``.

Every case must end with a pattern (exit 0 and a file) or exactly one translated line (exit 1
or 2), within :data:`MAX_SECONDS` and :data:`MAX_PEAK_MB` of peak resident memory (``VmHWM`` of
the process, read as it exits). The seconds are the process's own CPU time: on this shared
2-core machine a trivial refusal took 4 s of wall time at a load average of 10 (other people's
work, not the code's); a hang costs no CPU, so wall time is capped too, at
:data:`MAX_WALL_SECONDS`. Cases run two at a time.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from awkward_files import png_from_raw
from PIL import Image

from pyropattern.i18n import tr

MAX_SECONDS = 10.0
MAX_WALL_SECONDS = 30.0
MAX_PEAK_MB = 1536  # 1.5 GB
ROOT = Path(__file__).parents[1]

# Runs the CLI and writes "peak_kb cpu_seconds" to the file named by the last argument as it
# exits (imports included).
RUNNER = (
    "import re, resource, sys\n"
    "report = sys.argv.pop()\n"
    "from pyropattern.cli import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    status = open('/proc/self/status').read()\n"
    "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    peak = re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)\n"
    "    open(report, 'w').write(f'{peak} {usage.ru_utime + usage.ru_stime}')\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float  # wall
    cpu_seconds: float
    peak_mb: float


def run_measured(args: list[str], folder: Path, tag: str) -> Outcome:
    report = folder / f"{tag}.peak"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, *args, str(report)],
        capture_output=True, text=True, timeout=60, cwd=folder,
        env={**os.environ, "LANG": "id_ID.UTF-8", "LC_ALL": ""},
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak_kb, cpu = report.read_text().split()
    return Outcome(result.returncode, result.stdout, result.stderr, seconds, float(cpu),
                   int(peak_kb) / 1024)  # fmt: skip


def _fake_jpeg_header(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims ``width`` × ``height``."""
    buffer = io.BytesIO()
    noise = np.random.default_rng(3).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(noise).save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _gray_99mp_png() -> bytes:
    """A real 9950 × 9950 8-bit gray PNG (99 MP, decodes to 99 MB): the largest kind accepted."""
    ramp = np.linspace(0, 255, 9950, dtype=np.float32).astype(np.uint8)
    image = np.broadcast_to(ramp[None, :], (9950, 9950)).copy()
    image[3000:7000, 3000:7000] = 30  # a dark block, so the pattern has a shape
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def _mutated_png(photo: bytes) -> bytes:
    data = bytearray(photo)
    rng = np.random.default_rng(11)
    for index in rng.integers(8, len(data), 200):
        data[index] = int(rng.integers(0, 256))
    return bytes(data)


@pytest.fixture(scope="module")
def case_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    photo = folder / "photo.png"
    yy, xx = np.mgrid[0:300, 0:400]
    Image.fromarray(((xx + yy) % 256).astype(np.uint8)).save(photo)
    (folder / "big16.png").write_bytes(png_from_raw(9950, 9950, 16, 6, b""))
    (folder / "huge.png").write_bytes(_gray_99mp_png())
    (folder / "fake-header.jpg").write_bytes(_fake_jpeg_header(9000, 11000))
    (folder / "mutated.png").write_bytes(_mutated_png(photo.read_bytes()))
    (folder / "nan.json").write_text('{"tones": {"levels": NaN}}')
    (folder / "deep.json").write_text("[" * 5000 + "]" * 5000)
    os.mkfifo(folder / "pipe")
    return folder


CASES = {
    "dev-zero": ["make", "/dev/zero", "-o", "a.pdf"],
    "fifo-without-writer": ["make", "pipe", "-o", "b.pdf"],
    "settings-nan": ["make", "photo.png", "-o", "d.pdf", "--settings", "nan.json"],
    "settings-deep": ["make", "photo.png", "-o", "e.pdf", "--settings", "deep.json"],
    "png-16bit-rgba-99mp-header": ["make", "big16.png", "-o", "f.pdf"],
    "png-gray-99mp": ["make", "huge.png", "-o", "g.pdf"],
    "jpeg-fake-9000x11000": ["make", "fake-header.jpg", "-o", "h.pdf"],
    "png-mutated": ["make", "mutated.png", "-o", "j.pdf"],
}  # fmt: skip


def test_every_hostile_case_ends_well_within_bounds(case_folder: Path):
    photo_before = (case_folder / "photo.png").read_bytes()
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(run_measured, args, case_folder, name)
                   for name, args in CASES.items()}  # fmt: skip
        outcomes = {name: future.result() for name, future in futures.items()}
    prefix = tr("cli.error.prefix", "id", message="")
    problems = []
    for name, outcome in outcomes.items():
        print(f"{name:30} exit {outcome.code}  CPU {outcome.cpu_seconds:4.1f} s  wall "
              f"{outcome.seconds:4.1f} s  {outcome.peak_mb:5.0f} MB  "
              f"{outcome.stderr.strip()[:80]}")  # fmt: skip
        if (outcome.cpu_seconds > MAX_SECONDS or outcome.seconds > MAX_WALL_SECONDS
                or outcome.peak_mb > MAX_PEAK_MB):  # fmt: skip
            problems.append(f"{name}: CPU {outcome.cpu_seconds:.1f} s, wall "
                            f"{outcome.seconds:.1f} s, {outcome.peak_mb:.0f} MB")  # fmt: skip
        if outcome.code == 0:
            output = case_folder / CASES[name][CASES[name].index("-o") + 1]
            if not output.stat().st_size:
                problems.append(f"{name}: exit 0 but {output.name} is empty")
        elif outcome.code not in (1, 2) or outcome.stderr.count("\n") != 1:
            problems.append(f"{name}: exit {outcome.code}, stderr {outcome.stderr!r}")
        elif not outcome.stderr.startswith(prefix) or "Traceback" in outcome.stderr:
            problems.append(f"{name}: not one translated line: {outcome.stderr!r}")
    assert not problems, problems
    assert (case_folder / "photo.png").read_bytes() == photo_before
    # The refusals that matter most say what they refuse.
    assert "megapiksel" not in outcomes["png-16bit-rgba-99mp-header"].stderr
    assert "memori" in outcomes["png-16bit-rgba-99mp-header"].stderr
    assert outcomes["png-gray-99mp"].code == 0
    assert "rusak" in outcomes["jpeg-fake-9000x11000"].stderr  # "damaged", not a blank pattern
