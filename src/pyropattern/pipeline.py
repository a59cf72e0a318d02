"""The table of contents: photo → stencil as a short list of named stages.

Each stage is a pure function of the previous stage's output and its own settings, so a front
end can cache each one and recompute only what a changed setting touches.
"""

from __future__ import annotations

import numpy as np

from .errors import SettingsError
from .i18n import Message
from .importance import importance_map
from .labels import label_width_px, measure_room, place_labels
from .lines import extract_lines
from .model import (
    BurnLines,
    Importance,
    Labels,
    Outlines,
    Photo,
    Prepared,
    Regions,
    Report,
    Stencil,
    ToneMap,
)
from .prepare import prepare_gray, tone_source
from .regions import MAX_REGIONS, clean_regions, region_minimums, smooth_levels
from .settings import Settings
from .tones import quantize_tones
from .trace import trace_outlines

__all__ = [
    "assemble_stencil",
    "clean_and_trace",
    "clean_regions",
    "ensure_min_area",
    "extract_lines",
    "importance_map",
    "make_stencil",
    "measure_room",
    "place_labels",
    "prepare_gray",
    "quantize_tones",
    "region_minimum_mm2",
    "smooth_levels",
    "tone_source",
    "trace_outlines",
]

# Cleaning aims this much above the minimum area: smoothing a traced border takes up to ≈3%
# from a small convex region (measured on the samples), and the minimum must hold as drawn.
_AREA_MARGIN = 1.08
# Beyond this many regions a pattern takes an unreasonable time to burn in a class session.
_MANY_REGIONS = 150


def region_minimum_mm2(regions: Regions, importance: Importance, settings: Settings) -> np.ndarray:
    """The minimum area that applies to each region where it lies, (R,) mm².

    A region's importance is that of its most important pixel (:mod:`pyropattern.regions`).
    """
    scale = regions.scale
    weight = np.full(regions.count, -np.inf, dtype=np.float32)
    np.maximum.at(weight, regions.ids.ravel(), importance.weight.ravel())
    minimums = region_minimums(settings, scale)
    return minimums.area(weight.astype(np.float64)) * scale.mm_per_px**2


def ensure_min_area(
    regions: Regions,
    outlines: Outlines,
    tones: ToneMap,
    prepared: Prepared,
    importance: Importance,
    settings: Settings,
) -> tuple[Regions, Outlines]:
    """Guarantee the minimum region area on the drawn geometry, not just on the raster.

    Borders are smoothed after cleaning, which can take a little area from a small region.
    If any region is short as drawn, clean again with a larger margin and retrace (rare; the
    first pass already aims 8% above the minimum).
    """
    margin = _AREA_MARGIN
    label_width = label_width_px(settings.labels, tones.count, settings.print.line_weight_mm,
                                 tones.scale)
    while regions.count > 1 and margin < 4 and np.any(
        outlines.region_area_mm2 < region_minimum_mm2(regions, importance, settings)
    ):
        margin *= 1.25
        regions = clean_regions(tones, prepared, importance, settings, label_width, margin)
        outlines = trace_outlines(regions, settings.trace)
    return regions, outlines


def clean_and_trace(
    smoothed: ToneMap, prepared: Prepared, importance: Importance, settings: Settings
) -> tuple[Regions, Outlines]:
    """Burnable regions and their lines, the minimum area guaranteed on the drawn lines.

    One stage for callers that cache: cleaning aims a margin above the minimum area (and,
    with numbers to fit inside, merges every region too narrow for its number), the borders
    are traced, and :func:`ensure_min_area` re-cleans in the rare case a smoothed border
    still took a region under the minimum.

    Raises
    ------
    SettingsError
        If more than :data:`MAX_REGIONS` regions remain: no one can burn that, and tracing
        and numbering them would take minutes.
    """
    label_width = label_width_px(settings.labels, smoothed.count,
                                 settings.print.line_weight_mm, smoothed.scale)
    regions = clean_regions(smoothed, prepared, importance, settings, label_width, _AREA_MARGIN)
    if regions.count > MAX_REGIONS:
        raise SettingsError("error.too_many_regions", count=regions.count, limit=MAX_REGIONS)
    outlines = trace_outlines(regions, settings.trace)
    return ensure_min_area(regions, outlines, smoothed, prepared, importance, settings)


def make_stencil(photo: Photo, settings: Settings) -> Stencil:
    """Turn a photo into a burn-by-number stencil.

    Parameters
    ----------
    photo : Photo
        From :func:`pyropattern.load.load_photo`.
    settings : Settings
        All stage settings; ``Settings()`` gives the defaults.

    Returns
    -------
    Stencil
        Every stage's result, the report and any warnings.
    """
    prepared = prepare_gray(photo, settings.prepare, settings.print.width_mm)
    importance = importance_map(photo, prepared, settings)
    lines = extract_lines(prepared, importance, settings)
    source = tone_source(prepared, importance, lines, settings)
    tones = quantize_tones(source, settings.tones)
    smoothed = smooth_levels(tones, settings.clean, importance, source.gray)
    regions, outlines = clean_and_trace(smoothed, source, importance, settings)
    room = measure_room(regions)
    labels = place_labels(regions, outlines, room, settings.labels, settings.print.line_weight_mm)
    return assemble_stencil(
        settings, photo, source, tones, regions, outlines, lines, importance, labels
    )


def assemble_stencil(
    settings: Settings,
    photo: Photo,
    prepared: Prepared,
    tones: ToneMap,
    regions: Regions,
    outlines: Outlines,
    lines: BurnLines,
    importance: Importance,
    labels: Labels,
) -> Stencil:
    """Bundle the stage results with the report and the warnings an instructor should see."""
    count = tones.count
    area = np.bincount(regions.levels.ravel(), minlength=count).astype(np.float64)
    per_level = np.bincount(regions.region_levels, minlength=count)
    drawn = outlines.region_area_mm2
    placed = {label.region for label in labels.items}
    unlabelled = regions.count - len(placed) if settings.labels.show else 0
    report = Report(
        level_area_share=tuple(float(a) for a in area / area.sum()),
        level_region_count=tuple(int(c) for c in per_level),
        region_count=regions.count,
        smallest_region_mm2=float(drawn.min()) if len(drawn) else 0.0,
        line_length_m=outlines.line_length_mm / 1000,
        burn_line_count=lines.count,
        burn_line_length_m=lines.length_mm / 1000,
        outside_labels=labels.outside_count,
        unlabelled_regions=unlabelled,
        suggested_min_region_mm2=labels.suggested_min_region_mm2,
    )
    warnings = []
    found = sum(share > 0 for share in tones.area_share)
    if found < count:
        warnings.append(Message("warning.few_tones", {"found": found, "levels": count}))
    if labels.outside_count:
        warnings.append(
            Message(
                "warning.labels_outside",
                {"count": labels.outside_count, "suggested": labels.suggested_min_region_mm2},
            )
        )
    if unlabelled:
        warnings.append(Message("warning.unlabelled", {"count": unlabelled}))
    if regions.count > _MANY_REGIONS:
        warnings.append(Message("warning.many_regions", {"count": regions.count}))
    return Stencil(
        settings=settings,
        photo_size=photo.original_size,
        prepared=prepared,
        tones=tones,
        regions=regions,
        outlines=outlines,
        lines=lines,
        importance=importance,
        labels=labels,
        report=report,
        warnings=tuple(warnings),
    )
