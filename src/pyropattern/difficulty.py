"""How hard a pattern is to burn, and how long it takes: a score, a band and a reason.

Selection reads a finished :class:`~pyropattern.model.Stencil` and never changes it. Every
figure is measured at the print size, so the same photo printed twice as wide is easier.

The score (0 = trivial, 100 = for experts) is a weighted sum of eight terms. Each term maps
one measured figure onto 0..1 with a straight ramp between an *easy* value (0) and a *hard*
value (1), clipped at both ends, so the score can only rise when a figure moves towards
*hard* (more levels, more regions, a smaller region, denser lines, ...)::

    score = sum(weight_i * clip((figure_i - easy_i) / (hard_i - easy_i), 0, 1))

======================================  ======  ======  ======
figure (at print size)                  easy    hard    weight
======================================  ======  ======  ======
burn levels                             3       7       24
regions per 100 cm² (log scale)         4       80      18
smallest region, mm² (log scale)        60      6       8
share of small or narrow regions        0.05    0.5     14
region border length, m per 100 cm²     0.3     3.0     16
(log scale)
burn-line length, m per 100 cm²         0       1.0     8
share of crowded numbers                0       0.25    6
share of the area in dark levels        0.1     0.6     6
======================================  ======  ======  ======

Densities (per 100 cm²) are read in the busiest 10 × 10 cm square of the design, or over
the whole design when it is smaller: a piece is as hard as its busiest part. A number is
crowded when it had to shrink to the smallest size, went outside, or found no place.
Counts and lengths are ramped on a log scale: going from 5 to 10 regions per 100 cm²
changes a piece as much as going from 40 to 80 does, and a linear ramp saturated on every
detailed sample (all read 14 of 14 points at 40 to 115 regions per 100 cm²).

A region is *small* under 15 mm² (a 4 mm square: one or two strokes of a shading tip) and
*narrow* where it is nowhere wider than 2.5 mm (the tip's own width plus a little). Dark
levels are those in the darker third (level k of N with (k-1)/(N-1) ≥ 2/3): they need slow,
repeated passes, the long burns that tire a learner's hand. The bands split the score:
under 35 Beginner, 35 to under 65 Intermediate, 65 and over Advanced.

The anchors were set by looking at the bundled samples at the three band presets as a
pyrography teacher would, and checked on eleven of scikit-image's other photos (27 of 33
preset/photo pairs land in their band; the misses are photos with little in them, such as
the clock and a page of text, rated a band lower, and the star field rated a band higher).
The ranking of the samples is in the README.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .i18n import LANGUAGES, Message, tr
from .labels import measure_room
from .model import Stencil
from .regions import region_max
from .teach.lesson import default_lesson
from .teach.timing import estimate_time

Band = Literal["beginner", "intermediate", "advanced"]
BANDS: tuple[Band, ...] = ("beginner", "intermediate", "advanced")
# Upper score limits of the first two bands (a score equal to a limit is in the next band).
BAND_LIMITS = (35.0, 65.0)

SMALL_REGION_MM2 = 15.0  # under this a region is "small": one or two strokes of a shading tip
NARROW_REGION_MM = 2.5  # nowhere wider than this: a shading tip barely fits
DARK_FROM = 2 / 3  # a level this far from bare wood to darkest (0..1) counts as a long burn
# A number at most this much above the smallest number height had to shrink to fit: crowded.
_CROWDED_HEIGHT = 1.1
# Densities are read in the busiest 10 × 10 cm square (100 cm²): a piece is as hard as its
# busiest part. Averaged over the whole design, the camera sample's detailed photographer
# read as a plain piece because of the empty sky and lawn around him.
WINDOW_MM = 100.0
_CELL_MM = 5.0


@dataclass(frozen=True)
class Complexity:
    """What was measured on a design at print size; the inputs of score and burn time."""

    levels: int  # burn levels N
    area_cm2: float  # area to work on: the design, or the inside of a blank's cut line, cm²
    region_count: int
    regions_per_100cm2: float  # in the busiest 10 × 10 cm square (the design if smaller)
    smallest_region_mm2: float  # on the drawn lines
    small_or_narrow_share: float  # share of regions under 15 mm² or nowhere 2.5 mm wide, 0..1
    small_region_count: int  # regions under 15 mm²
    line_m_per_100cm2: float  # region borders, m per 100 cm², in the busiest square
    burn_line_m_per_100cm2: float  # burn lines (writing tip, no number), likewise
    # Numbers crowded into their region: printed at the smallest size, outside with a leader
    # line, or nowhere; share of all regions, 0..1.
    crowded_label_share: float
    dark_share: float  # area share of the dark levels, 0..1
    level_area_cm2: tuple[float, ...]  # area of each level, lightest first, cm²
    line_m: float  # region borders, m
    burn_line_m: float  # burn lines, m


@dataclass(frozen=True)
class Term:
    """One term of the score: a figure, where it is easy and hard, and its weight."""

    name: str  # Complexity field the term reads
    easy: float  # figure at which the term is 0
    hard: float  # figure at which the term is full
    weight: float  # points the term adds when full
    log: bool = False  # ramp on a log scale (areas: 6 → 12 mm² matters more than 50 → 56)

    def fraction(self, value: float) -> float:
        """How far ``value`` is from easy (0) to hard (1), clipped."""
        easy, hard = self.easy, self.hard
        if self.log:
            value, easy, hard = (math.log(max(v, 1e-6)) for v in (value, easy, hard))
        return float(np.clip((value - easy) / (hard - easy), 0.0, 1.0))


TERMS: tuple[Term, ...] = (
    Term("levels", 3, 7, 24),
    Term("regions_per_100cm2", 4, 80, 18, log=True),
    Term("smallest_region_mm2", 60, 6, 8, log=True),
    Term("small_or_narrow_share", 0.05, 0.5, 14),
    Term("line_m_per_100cm2", 0.3, 3.0, 16, log=True),
    Term("burn_line_m_per_100cm2", 0.0, 1.0, 8),
    Term("crowded_label_share", 0.0, 0.25, 6),
    # Dark area is mostly time, which the burn time already says; as difficulty it weighs
    # little (at 10 points the rocket's dark sky outranked the cat's fur and the face).
    Term("dark_share", 0.1, 0.6, 6),
)


@dataclass(frozen=True)
class Difficulty:
    """A design's difficulty: score, band, the reasons in words and the estimated time."""

    score: float  # 0..100
    band: Band
    reasons: tuple[Message, ...]  # the strongest causes first, in words for people
    burn_minutes: float  # estimated burning time for a learner
    complexity: Complexity
    contributions: tuple[float, ...]  # points each of TERMS added, same order


