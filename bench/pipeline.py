"""Benchmark of the stencil engine: per-stage speed, big-photo speed and memory, and quality.

Run with ``make bench`` or ``.venv/bin/python bench/pipeline.py``. Prints figures; asserts
nothing. Timings are medians of several runs in this process; the naive baseline (blur +
even posterize + ``cv2.findContours``) runs in the same process so ratios are comparable on a
busy machine. Big photos run in a child process each, so their peak RSS is their own.

Quality (per sample, N=5, 200 mm wide, the defaults): on a 0.2 mm grid at print size, SSIM
and mean absolute error between the tone map painted with each level's tone and the photo's
gray smoothed by a Gaussian of sigma 1 mm;
edge recall (the reference's Canny edges, sigma 1 px, high threshold the 90th percentile of
the gradient magnitude, low half of it, with a drawn line within 1 mm) and edge precision
(drawn line cells within 1 mm of such an edge); region count; regions below the minimum that
applies where they lie, measured on the drawn (exported) geometry; borders drawn twice;
border and burn-line length; numbers outside their region.
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
from scipy import ndimage
from skimage.feature import canny
from skimage.metrics import structural_similarity

from pyropattern.load import load_photo
from pyropattern.model import frozen_array
from pyropattern.pipeline import (
    assemble_stencil,
    clean_and_trace,
    extract_lines,
    importance_map,
    make_stencil,
    measure_room,
    place_labels,
    prepare_gray,
    quantize_tones,
    region_minimum_mm2,
    smooth_levels,
    tone_source,
    trace_outlines,
)
from pyropattern.prepare import orient_and_crop
from pyropattern.render import burn_line_styles, stroke_styles
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
    """SSIM and MAE of the painted tone map against the smoothed photo gray, on a 0.2 mm grid.

    Burn lines are not painted in: the 1 mm reference blurs a 0.5 mm line into a faint smudge,
    so a crisp stroke there counts as error (painting them in their own tone cost ≈0.001 MAE
    and 0.01 SSIM on the samples).
    """
    cols = round(stencil.width_mm / GRID_MM)
    rows = round(stencil.height_mm / GRID_MM)
    reference = reference_gray(photo, settings, (rows, cols))
    painted_full = np.asarray(stencil.regions.level_grays, np.float32)[stencil.regions.levels]
    painted = cv2.resize(painted_full, (cols, rows), interpolation=cv2.INTER_NEAREST)
    ssim = structural_similarity(reference, painted, data_range=1.0)
    return float(ssim), float(np.abs(reference - painted).mean())


def reference_gray(photo, settings: Settings, shape: tuple[int, int]) -> np.ndarray:
    """The photo's gray on the evaluation grid, smoothed by a Gaussian of sigma 1 mm."""
    rows, cols = shape
    view = np.ascontiguousarray(orient_and_crop(photo.rgb, settings.prepare))
    gray = cv2.cvtColor(view, cv2.COLOR_RGB2GRAY).astype(np.float32) / 255
    reference = cv2.resize(gray, (cols, rows), interpolation=cv2.INTER_AREA)
    return cv2.GaussianBlur(reference, (0, 0), REFERENCE_SIGMA_MM / GRID_MM)


def reference_edges(reference: np.ndarray) -> np.ndarray:
    """Canny edges of the reference (sigma 1 px, high = 90th percentile of the gradient
    magnitude, low = half of it), as the issue defines them."""
    smoothed = ndimage.gaussian_filter(reference.astype(np.float64), 1.0)
    magnitude = np.hypot(ndimage.sobel(smoothed, axis=0), ndimage.sobel(smoothed, axis=1))
    high = float(np.percentile(magnitude, 90))
    return canny(reference.astype(np.float64), sigma=1.0, low_threshold=high / 2,
                 high_threshold=high)


def drawn_lines(stencil, shape: tuple[int, int]) -> np.ndarray:
    """Every drawn line on the grid: region borders one cell wide, burn lines at the width
    of their printed stroke (a burn line is a stroke, and its edges are its sides)."""
    canvas = np.zeros(shape, dtype=np.uint8)

    def cells(paths):
        return [np.round(p / GRID_MM - 0.5).astype(np.int32) for p in paths]

    cv2.polylines(canvas, cells(b.points for b in stencil.outlines.boundaries), False, 1, 1)
    for path, style in burn_line_styles(stencil, stroke_styles(stencil.settings.print)):
        cv2.polylines(canvas, cells([path]), False, 1, max(1, round(style.width_mm / GRID_MM)))
    return canvas.view(bool)


