"""Benchmark of class packs: 12 photos with 1 and with 2 processes (time and speed-up).

Run with ``make bench`` or ``.venv/bin/python bench/classpack.py``. Prints figures; asserts
nothing. The 12 photos are the 7 bundled samples and 5 of scikit-image's own photos (moon,
page, clock, brick, immunohistochemistry), written to a temporary folder as PNG. Each
configuration is run ``--repeats`` times and the median is printed; both run in this process
interleaved, so the ratio is fair on a busy machine even when the times are not.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import skimage.data
from PIL import Image

from pyropattern.classpack import find_photos, pack_pdf, run_pack
from pyropattern.presets import apply_preset
from pyropattern.samples import list_samples
from pyropattern.settings import Settings

EXTRA_PHOTOS = ("moon", "page", "clock", "brick", "immunohistochemistry")


def twelve_photos(folder: Path) -> list[Path]:
    """The bundled samples plus five scikit-image photos, as files in ``folder``."""
    paths = [sample.path for sample in list_samples()]
    for name in EXTRA_PHOTOS:
        path = folder / f"{name}.png"
        Image.fromarray(getattr(skimage.data, name)()).save(path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--preset", default="intermediate")
    args = parser.parse_args()
    settings = apply_preset(args.preset, Settings())
    with tempfile.TemporaryDirectory() as folder:
        photos = twelve_photos(Path(folder))
        jobs = find_photos(photos)
        print(f"{len(jobs)} photos, preset {args.preset}, cores {os.cpu_count()}, "
              f"median of {args.repeats}")
        times: dict[int, list[float]] = {1: [], 2: []}
        # Interleaved, so a change in the machine's load hits both alike.
        for _ in range(args.repeats):
            for processes in times:
                start = time.perf_counter()
                results = run_pack(jobs, settings, processes=processes)
                pack = pack_pdf(results, settings, "en", args.preset)
                times[processes].append(time.perf_counter() - start)
        medians = {}
        for processes, runs in times.items():
            medians[processes] = statistics.median(runs)
            print(f"  {processes} process{'es' if processes > 1 else ''}: "
                  f"{medians[processes]:6.2f} s  ({medians[processes] / len(jobs):.2f} s/photo, "
                  f"runs {', '.join(f'{t:.2f}' for t in runs)}; "
                  f"{sum(not r.ok for r in results)} failed; pack {len(pack) / 1e6:.1f} MB)")
        print(f"  speed-up 2 vs 1: {medians[1] / medians[2]:.2f}×")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