def polygon_area_mm2(points: np.ndarray) -> float:
    """Area enclosed by a closed (K, 2) mm polyline (shoelace formula)."""
    x, y = np.asarray(points, dtype=np.float64).T
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def _design_area_mm2(stencil: Stencil) -> float:
    """The area a burner works on: the design, or inside a blank's cut line less its hole."""
    if stencil.cut_lines:
        outline, *holes = stencil.cut_lines
        return polygon_area_mm2(outline) - sum(polygon_area_mm2(h) for h in holes)
    return stencil.width_mm * stencil.height_mm


def _busiest_per_100cm2(
    points_mm: np.ndarray, weights: np.ndarray, stencil: Stencil, area_mm2: float
) -> float:
    """The most ``weights`` found in any 10 × 10 cm square of the design, per 100 cm².

    ``points_mm`` are (x, y) positions carrying ``weights`` (a region each, or a piece of
    line and its length). They are summed on a 5 mm grid and the busiest window of
    :data:`WINDOW_MM` on a side is taken; a design smaller than the window is one window,
    counted over the area there is to burn.
    """
    cells_x = max(1, math.ceil(stencil.width_mm / _CELL_MM))
    cells_y = max(1, math.ceil(stencil.height_mm / _CELL_MM))
    grid = np.zeros((cells_y + 1, cells_x + 1))
    if len(points_mm):
        ix = np.clip((points_mm[:, 0] / _CELL_MM).astype(int), 0, cells_x - 1)
        iy = np.clip((points_mm[:, 1] / _CELL_MM).astype(int), 0, cells_y - 1)
        np.add.at(grid, (iy + 1, ix + 1), weights)
    total = grid.cumsum(axis=0).cumsum(axis=1)  # summed-area table, zero first row/column
    wx = min(cells_x, round(WINDOW_MM / _CELL_MM))
    wy = min(cells_y, round(WINDOW_MM / _CELL_MM))
    sums = total[wy:, wx:] - total[:-wy, wx:] - total[wy:, :-wx] + total[:-wy, :-wx]
    window_mm2 = min(WINDOW_MM, stencil.width_mm) * min(WINDOW_MM, stencil.height_mm)
    return float(sums.max()) * 10_000.0 / min(window_mm2, area_mm2)


