"""Hand-built stencils for the renderer and export tests, independent of the engine's tuning.

The default design: the left half is level 1, the right half level 3 with a round island of
level 5; one straight border splits the halves, one loop rings the island, one zigzag burn
line sits on the left, and the island's number is printed outside with a leader line.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from pyropattern.model import (
    Boundary,
    BurnLines,
    Importance,
    Label,
    Labels,
    Outlines,
    Prepared,
    PrintScale,
    Regions,
    Report,
    Stencil,
    ToneMap,
)
from pyropattern.settings import PrintSettings, Settings, ToneSettings


def _circle(cx: float, cy: float, r: float, count: int = 64) -> np.ndarray:
    angles = np.linspace(0, 2 * np.pi, count, endpoint=False)
    points = np.column_stack([cx + r * np.cos(angles), cy + r * np.sin(angles)])
    return np.vstack([points, points[:1]])


def make_test_stencil(
    width_mm: float = 200.0,
    height_mm: float = 150.0,
    *,
    sparse: bool = False,
    **print_fields: object,
) -> Stencil:
    """Return a 5-level stencil of the given size.

    ``sparse=True`` puts all lines and numbers in the top-left 15% of the design (one small
    square island), so sheets away from that corner are blank. ``print_fields`` override
    :class:`PrintSettings` fields (paper, mirror, transfer, …).
    """
    settings = Settings(
        tones=ToneSettings(levels=5),
        print=dataclasses.replace(PrintSettings(width_mm=width_mm), **print_fields),
    )
    cols = 80
    rows = max(2, round(cols * height_mm / width_mm))
    scale = PrintScale.for_width(width_mm, (rows, cols))
    height_mm = scale.height_mm
    yy, xx = (np.mgrid[0:rows, 0:cols] + 0.5) * scale.mm_per_px
    levels = np.zeros((rows, cols), dtype=np.uint8)
    ids = np.zeros((rows, cols), dtype=np.int32)
    if sparse:
        side = 0.1 * width_mm
        square = (xx > side / 2) & (xx < 1.5 * side) & (yy > side / 2) & (yy < 1.5 * side)
        levels[square], ids[square] = 4, 1
        loop = np.array(
            [
                [side / 2, side / 2],
                [1.5 * side, side / 2],
                [1.5 * side, 1.5 * side],
                [side / 2, 1.5 * side],
                [side / 2, side / 2],
            ]
        )
        boundaries = (Boundary(points=loop, left=1, right=0),)
        details: tuple[np.ndarray, ...] = ()
        labels = (
            Label(0, 1, side * 0.25, side * 0.25, 3.0, True, side * 0.25, side * 0.25),
            Label(1, 5, side, side, 4.0, True, side, side),
        )
        region_levels = np.array([0, 4], dtype=np.uint8)
    else:
        cx, cy, r = 0.75 * width_mm, 0.5 * height_mm, 0.15 * min(width_mm, height_mm)
        right = xx >= width_mm / 2
        island = (xx - cx) ** 2 + (yy - cy) ** 2 < r**2
        levels[right], ids[right] = 2, 1
        levels[island], ids[island] = 4, 2
        boundaries = (
            Boundary(
                points=np.array([[width_mm / 2, 0.0], [width_mm / 2, height_mm]]), left=1, right=0
            ),
            Boundary(points=_circle(cx, cy, r), left=2, right=1),
        )
        zigzag_x = np.linspace(0.1, 0.4, 7) * width_mm
        zigzag_y = (0.2 + 0.05 * (np.arange(7) % 2)) * height_mm
        details = (np.column_stack([zigzag_x, zigzag_y]),)
        labels = (
            Label(
                0, 1, 0.25 * width_mm, 0.5 * height_mm, 5.0, True, 0.25 * width_mm, 0.5 * height_mm
            ),
            Label(
                1, 3, 0.6 * width_mm, 0.8 * height_mm, 5.0, True, 0.6 * width_mm, 0.8 * height_mm
            ),
            Label(2, 5, 0.9 * width_mm, 0.15 * height_mm, 3.0, False, cx, cy),
        )
        region_levels = np.array([0, 2, 4], dtype=np.uint8)
    count = len(region_levels)
    pixel_area = scale.mm_per_px**2
    areas = np.array([(ids == k).sum() * pixel_area for k in range(count)], dtype=np.float64)
    share = tuple(float((levels == k).mean()) for k in range(5))
    grays = (0.9, 0.7, 0.5, 0.3, 0.1)
    gray = np.asarray(grays, dtype=np.float32)[levels]
    # Every gray image of Prepared gets the same picture (field names may grow).
    images = {f.name: gray for f in dataclasses.fields(Prepared) if f.name != "scale"}
    prepared = Prepared(**images, scale=scale)
    tones = ToneMap(
        levels=levels,
        thresholds=(0.2, 0.4, 0.6, 0.8),
        level_grays=grays,
        area_share=share,
        scale=scale,
    )
    regions = Regions(
        ids=ids,
        region_levels=region_levels,
        region_area_mm2=areas,
        levels=levels,
        level_grays=grays,
        scale=scale,
    )
    outlines = Outlines(
        boundaries=boundaries,
        frame=(),
        region_area_mm2=areas,
        width_mm=width_mm,
        height_mm=height_mm,
    )
    label_set = Labels(items=labels, suggested_min_region_mm2=None)
    lines = BurnLines(
        paths=details,
        widths_mm=tuple(0.5 for _ in details),
        bold=tuple(False for _ in details),
        mask=np.zeros(levels.shape, dtype=bool),
    )
    report = Report(
        level_area_share=share,
        level_region_count=tuple(int((region_levels == k).sum()) for k in range(5)),
        region_count=count,
        smallest_region_mm2=float(areas.min()),
        line_length_m=outlines.line_length_mm / 1000,
        burn_line_count=lines.count,
        burn_line_length_m=lines.length_mm / 1000,
        outside_labels=label_set.outside_count,
        unlabelled_regions=0,
        suggested_min_region_mm2=None,
    )
    return Stencil(
        settings=settings,
        photo_size=(cols * 10, rows * 10),
        prepared=prepared,
        tones=tones,
        regions=regions,
        outlines=outlines,
        lines=lines,
        importance=Importance(
            weight=np.zeros(levels.shape, np.float32), subject=np.ones(levels.shape, bool)
        ),
        labels=label_set,
        report=report,
        warnings=(),
    )
