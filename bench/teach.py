"""Time of the teaching outputs on a real stencil: burn preview, practice sheet, handout.

Run: ``.venv/bin/python bench/teach.py [--runs 5]``. Prints medians over the runs. Targets
(teaching issue): the burn preview of a 200 mm design at the app's screen resolution in
≤ 0.4 s, the lesson handout in ≤ 3 s. The flat tone map at the same resolution is timed in
the same run as the baseline the preview is compared with.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyropattern.load import load_photo
from pyropattern.pipeline import make_stencil
from pyropattern.render import render_tone_map
from pyropattern.render.burn import BurnStyle, render_burn
from pyropattern.render.techniques import TECHNIQUES
from pyropattern.render.wood import _texture
from pyropattern.settings import PrintSettings, Settings
from pyropattern.teach.handout import lesson_handout
from pyropattern.teach.lesson import default_guide, default_lesson
from pyropattern.teach.practice import practice_pdf

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "cat-chelsea.jpg"
SCREEN_PX = 1200  # the app's preview width (app.PREVIEW_PX)


def _median(build: Callable[[], Any], runs: int, before: Callable[[], None] = lambda: None):
    """Median wall-clock seconds; the CPU seconds beside them when the machine is shared."""
    times, cpu = [], []
    for _ in range(runs):
        before()
        start, start_cpu = time.perf_counter(), time.process_time()
        build()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    _median.cpu = statistics.median(cpu)  # type: ignore[attr-defined]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    photo = load_photo(SAMPLE, target_long_side=1600)
    stencil = make_stencil(photo, Settings(print=PrintSettings(width_mm=200.0)))
    dpi = SCREEN_PX * 25.4 / stencil.width_mm
    n = stencil.tones.count
    print(f"200 × {stencil.height_mm:.0f} mm design, {n} levels, {stencil.report.region_count} "
          f"regions; screen {SCREEN_PX} px wide ({dpi:.0f} dpi)")
    base = _median(lambda: render_tone_map(stencil, dpi), runs)
    print(f"  flat tone map (baseline)          median {base:6.3f} s ({_median.cpu:.3f} s CPU)")
    for technique in TECHNIQUES:
        style = BurnStyle(wood="pinus", techniques=(technique,) * n)
        # Cold: the wood texture is drawn afresh (a new design size or wood); warm: cached.
        cold = _median(lambda s=style: render_burn(stencil, dpi, s), runs, _texture.cache_clear)
        cold_cpu = _median.cpu
        warm = _median(lambda s=style: render_burn(stencil, dpi, s), runs)
        print(f"  burn preview, {technique:11s}        median {cold:6.3f} s cold "
              f"({cold_cpu:.3f} s CPU), {warm:6.3f} s warm ({_median.cpu:.3f} s CPU); "
              f"cold {cold / base:4.1f}× baseline")
    lesson = default_lesson(n)
    mixed = lesson.__class__(profile=lesson.profile, colouring=True, guide=default_guide(
        lesson.profile, n, ("shading", "stipple", "hatching", "crosshatch", "circles")))
    sheet = _median(lambda: practice_pdf(mixed, n, "id"), runs)
    print(f"  practice sheet PDF                median {sheet:6.3f} s ({_median.cpu:.3f} s CPU)")
    for label, chosen in (("shading", lesson), ("mixed + colouring", mixed)):
        seconds = _median(lambda c=chosen: lesson_handout(stencil, c, "id", photo=photo), runs,
                          _texture.cache_clear)
        print(f"  handout PDF, {label:18s}   median {seconds:6.3f} s ({_median.cpu:.3f} s CPU)")


if __name__ == "__main__":
    main()