def _segments(paths) -> tuple[np.ndarray, np.ndarray]:
    """Midpoints (K, 2) and lengths (K,) of every segment of the polylines."""
    pieces = [np.asarray(p, dtype=np.float64) for p in paths if len(p) > 1]
    if not pieces:
        return np.zeros((0, 2)), np.zeros(0)
    starts = np.vstack([p[:-1] for p in pieces])
    ends = np.vstack([p[1:] for p in pieces])
    return (starts + ends) / 2, np.hypot(*(ends - starts).T)


def measure_complexity(stencil: Stencil) -> Complexity:
    """Measure what makes ``stencil`` hard to burn, at its print size.

    Parameters
    ----------
    stencil : Stencil
        A finished stencil (from :func:`pyropattern.make_stencil` or fitted to a blank).

    Returns
    -------
    Complexity
        The figures the score and the burn time are computed from.
    """
    regions = stencil.regions
    report = stencil.report
    levels = stencil.tones.count
    area_mm2 = max(_design_area_mm2(stencil), 1.0)
    mm2_per_px = regions.scale.mm_per_px**2
    # Only pixels inside the cut line count for a blank (outside is not wood to burn).
    level_px = np.bincount(regions.levels.ravel(), minlength=levels).astype(np.float64)
    level_area = level_px * mm2_per_px
    inside_share = min(1.0, area_mm2 / max(level_area.sum(), 1.0))
    if inside_share < 1.0:
        # The blank's surround is bare wood (level 1): take it off level 1 only.
        level_area[0] = max(0.0, level_area[0] - (level_area.sum() - area_mm2))
    darkness = np.arange(levels) / max(levels - 1, 1)
    dark_share = float(level_area[darkness >= DARK_FROM - 1e-9].sum() / level_area.sum())
    drawn = stencil.outlines.region_area_mm2
    room = measure_room(regions)
    widest_mm = 2.0 * region_max(room.distance_mm, regions.ids, regions.count)
    rows, cols = np.divmod(room.poles, regions.ids.shape[1])
    poles_mm = regions.scale.to_mm(np.column_stack([cols, rows]) + 0.5)
    small = drawn < SMALL_REGION_MM2
    narrow = widest_mm < NARROW_REGION_MM
    count = regions.count
    line_m = stencil.outlines.line_length_mm / 1000.0
    burn_line_m = stencil.lines.length_mm / 1000.0
    borders = _segments(b.points for b in stencil.outlines.boundaries)
    burn_lines = _segments(stencil.lines.paths)
    smallest_number = stencil.settings.labels.min_height_mm * _CROWDED_HEIGHT
    crowded = sum(not label.inside or label.height_mm <= smallest_number
                  for label in stencil.labels.items) + report.unlabelled_regions
    return Complexity(
        levels=levels,
        area_cm2=area_mm2 / 100.0,
        region_count=count,
        regions_per_100cm2=_busiest_per_100cm2(poles_mm, np.ones(count), stencil, area_mm2),
        smallest_region_mm2=report.smallest_region_mm2,
        small_or_narrow_share=float((small | narrow).mean()) if count else 0.0,
        small_region_count=int(small.sum()),
        line_m_per_100cm2=_busiest_per_100cm2(*borders, stencil, area_mm2) / 1000.0,
        burn_line_m_per_100cm2=_busiest_per_100cm2(*burn_lines, stencil, area_mm2) / 1000.0,
        crowded_label_share=crowded / count if count and stencil.settings.labels.show else 0.0,
        dark_share=dark_share,
        level_area_cm2=tuple(float(a) / 100.0 for a in level_area),
        line_m=line_m,
        burn_line_m=burn_line_m,
    )


