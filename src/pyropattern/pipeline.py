"""The table of contents: photo → stencil as a short list of named stages.

Each stage is a pure function of the previous stage's output and its own settings, so a front
end can cache each one and recompute only what a changed setting touches.
"""

from __future__ import annotations

import numpy as np

from .errors import SettingsError
from .i18n import Message
from .labels import measure_room, place_labels
from .model import Labels, Outlines, Photo, Prepared, Regions, Report, Stencil, ToneMap
from .prepare import prepare_gray
from .regions import MAX_REGIONS, clean_regions, smooth_levels
from .settings import Settings
from .tones import quantize_tones
from .trace import trace_outlines

__all__ = [
    "assemble_stencil",
    "clean_and_trace",
    "clean_regions",
    "ensure_min_area",
    "make_stencil",
    "measure_room",
    "place_labels",
    "prepare_gray",
    "quantize_tones",
    "smooth_levels",
    "trace_outlines",
]

# Cleaning aims this much above the minimum area: smoothing a traced border takes up to ≈3%
# from a small convex region (measured on the samples), and the minimum must hold as drawn.
_AREA_MARGIN = 1.08
# Beyond this many regions a pattern takes an unreasonable time to burn in a class session.
_MANY_REGIONS = 150


def ensure_min_area(
    regions: Regions, outlines: Outlines, tones: ToneMap, prepared: Prepared, settings: Settings
) -> tuple[Regions, Outlines]:
    """Guarantee the minimum region area on the drawn geometry, not just on the raster.

    Borders are smoothed after cleaning, which can take a little area from a small region.
    If any region is short as drawn, clean again with a larger margin and retrace (rare; the
    first pass already aims 8% above the minimum).
    """
    margin = _AREA_MARGIN
    minimum = settings.clean.min_region_mm2
    while regions.count > 1 and outlines.region_area_mm2.min() < minimum and margin < 4:
        margin *= 1.25
        regions = clean_regions(tones, prepared, settings.clean, area_margin=margin)
        outlines = trace_outlines(regions, prepared, settings.trace, settings.clean)
    return regions, outlines


def clean_and_trace(
    smoothed: ToneMap, prepared: Prepared, settings: Settings
) -> tuple[Regions, Outlines]:
    """Burnable regions and their lines, the minimum area guaranteed on the drawn lines.

    One stage for callers that cache: cleaning aims a margin above the minimum area, the
    borders are traced, and :func:`ensure_min_area` re-cleans in the rare case a smoothed
    border still took a region under the minimum.

    Raises
    ------
    SettingsError
        If more than :data:`MAX_REGIONS` regions remain: no one can burn that, and tracing
        and numbering them would take minutes.
    """
    regions = clean_regions(smoothed, prepared, settings.clean, area_margin=_AREA_MARGIN)
    if regions.count > MAX_REGIONS:
        raise SettingsError("error.too_many_regions", count=regions.count, limit=MAX_REGIONS)
    outlines = trace_outlines(regions, prepared, settings.trace, settings.clean)
    return ensure_min_area(regions, outlines, smoothed, prepared, settings)


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
    tones = quantize_tones(prepared, settings.tones)
    smoothed = smooth_levels(tones, settings.clean)
    regions, outlines = clean_and_trace(smoothed, prepared, settings)
    room = measure_room(regions)
    labels = place_labels(regions, outlines, room, settings.labels, settings.print.line_weight_mm)
    return assemble_stencil(settings, photo, prepared, tones, regions, outlines, labels)


def assemble_stencil(
    settings: Settings,
    photo: Photo,
    prepared: Prepared,
    tones: ToneMap,
    regions: Regions,
    outlines: Outlines,
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
        labels=labels,
        report=report,
        warnings=tuple(warnings),
    )