def edge_scores(photo, stencil, settings: Settings) -> tuple[float, float]:
    """Edge recall (reference edges with a drawn line within 1 mm) and precision (drawn line
    cells within 1 mm of a reference edge), on the 0.2 mm grid."""
    shape = (round(stencil.height_mm / GRID_MM), round(stencil.width_mm / GRID_MM))
    edges = reference_edges(reference_gray(photo, settings, shape))
    drawn = drawn_lines(stencil, shape)
    reach = 1.0 / GRID_MM
    near_drawn = ndimage.distance_transform_edt(~drawn) <= reach
    near_edge = ndimage.distance_transform_edt(~edges) <= reach
    recall = float(near_drawn[edges].mean()) if edges.any() else 1.0
    precision = float(near_edge[drawn].mean()) if drawn.any() else 0.0
    return recall, precision


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
    times["importance"], importance = median_time(
        lambda: importance_map(photo, prepared, settings), runs
    )
    times["lines"], lines = median_time(
        lambda: extract_lines(prepared, importance, settings), runs
    )
    times["tone source"], source = median_time(
        lambda: tone_source(prepared, importance, lines, settings), runs
    )
    times["quantize"], tones = median_time(lambda: quantize_tones(source, settings.tones), runs)
    times["smooth"], smoothed = median_time(
        lambda: smooth_levels(tones, settings.clean, importance, source.gray), runs
    )
    times["clean+trace"], (regions, outlines) = median_time(
        lambda: clean_and_trace(smoothed, source, importance, settings), runs
    )
    times[" of which trace"], _ = median_time(
        lambda: trace_outlines(regions, settings.trace), runs
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
    "prepare.smooth_mm": (0.9, 1.2),
    "focus.smooth_mm": (0.5, 0.7),
    "clean.boundary_smooth_mm": (1.0, 1.3),
    "clean.max_band_mm": (1.2, 1.8),
}


def sweep(photos) -> None:
    """Print median quality over the samples for every combination in SWEEP."""
    print(" ".join(f"{name:>24}" for name in SWEEP)
          + " |  SSIM     MAE  recall  prec  regions  outside")
    for values in itertools.product(*SWEEP.values()):
        settings = settings_from_flat(dict(zip(SWEEP, values, strict=True)))
        rows = []
        for photo in photos:
            stencil = make_stencil(photo, settings)
            ssim, mae = fidelity(photo, stencil, settings)
            recall, precision = edge_scores(photo, stencil, settings)
            report = stencil.report
            rows.append((ssim, mae, recall, precision, report.region_count,
                         report.outside_labels))
        ssim, mae, recall, precision, regions, outside = (
            statistics.median(c) for c in zip(*rows, strict=True))
        print(" ".join(f"{value:>24}" for value in values) + f" | {ssim:.4f} {mae:.4f} "
              f"{recall:>7.2f} {precision:>5.2f} {regions:>8g} {outside:>8g}")


def guided_filter(gray: np.ndarray, radius: int, eps: float) -> np.ndarray:
    """Self-guided filter (He et al. 2010) from box filters: edges above sqrt(eps) survive."""

    def box(image):
        return cv2.boxFilter(image, -1, (2 * radius + 1, 2 * radius + 1))

    mean = box(gray)
    variance = box(gray * gray) - mean * mean
    a = variance / (variance + eps)
    return box(a) * gray + box(mean - a * mean)


def _smoothers(sigma_px: float) -> dict:
    """Candidate pre-quantization smoothers at the same spatial scale, on 0..1 float32 gray."""
    size = 2 * round(2 * sigma_px) + 1
    radius = max(1, round(sigma_px))

    def median(gray):
        return cv2.medianBlur(cv2.convertScaleAbs(gray, alpha=255), size).astype(np.float32) / 255

    def edge_preserving(gray):
        bgr = cv2.cvtColor(cv2.convertScaleAbs(gray, alpha=255), cv2.COLOR_GRAY2BGR)
        out = cv2.edgePreservingFilter(bgr, flags=cv2.RECURS_FILTER, sigma_s=2 * sigma_px,
                                       sigma_r=0.2)
        return cv2.cvtColor(out, cv2.COLOR_BGR2GRAY).astype(np.float32) / 255

    def mean_shift(gray):
        bgr = cv2.cvtColor(cv2.convertScaleAbs(gray, alpha=255), cv2.COLOR_GRAY2BGR)
        out = cv2.pyrMeanShiftFiltering(bgr, sigma_px, 20)
        return cv2.cvtColor(out, cv2.COLOR_BGR2GRAY).astype(np.float32) / 255

    return {
        "gaussian (shipped)": lambda gray: cv2.GaussianBlur(gray, (0, 0), sigma_px),
        "gaussian at twice the sigma (old)": lambda gray: cv2.GaussianBlur(gray, (0, 0),
                                                                           2 * sigma_px),
        "guided eps 0.01": lambda gray: guided_filter(gray, radius, 0.01),
        "guided eps 0.003 after 1 px blur": lambda gray: guided_filter(
            cv2.GaussianBlur(gray, (0, 0), 1.0), radius, 0.003),
        "bilateral": lambda gray: cv2.bilateralFilter(gray, size, 0.1, sigma_px),
        "median": median,
        "edgePreservingFilter": edge_preserving,
        "pyrMeanShiftFiltering": mean_shift,
    }