def estimate_burn_minutes(stencil: Stencil) -> float:
    """Estimated burning time, minutes: the burn guide's model with its default lesson.

    :func:`pyropattern.teach.timing.estimate_time` times each level by its technique and
    passes at the default profile's rates (shading for every level, pencil transfer), plus
    tracing and burn lines; a class that has timed itself edits the rates there.
    """
    return estimate_time(stencil, default_lesson(stencil.tones.count)).total_min


def band_for(score: float) -> Band:
    """The band a score falls in: under 35 beginner, under 65 intermediate, else advanced."""
    for band, limit in zip(BANDS, BAND_LIMITS, strict=False):
        if score < limit:
            return band
    return BANDS[-1]


def score_complexity(complexity: Complexity) -> tuple[float, tuple[float, ...]]:
    """The score 0..100 and the points each term in :data:`TERMS` added."""
    points = tuple(t.weight * t.fraction(getattr(complexity, t.name)) for t in TERMS)
    return float(sum(points)), points


# A term explains the band when it adds at least this share of its weight.
_REASON_FROM = 0.5


def _reasons(
    complexity: Complexity, points: tuple[float, ...], band: Band
) -> tuple[Message, ...]:
    """The causes that add the most points, in words, at most three.

    A term is named when it adds at least half its weight. A Beginner design is first called
    simple (its few levels and large regions are the point), with at most one caution.
    """
    c = complexity
    params = {
        "levels": {"levels": c.levels},
        "regions_per_100cm2": {"count": c.region_count, "per": round(c.regions_per_100cm2)},
        "smallest_region_mm2": {"area": round(c.smallest_region_mm2, 1)},
        "small_or_narrow_share": {
            "count": c.small_region_count,
            "percent": round(100 * c.small_or_narrow_share),
        },
        "line_m_per_100cm2": {"per": round(c.line_m_per_100cm2, 1)},
        "burn_line_m_per_100cm2": {"length": round(c.burn_line_m, 1)},
        "crowded_label_share": {"percent": round(100 * c.crowded_label_share)},
        "dark_share": {"percent": round(100 * c.dark_share)},
    }
    ranked = sorted(range(len(TERMS)), key=lambda i: -points[i])
    strong = [
        Message(f"select.why.{TERMS[i].name}", params[TERMS[i].name])
        for i in ranked
        if points[i] >= _REASON_FROM * TERMS[i].weight
    ]
    if band != "beginner" and strong:
        return tuple(strong[:3])
    simple = Message(
        "select.why.simple",
        {"count": c.region_count, "area": round(c.smallest_region_mm2)},
    )
    return (simple, *strong[:1])


def rate_difficulty(stencil: Stencil) -> Difficulty:
    """Rate how hard ``stencil`` is to burn and how long it takes.

    Parameters
    ----------
    stencil : Stencil
        A finished stencil; its print size is the size that is rated.

    Returns
    -------
    Difficulty
        Score 0..100 (see the module docstring for the formula), band, up to three reasons
        in words, the estimated burn time in minutes and the measured figures.
    """
    complexity = measure_complexity(stencil)
    score, points = score_complexity(complexity)
    return Difficulty(
        score=score,
        band=band_for(score),
        reasons=_reasons(complexity, points, band_for(score)),
        burn_minutes=estimate_burn_minutes(stencil),
        complexity=complexity,
        contributions=points,
    )


