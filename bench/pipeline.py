"""Benchmark of the stencil engine: per-stage speed, big-photo speed and memory, and quality.

Run with ``make bench`` or ``.venv/bin/python bench/pipeline.py``. Prints figures; asserts
nothing. Timings are medians of several runs in this process; the naive baseline (blur +
even posterize + ``cv2.findContours``) runs in the same process so ratios are comparable on a
busy machine. Big photos run in a child process each, so their peak RSS is their own.

Quality (per sample, N=5, 200 mm wide, 9 mm² minimum, the issue's definition): on a 0.2 mm
grid at print size, SSIM and mean absolute error between the tone map painted with each
level's mean gray and the photo's gray smoothed by a Gaussian of sigma 1 mm; region count;
regions below the minimum measured on the drawn (exported) geometry; borders drawn twice;
total line length.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from skimage.metrics import structural_similarity

from pyropattern.load import load_photo
from pyropattern.model import frozen_array
from pyropattern.pipeline import (
    assemble_stencil,
    clean_and_trace,
    make_stencil,
    measure_room,
    place_labels,
    prepare_gray,
    quantize_tones,
    smooth_levels,
    trace_outlines,
)
from pyropattern.prepare import orient_and_crop
from pyropattern.samples import list_samples
from pyropattern.settings import Settings, settings_from_flat

GRID_MM = 0.2  # evaluation grid at print size
REFERENCE_SIGMA_MM = 1.0


def median_time(function, runs: int) -> tuple[float, object]:
    """Median wall time of ``function()`` over ``runs`` runs, and its last result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def naive_baseline(photo, settings: Settings):
    """Blur + even posterize + cv2.findContours: the simple way, no cleanup, no labels."""
    gray = cv2.cvtColor(np.ascontiguousarray(photo.rgb), cv2.COLOR_RGB2GRAY)
    long_side = settings.prepare.working_px
    factor = long_side / max(gray.shape)
    gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    sigma = settings.prepare.smooth_mm / (settings.print.width_mm / gray.shape[1])
    gray = cv2.GaussianBlur(gray, (0, 0), sigma)
    levels = (gray.astype(np.int32) * settings.tones.levels // 256).astype(np.uint8)
    contours = []
    for level in range(settings.tones.levels):
        found, _ = cv2.findContours(
            (levels == level).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE
        )
        contours.extend(found)
    return contours


def fidelity(photo, stencil, settings: Settings) -> tuple[float, float]:
    """SSIM and MAE of the painted tone map against the smoothed photo gray, on a 0.2 mm grid."""
    cols = round(stencil.width_mm / GRID_MM)
    rows = round(stencil.height_mm / GRID_MM)
    view = np.ascontiguousarray(orient_and_crop(photo.rgb, settings.prepare))
    gray = cv2.cvtColor(view, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    reference = cv2.resize(gray, (cols, rows), interpolation=cv2.INTER_AREA)
    reference = cv2.GaussianBlur(reference, (0, 0), REFERENCE_SIGMA_MM / GRID_MM)
    painted_full = np.asarray(stencil.regions.level_grays, np.float32)[stencil.regions.levels]
    painted = cv2.resize(painted_full, (cols, rows), interpolation=cv2.INTER_NEAREST)
    ssim = structural_similarity(reference, painted, data_range=1.0)
    return float(ssim), float(np.abs(reference - painted).mean())


def borders_drawn_twice(stencil) -> int:
    """Segments that appear in more than one border (either direction): must be 0."""
    seen: dict[tuple, int] = {}
    for boundary in stencil.outlines.boundaries:
        points = np.round(boundary.points, 6)
        for a, b in zip(map(tuple, points[:-1]), map(tuple, points[1:]), strict=True):
            key = (a, b) if a <= b else (b, a)
            seen[key] = seen.get(key, 0) + 1
    return sum(count > 1 for count in seen.values())


def stage_times(photo, settings: Settings, runs: int) -> dict[str, float]:
    """Median time of each stage at working size, plus the whole pipeline."""
    times = {}
    times["prepare"], prepared = median_time(
        lambda: prepare_gray(photo, settings.prepare, settings.print.width_mm), runs
    )
    times["quantize"], tones = median_time(lambda: quantize_tones(prepared, settings.tones), runs)
    times["smooth"], smoothed = median_time(lambda: smooth_levels(tones, settings.clean), runs)
    times["clean+trace"], (regions, outlines) = median_time(
        lambda: clean_and_trace(smoothed, prepared, settings), runs
    )
    times[" of which trace"], _ = median_time(
        lambda: trace_outlines(regions, prepared, settings.trace, settings.clean), runs
    )
    times["room"], room = median_time(lambda: measure_room(regions), runs)
    times["labels"], _ = median_time(
        lambda: place_labels(regions, outlines, room, settings.labels,
                             settings.print.line_weight_mm),
        runs,
    )
    times["make_stencil"], _ = median_time(lambda: make_stencil(photo, settings), runs)
    times["naive_baseline"], _ = median_time(lambda: naive_baseline(photo, settings), runs)
    return times


def big_photo_bytes(source: Path, megapixels: float) -> bytes:
    """A JPEG of about ``megapixels`` made by enlarging a sample (phone-photo sized)."""
    rgb = cv2.imread(str(source), cv2.IMREAD_COLOR)
    factor = (megapixels * 1e6 / (rgb.shape[0] * rgb.shape[1])) ** 0.5
    big = cv2.resize(rgb, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    # Sensor-like noise: an enlarged sample alone compresses to under 1 MB, where a real
    # 40 MP phone JPEG is 10-20 MB, and decoding time follows the file size.
    noise = np.random.default_rng(0).normal(0, 12, big.shape)
    big = np.clip(big + noise, 0, 255).astype(np.uint8)
    return cv2.imencode(".jpg", big, [cv2.IMWRITE_JPEG_QUALITY, 92])[1].tobytes()


def peak_rss_mb() -> float:
    """This process's peak resident memory, MB.

    Read from VmHWM: ``ru_maxrss`` keeps the parent's high-water mark across fork and exec
    on Linux, so a child started by a big parent would report the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_big(path: str, runs: int) -> dict[str, float]:
    """Child process: load a big JPEG from bytes and make a stencil; time and peak RSS."""
    data = Path(path).read_bytes()
    settings = Settings()

    def once():
        photo = load_photo(data, target_long_side=settings.prepare.working_px)
        return make_stencil(photo, settings)

    # Peak RSS of one run in this fresh process: later runs would also hold the previous
    # run's result while making the next, which no real user does.
    first = time.perf_counter()
    once()
    first_seconds = time.perf_counter() - first
    peak_mb = peak_rss_mb()
    seconds, _ = median_time(once, runs)
    return {"seconds": seconds, "first_seconds": first_seconds, "peak_rss_mb": peak_mb}


# The grid the smoothing defaults were chosen from: every combination, medians over samples.
SWEEP = {
    "prepare.smooth_mm": (1.5, 1.6, 1.7),
    "clean.min_strip_mm": (1.2, 1.4),
    "clean.boundary_smooth_mm": (0.8, 1.0, 1.2),
    "clean.max_band_mm": (1.5, 1.8),
}


def sweep(photos) -> None:
    """Print median quality over the samples for every combination in SWEEP."""
    print(" ".join(f"{name.split('.')[1]:>18}" for name in SWEEP)
          + " |  SSIM     MAE  regions  lines m  outside")
    for values in itertools.product(*SWEEP.values()):
        settings = settings_from_flat(dict(zip(SWEEP, values, strict=True)))
        rows = []
        for photo in photos:
            stencil = make_stencil(photo, settings)
            ssim, mae = fidelity(photo, stencil, settings)
            report = stencil.report
            rows.append((ssim, mae, report.region_count, report.line_length_m,
                         report.outside_labels))
        ssim, mae, regions, lines, outside = (statistics.median(c) for c in zip(*rows,
                                                                                 strict=True))
        print(" ".join(f"{value:>18}" for value in values) + f" | {ssim:.4f} {mae:.4f} "
              f"{regions:>8g} {lines:>8.2f} {outside:>8g}")


def _smoothers(sigma_px: float) -> dict:
    """Candidate pre-quantization smoothers at the same spatial scale, on 0..1 float32 gray."""
    size = 2 * round(2 * sigma_px) + 1

    def median(gray):
        return cv2.medianBlur(cv2.convertScaleAbs(gray, alpha=255), size).astype(np.float32) / 255

    return {
        "gaussian": lambda gray: cv2.GaussianBlur(gray, (0, 0), sigma_px),
        "bilateral": lambda gray: cv2.bilateralFilter(gray, size, 0.1, sigma_px),
        "median": median,
    }


def compare_filters(photos, runs: int) -> None:
    """Time and quality of each smoother in place of prepare's Gaussian (medians)."""
    settings = Settings()
    unsmoothed = dataclasses.replace(settings.prepare, smooth_mm=0.0)
    prepared = [prepare_gray(p, unsmoothed, settings.print.width_mm) for p in photos]
    sigma_px = prepared[0].scale.to_px(settings.prepare.smooth_mm)
    print(f"smoother (sigma {settings.prepare.smooth_mm} mm = {sigma_px:.1f} px) |"
          "  ms/photo   SSIM     MAE  regions  lines m")
    for name, smooth in _smoothers(sigma_px).items():
        seconds, rows = [], []
        for photo, base in zip(photos, prepared, strict=True):
            elapsed, gray = median_time(
                lambda b=base, f=smooth: f(np.asarray(b.gray)), runs
            )
            seconds.append(elapsed)
            stage = dataclasses.replace(base, gray=frozen_array(gray))
            tones = smooth_levels(quantize_tones(stage, settings.tones), settings.clean)
            regions, outlines = clean_and_trace(tones, stage, settings)
            stencil = assemble_stencil(settings, photo, stage, tones, regions, outlines,
                                       place_labels(regions, outlines, measure_room(regions),
                                                    settings.labels, 0.3))
            ssim, mae = fidelity(photo, stencil, settings)
            rows.append((ssim, mae, regions.count, outlines.line_length_mm / 1000))
        ssim, mae, regions, lines = (statistics.median(c) for c in zip(*rows, strict=True))
        print(f"{name:<36} | {statistics.median(seconds) * 1000:>9.1f} {ssim:>6.3f} {mae:>7.4f}"
              f" {regions:>8g} {lines:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sweep", action="store_true",
                        help="print quality for the grid of smoothing settings instead")
    parser.add_argument("--filters", action="store_true",
                        help="compare smoothing filters before quantizing instead")
    parser.add_argument("--big", help=argparse.SUPPRESS)  # child-process mode
    args = parser.parse_args()
    if args.big:
        print(json.dumps(run_big(args.big, args.runs)))
        return
    settings = Settings()
    samples = list_samples()
    if args.filters:
        compare_filters([load_photo(s.path, target_long_side=settings.prepare.working_px)
                         for s in samples], args.runs)
        return
    if args.sweep:
        sweep([load_photo(s.path, target_long_side=settings.prepare.working_px)
               for s in samples])
        return
    print(f"settings: N={settings.tones.levels}, {settings.print.width_mm:g} mm wide, "
          f"min region {settings.clean.min_region_mm2:g} mm², "
          f"min strip {settings.clean.min_strip_mm:g} mm, working {settings.prepare.working_px} px")
    print("\n== quality per sample (0.2 mm grid) ==")
    print(f"{'sample':<14}{'size px':>11}{'SSIM':>7}{'MAE':>8}{'regions':>9}{'<min':>6}"
          f"{'twice':>7}{'lines m':>9}{'smallest':>10}{'outside':>9}{'make ms':>9}")
    rows = []
    for sample in samples:
        photo = load_photo(sample.path, target_long_side=settings.prepare.working_px)
        seconds, stencil = median_time(lambda p=photo: make_stencil(p, settings), args.runs)
        ssim, mae = fidelity(photo, stencil, settings)
        drawn = stencil.outlines.region_area_mm2
        below = int((drawn < settings.clean.min_region_mm2).sum())
        twice = borders_drawn_twice(stencil)
        report = stencil.report
        rows.append((ssim, mae, report.region_count, below, twice, report.line_length_m,
                     seconds))
        size = "×".join(str(n) for n in stencil.regions.ids.shape[::-1])
        print(f"{sample.id:<14}{size:>11}{ssim:>7.3f}{mae:>8.4f}{report.region_count:>9}"
              f"{below:>6}{twice:>7}{report.line_length_m:>9.2f}"
              f"{report.smallest_region_mm2:>10.2f}{report.outside_labels:>9}"
              f"{seconds * 1000:>9.0f}")
    columns = list(zip(*rows, strict=True))
    print(f"{'median':<25}{statistics.median(columns[0]):>7.3f}"
          f"{statistics.median(columns[1]):>8.4f}{statistics.median(columns[2]):>9g}"
          f"{max(columns[3]):>6}{max(columns[4]):>7}{statistics.median(columns[5]):>9.2f}"
          f"{'':>19}{statistics.median(columns[6]) * 1000:>9.0f}")

    print(f"\n== stage times at {settings.prepare.working_px} px, median of {args.runs} ==")
    # The portrait: the sample with the most regions and lines, so the slowest.
    timed = next(sample for sample in samples if sample.id == "portrait")
    print(f"sample: {timed.id}")
    photo = load_photo(timed.path, target_long_side=settings.prepare.working_px)
    times = stage_times(photo, settings, args.runs)
    for name, seconds in times.items():
        print(f"{name:<16}{seconds * 1000:>9.1f} ms")
    print(f"make_stencil / naive baseline: {times['make_stencil'] / times['naive_baseline']:.1f}×")

    print("\n== big JPEG from bytes to stencil (child process each) ==")
    scratch = Path("test-artifacts")
    scratch.mkdir(exist_ok=True)
    for megapixels in (12, 40):
        path = scratch / f"bench-{megapixels}mp.jpg"
        data = big_photo_bytes(samples[0].path, megapixels)
        path.write_bytes(data)
        child = subprocess.run(
            [sys.executable, __file__, "--big", str(path), "--runs", str(args.runs)],
            capture_output=True, text=True, check=True,
        )
        figures = json.loads(child.stdout)
        print(f"{megapixels} MP ({len(data) / 1e6:.1f} MB file): "
              f"{figures['seconds']:.3f} s median "
              f"(first run {figures['first_seconds']:.3f} s), "
              f"peak RSS of one run {figures['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
