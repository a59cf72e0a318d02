"""How long the app takes from a control change to the finished rerun (medians, seconds).

Drives ``app.py`` headless with Streamlit's AppTest, so each figure is a whole rerun of the
page script: cached stages, the open tab's preview, legend and downloads. Three changes are
timed, each to a value not yet in the caches so the stages really recompute:

* labels only: the largest number height (only the label stage and the stencil view rerun);
* levels: the number of burn levels (tones, smoothing, cleaning, tracing, labels, view);
* new upload: a 12 MP phone-sized JPEG never seen before (decode and every stage).

Targets (working raster 1600 px): labels-only ≤ 0.15 s, levels ≤ 0.4 s.

Run: ``.venv/bin/python bench/app.py [--repeat N] [--sample cat portrait]``
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

import numpy as np
from PIL import Image
from streamlit.testing.v1 import AppTest

from pyropattern.samples import list_samples

APP = str(Path(__file__).parents[1] / "app.py")
TARGETS = {"labels only": 0.15, "levels": 0.4}
# Label heights and level counts cycled through; each stage caches 8 entries, so a cycle
# longer than that never hits the cache.
LABEL_HEIGHTS = [round(3.0 + 0.5 * step, 1) for step in range(12)]
LEVELS = [6, 7, 8, 9, 10, 2, 3, 4, 5]


def phone_photos(sample_path: Path, count: int) -> list[bytes]:
    """``count`` distinct 4032 × 3024 JPEGs made from a sample (different bytes each)."""
    with Image.open(sample_path) as image:
        base = np.asarray(image.convert("RGB").resize((4032, 3024), Image.Resampling.BICUBIC))
    photos = []
    for index in range(count):
        shifted = np.clip(base.astype(np.int16) + index - count // 2, 0, 255).astype(np.uint8)
        buffer = io.BytesIO()
        Image.fromarray(shifted).save(buffer, "JPEG", quality=90)
        photos.append(buffer.getvalue())
    return photos


def timed_run(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception or at.error:
        raise RuntimeError([e.value for e in [*at.exception, *at.error]])
    return elapsed


def bench_sample(sample_id: str, repeat: int) -> dict[str, list[float]]:
    """Time the three changes ``repeat`` times each on one sample."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["sample"] = sample_id
    at.run()
    times: dict[str, list[float]] = {"labels only": [], "levels": [], "new upload": []}
    for index in range(repeat):
        height = LABEL_HEIGHTS[index % len(LABEL_HEIGHTS)]
        at.select_slider(key="labels.max_height_mm").set_value(height)
        times["labels only"].append(timed_run(at))
    for index in range(repeat):
        at.slider(key="tones.levels").set_value(LEVELS[index % len(LEVELS)])
        times["levels"].append(timed_run(at))
    sample = next(s for s in list_samples() if s.id == sample_id)
    for index, data in enumerate(phone_photos(sample.path, repeat)):
        at.file_uploader[0].set_value((f"phone-{index}.jpg", data, "image/jpeg"))
        times["new upload"].append(timed_run(at))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=9, help="changes timed per kind")
    parser.add_argument("--sample", nargs="+", default=["cat", "portrait"])
    args = parser.parse_args()
    print(f"{'sample':10} {'change':12} {'median s':>9} {'min s':>7} {'max s':>7}  target")
    for sample_id in args.sample:
        for change, values in bench_sample(sample_id, args.repeat).items():
            target = TARGETS.get(change)
            verdict = (
                ""
                if target is None
                else (f"≤ {target} {'ok' if statistics.median(values) <= target else 'MISSED'}")
            )
            print(
                f"{sample_id:10} {change:12} {statistics.median(values):9.3f} "
                f"{min(values):7.3f} {max(values):7.3f}  {verdict}"
            )


if __name__ == "__main__":
    main()
