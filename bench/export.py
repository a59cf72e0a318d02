"""Time and size of the print exports on a real stencil.

Run: ``.venv/bin/python bench/export.py [--runs 5]``. Prints, for each case, the median build
time over the runs and the output size. Targets (print issue): the tiled 400 × 600 mm PDF on
A4 in ≤ 2 s and ≤ 3 MB.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from pyropattern.export.pdf import printed_tiles, stencil_pdf
from pyropattern.export.png import stencil_png
from pyropattern.export.svg import stencil_svg
from pyropattern.export.tiling import plan_tiles
from pyropattern.load import load_photo
from pyropattern.pipeline import make_stencil
from pyropattern.settings import PrepareSettings, PrintSettings, Settings

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "portrait-astronaut.jpg"


def _median_seconds(build: Callable[[], bytes | str], runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        data = build()
        times.append(time.perf_counter() - start)
        size = len(data)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    photo = load_photo(SAMPLE, target_long_side=1600)
    # Crop the square sample to 2:3 so the design is 400 × 600 mm.
    crop = PrepareSettings(crop=(1 / 6, 0.0, 5 / 6, 1.0))
    cases = {
        "tiled 400 × 600 mm on A4": Settings(prepare=crop, print=PrintSettings(width_mm=400)),
        "single-page 150 × 225 mm on A4": Settings(prepare=crop, print=PrintSettings(width_mm=150)),
    }
    for title, settings in cases.items():
        stencil = make_stencil(photo, settings)
        plan = plan_tiles(stencil.width_mm, stencil.height_mm, settings.print)
        points = sum(len(b.points) for b in stencil.outlines.boundaries)
        print(
            f"{title}: {stencil.report.region_count} regions, {points} border points, "
            f"{len(printed_tiles(stencil, plan))} of {plan.count} sheets printed "
            f"({plan.columns} × {plan.rows}, {plan.orientation})"
        )
        for label, build in (
            ("PDF", lambda s=stencil: stencil_pdf(s, "id", name="bench")),
            # A class set: the pattern sheets 30 times (each sheet drawn once as a PDF form).
            ("PDF 30 copies", lambda s=stencil: stencil_pdf(
                s, "id", name="bench", contents="pattern", copies=30)),
            ("SVG", lambda s=stencil: stencil_svg(s, "id", legend=True)),
            ("PNG 300 dpi", lambda s=stencil: stencil_png(s, dpi=300)),
        ):
            seconds, size = _median_seconds(build, runs)
            print(f"  {label:13s} median {seconds:6.3f} s over {runs} runs, {size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
