"""Cost of the Pattern view's on-screen tone underlay against the plain pattern (ms, min of N).

The underlay (``ui.tone_underlay``) is drawn only on screen; this prints what it adds to each
Pattern-view render, split by step, on one sample at the app's preview width (1200 px).

Run: ``.venv/bin/python bench/views.py [--sample cat] [--repeat 7]``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from pyropattern import ui
from pyropattern.load import load_photo
from pyropattern.pipeline import make_stencil
from pyropattern.presets import apply_preset
from pyropattern.render import render_stencil, render_tone_map
from pyropattern.samples import get_sample
from pyropattern.settings import Settings

PREVIEW_PX = 1200  # as pyropattern.views.images.PREVIEW_PX


def best_ms(work: Callable[[], object], repeat: int) -> float:
    """Fastest of ``repeat`` runs, ms: on a shared machine the minimum is the stable figure."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", default="cat")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sample = get_sample(args.sample)
    settings = apply_preset(sample.preset, Settings())
    stencil = make_stencil(load_photo(sample.path, target_long_side=1600), settings)
    dpi = PREVIEW_PX * 25.4 / stencil.width_mm
    lines = render_stencil(stencil, dpi)
    tones = render_tone_map(stencil, dpi)
    blended = ui.tone_underlay(lines, tones)
    steps = {
        "render_stencil": lambda: render_stencil(stencil, dpi),
        "render_tone_map": lambda: render_tone_map(stencil, dpi),
        "tone_underlay (blend)": lambda: ui.tone_underlay(lines, tones),
        "PNG, gray pattern": lambda: ui.png_bytes(lines),
        "PNG, RGB underlay": lambda: ui.png_bytes(blended),
    }
    figures = {name: best_ms(work, args.repeat) for name, work in steps.items()}
    for name, ms in figures.items():
        print(f"{name:24s} {ms:6.1f} ms")
    plain = figures["render_stencil"] + figures["PNG, gray pattern"]
    underlay = (figures["render_stencil"] + figures["render_tone_map"]
                + figures["tone_underlay (blend)"] + figures["PNG, RGB underlay"])  # fmt: skip
    print(f"Pattern view, plain:    {plain:6.1f} ms")
    print(f"Pattern view, underlay: {underlay:6.1f} ms  (+{underlay - plain:.1f} ms, "
          f"{underlay / plain:.2f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