def compare_filters(photos, runs: int) -> None:
    """Time and quality of each smoother in place of the tone source's Gaussian (medians).

    Everything else is the shipped pipeline (burn lines filled in, the same cleaning), so
    the columns differ only by how the photo is smoothed before its tones are taken.
    """
    settings = Settings()
    flat = settings_from_flat({"prepare.smooth_mm": 0.0, "focus.smooth_mm": 0.0})
    sources = []
    for photo in photos:
        prepared = prepare_gray(photo, settings.prepare, settings.print.width_mm)
        importance = importance_map(photo, prepared, settings)
        lines = extract_lines(prepared, importance, settings)
        sources.append((photo, importance, lines, tone_source(prepared, importance, lines, flat)))
    sigma_px = sources[0][3].scale.to_px(settings.prepare.smooth_mm)
    print(f"smoother (sigma {settings.prepare.smooth_mm} mm = {sigma_px:.1f} px) |"
          "  ms/photo   SSIM     MAE  recall  precision  regions")
    for name, smooth in _smoothers(sigma_px).items():
        seconds, rows = [], []
        for photo, importance, lines, base in sources:
            elapsed, gray = median_time(lambda b=base, f=smooth: f(np.asarray(b.gray)), runs)
            seconds.append(elapsed)
            stage = dataclasses.replace(base, gray=frozen_array(gray.astype(np.float32)))
            tones = quantize_tones(stage, settings.tones)
            smoothed = smooth_levels(tones, settings.clean, importance, stage.gray)
            regions, outlines = clean_and_trace(smoothed, stage, importance, settings)
            labels = place_labels(regions, outlines, measure_room(regions), settings.labels, 0.3)
            stencil = assemble_stencil(settings, photo, stage, tones, regions, outlines, lines,
                                       importance, labels)
            ssim, mae = fidelity(photo, stencil, settings)
            recall, precision = edge_scores(photo, stencil, settings)
            rows.append((ssim, mae, recall, precision, regions.count))
        ssim, mae, recall, precision, regions = (statistics.median(c)
                                                 for c in zip(*rows, strict=True))
        print(f"{name:<36} | {statistics.median(seconds) * 1000:>9.1f} {ssim:>6.3f} {mae:>7.4f}"
              f" {recall:>7.2f} {precision:>10.2f} {regions:>8g}")


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
    print(f"{'sample':<14}{'size px':>11}{'SSIM':>7}{'MAE':>8}{'recall':>7}{'prec':>6}"
          f"{'regions':>8}{'<min':>5}{'twice':>6}{'lines m':>8}{'burn m':>7}{'smallest':>9}"
          f"{'outside':>8}{'make ms':>8}")
    rows = []
    for sample in samples:
        photo = load_photo(sample.path, target_long_side=settings.prepare.working_px)
        seconds, stencil = median_time(lambda p=photo: make_stencil(p, settings), args.runs)
        ssim, mae = fidelity(photo, stencil, settings)
        recall, precision = edge_scores(photo, stencil, settings)
        minimum = region_minimum_mm2(stencil.regions, stencil.importance, settings)
        below = int((stencil.outlines.region_area_mm2 < minimum).sum())
        twice = borders_drawn_twice(stencil)
        report = stencil.report
        rows.append((ssim, mae, recall, precision, report.region_count, below, twice,
                     report.line_length_m, report.burn_line_length_m, report.outside_labels,
                     seconds))
        size = "×".join(str(n) for n in stencil.regions.ids.shape[::-1])
        print(f"{sample.id:<14}{size:>11}{ssim:>7.3f}{mae:>8.4f}{recall:>7.2f}{precision:>6.2f}"
              f"{report.region_count:>8}{below:>5}{twice:>6}{report.line_length_m:>8.2f}"
              f"{report.burn_line_length_m:>7.2f}{report.smallest_region_mm2:>9.2f}"
              f"{report.outside_labels:>8}{seconds * 1000:>8.0f}")
    columns = list(zip(*rows, strict=True))
    medians = [statistics.median(column) for column in columns]
    print(f"{'median':<25}{medians[0]:>7.3f}{medians[1]:>8.4f}{medians[2]:>7.2f}"
          f"{medians[3]:>6.2f}{medians[4]:>8g}{max(columns[5]):>5}{max(columns[6]):>6}"
          f"{medians[7]:>8.2f}{medians[8]:>7.2f}{'':>9}{max(columns[9]):>8}"
          f"{medians[10] * 1000:>8.0f}")
    print("(<min, twice and outside: the largest over the samples)")

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