def band_name_key(band: Band) -> str:
    """Translation key of a band's name ("Beginner" / "Pemula")."""
    return f"select.band.{band}"


def round_minutes(minutes: float) -> int:
    """Burn time as people plan it: to 5 minutes under 2 hours, to 15 minutes beyond."""
    step = 5 if minutes < 120 else 15
    return int(max(step, step * round(minutes / step)))


def format_burn_time(minutes: float, lang: str) -> str:
    """Burn time in words for ``lang``: "3 h 15 min" / "3 jam 15 menit", "4 h" / "4 jam",
    rounded as people plan (:func:`round_minutes`)."""
    total = round_minutes(minutes)
    hours, rest = divmod(total, 60)
    if hours and rest:
        return tr("select.hours_minutes", lang, hours=hours, minutes=rest)
    if hours:
        return tr("select.hours", lang, hours=hours)
    return tr("select.minutes", lang, minutes=rest)


def badge_text(difficulty: Difficulty, lang: str) -> str:
    """The difficulty badge: "Intermediate · 48/100" / "Menengah · 48/100"."""
    return tr(
        "select.badge", lang, band=tr(band_name_key(difficulty.band), lang),
        score=round(difficulty.score),
    )  # fmt: skip


def reasons_text(difficulty: Difficulty, lang: str) -> str:
    """The reasons joined into one line."""
    return "; ".join(reason.text(lang) for reason in difficulty.reasons)


def report_dict(stencil: Stencil, difficulty: Difficulty | None = None) -> dict[str, Any]:
    """The report as plain JSON-ready data (``pyropattern make --report FILE.json``).

    Lengths in metres, areas in mm² and cm², the time in minutes; the reasons in both
    languages so a script can show either.
    """
    difficulty = difficulty or rate_difficulty(stencil)
    report = stencil.report
    c = difficulty.complexity
    return {
        "width_mm": round(stencil.width_mm, 2),
        "height_mm": round(stencil.height_mm, 2),
        "levels": c.levels,
        "regions": report.region_count,
        "regions_per_level": list(report.level_region_count),
        "level_area_share": [round(s, 4) for s in report.level_area_share],
        "smallest_region_mm2": round(report.smallest_region_mm2, 2),
        "numbers_outside": report.outside_labels,
        "numbers_missing": report.unlabelled_regions,
        "suggested_min_region_mm2": report.suggested_min_region_mm2,
        "line_length_m": round(c.line_m, 3),
        "burn_line_length_m": round(c.burn_line_m, 3),
        "cut_line": bool(stencil.cut_lines),
        "difficulty": {
            "score": round(difficulty.score, 1),
            "band": difficulty.band,
            "reasons": {lang: [r.text(lang) for r in difficulty.reasons] for lang in LANGUAGES},
            "figures": {
                "area_cm2": round(c.area_cm2, 1),
                "regions_per_100cm2": round(c.regions_per_100cm2, 2),
                "small_or_narrow_share": round(c.small_or_narrow_share, 3),
                "line_m_per_100cm2": round(c.line_m_per_100cm2, 3),
                "burn_line_m_per_100cm2": round(c.burn_line_m_per_100cm2, 3),
                "crowded_label_share": round(c.crowded_label_share, 3),
                "dark_share": round(c.dark_share, 3),
            },
            "points": {
                term.name: round(points, 2)
                for term, points in zip(TERMS, difficulty.contributions, strict=True)
            },
        },
        "burn_minutes": round(difficulty.burn_minutes, 1),
        "warnings": {lang: [w.text(lang) for w in stencil.warnings] for lang in LANGUAGES},
    }
