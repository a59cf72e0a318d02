"""The lesson handout: one PDF that takes a class from photo to finished piece.

Pages, in order: cover (photo, burn preview on the chosen wood, estimated time); numbered
tone map with the time per level; the pattern sheets at real size, tiled by the print
settings; burn guide; practice sheet; burning order; colouring (when on); finishing; a notes
box. Drawn blocks (cover, tone map, practice sheet, pattern) are placed in mm on the canvas;
text sections flow through platypus, so both languages wrap and paginate on their own.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from reportlab.lib.units import mm as POINTS_PER_MM
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from ..export.pdf import _image, _paragraph, _rect, _text, draw_sheet_pages, printed_tiles
from ..export.tiling import paper_size_mm, plan_tiles
from ..i18n import format_number, normalize_lang, tr
from ..model import Photo, Stencil
from ..prepare import orient_and_crop
from ..render import FONT_BOLD, level_raster, render_stencil, stencil_darkness
from ..render.burn import BurnStyle, render_burn
from ..render.techniques import MarkSizes
from ..render.wood import WOODS, level_tones
from .colouring import RegionColours, palette, suggest_colours
from .kit import PageKit, Styles, new_canvas, para, rgb_color, styles
from .lesson import Lesson
from .order import burning_order
from .practice import draw_practice_page
from .timing import TimeEstimate, estimate_time, format_minutes
from .words import burn_lines_text, guide_cells

_IMAGE_PX = 1400  # long side of the cover preview and the tone map: sharp at 150 dpi on A4


@dataclass(frozen=True)
class _Content:
    """What every page of one handout needs, computed once (the layout runs twice)."""

    stencil: Stencil
    lesson: Lesson
    lang: str
    name: str
    time: TimeEstimate
    photo: Image.Image
    preview: Image.Image
    tone_map: Image.Image
    colours: RegionColours | None
    colour_map: Image.Image | None
    sheets: int  # pattern sheets printed (blank ones left out)


def _dpi_for(stencil: Stencil, long_side_px: int) -> float:
    return long_side_px * 25.4 / max(stencil.width_mm, stencil.height_mm)


def burn_style(lesson: Lesson) -> BurnStyle:
    """The preview style a lesson asks for."""
    return BurnStyle(
        wood=lesson.profile.wood,
        techniques=lesson.techniques,
        borders=lesson.borders,
        seed=lesson.seed,
    )


def numbered_tone_map(stencil: Stencil, wood: str, dpi: float) -> np.ndarray:
    """Each level in its burn tone on ``wood`` (flat), with the stencil's lines and numbers."""
    tones = np.array(level_tones(WOODS[wood], stencil_darkness(stencil)), dtype=np.uint16)
    rgb = tones[level_raster(stencil, dpi)]
    ink = render_stencil(stencil, dpi).astype(np.uint16)
    # Numbers on the darkest levels must stay readable: lighten the tones under the ink.
    rgb = 255 - (255 - rgb) * 3 // 4
    return (rgb * ink[..., None] // 255).astype(np.uint8)


def _colour_map(stencil: Stencil, colours: RegionColours, dpi: float) -> Image.Image:
    region_ids = np.asarray(stencil.regions.ids)
    rows, cols = level_raster(stencil, dpi).shape
    region_ids = cv2.resize(region_ids, (cols, rows), interpolation=cv2.INTER_NEAREST)
    rgb = colours.rgb()
    blank = np.all(rgb == 255, axis=1)
    rgb[blank] = (236, 236, 236)
    ink = render_stencil(stencil, dpi, numbers=False).astype(np.uint16)
    image = rgb[region_ids].astype(np.uint16) * ink[..., None] // 255
    return Image.fromarray(image.astype(np.uint8))


def _content(
    stencil: Stencil,
    lesson: Lesson,
    lang: str,
    name: str,
    photo: Photo | None,
    colours: RegionColours | None,
) -> _Content:
    lesson = lesson.fit(stencil.tones.count)
    dpi = _dpi_for(stencil, _IMAGE_PX)
    plan = plan_tiles(stencil.width_mm, stencil.height_mm, stencil.settings.print)
    if lesson.colouring and colours is None and photo is not None:
        colours = suggest_colours(photo, stencil)
    if not lesson.colouring:
        colours = None
    if photo is not None:
        framed = orient_and_crop(photo.rgb, stencil.settings.prepare)
        photo_image = Image.fromarray(np.ascontiguousarray(framed))
    else:
        gray = np.asarray(stencil.prepared.gray)
        photo_image = Image.fromarray(np.clip(np.round(gray * 255), 0, 255).astype(np.uint8))
    photo_image.thumbnail((800, 800))
    preview = render_burn(
        stencil,
        _dpi_for(stencil, 1000),
        burn_style(lesson),
        region_colours=None if colours is None else colours.rgb(),
    )
    return _Content(
        stencil=stencil,
        lesson=lesson,
        lang=lang,
        name=name,
        time=estimate_time(stencil, lesson),
        photo=photo_image,
        preview=Image.fromarray(preview),
        tone_map=Image.fromarray(numbered_tone_map(stencil, lesson.profile.wood, dpi)),
        colours=colours,
        colour_map=None if colours is None else _colour_map(stencil, colours, dpi / 2),
        sheets=len(printed_tiles(stencil, plan)),
    )


def _mm(value: float, lang: str) -> str:
    return format_number(round(float(value), 1), lang, digits=1)


def _fit(image: Image.Image, width: float, height: float) -> tuple[float, float]:
    scale = min(width / image.width, height / image.height)
    return image.width * scale, image.height * scale


def _cover(kit: PageKit, content: _Content) -> None:
    stencil, lesson, lang = content.stencil, content.lesson, content.lang
    canvas = kit.page()
    x, y, width, height = kit.area
    wood = tr(f"teach.wood.{lesson.profile.wood}", lang)
    y = _paragraph(
        canvas,
        x,
        y + 2.0,
        tr("teach.cover.title", lang, name=content.name),
        7.0,
        width,
        font=FONT_BOLD,
    )
    y = _paragraph(canvas, x, y, tr("teach.cover.subtitle", lang), 3.6, width) + 3.0
    column = (width - 6.0) / 2
    image_h = min(110.0, height * 0.45)
    shown = 0.0
    for k, (image, caption) in enumerate(
        (
            (content.photo, tr("teach.cover.photo", lang)),
            (content.preview, tr("teach.cover.preview", lang, wood=wood)),
        )
    ):
        ix = x + k * (column + 6.0)
        _text(canvas, ix, y + 3.0, caption, 3.0, font=FONT_BOLD)
        w, h = _fit(image, column, image_h)
        _image(canvas, image, ix, y + 5.0, w, h)
        canvas.setStrokeGray(0.0)
        canvas.setLineWidth(0.2)
        _rect(canvas, ix, y + 5.0, w, h)
        shown = max(shown, h)
    y += 5.0 + shown + 6.0
    facts = tr(
        "teach.cover.facts",
        lang,
        levels=stencil.tones.count,
        width=_mm(stencil.width_mm, lang),
        height=_mm(stencil.height_mm, lang),
        regions=stencil.report.region_count,
    )
    y = _paragraph(canvas, x, y, facts, 3.4, width)
    y = _paragraph(
        canvas,
        x,
        y + 1.0,
        tr("teach.cover.time", lang, time=format_minutes(content.time.total_min, lang)),
        4.4,
        width,
        font=FONT_BOLD,
    )
    y = _paragraph(
        canvas, x, y + 1.0, tr("teach.cover.profile", lang, name=lesson.profile.name), 3.2, width
    )
    y = _paragraph(canvas, x, y + 4.0, tr("teach.cover.contents", lang), 3.4, width, font=FONT_BOLD)
    for number, key in enumerate(_section_keys(lesson), start=1):
        y = _paragraph(canvas, x + 3.0, y + 0.4, f"{number}. {tr(key, lang)}", 3.0, width)
    _level_strip(canvas, content, x, y + 5.0, width)
    safety = tr("teach.cover.safety", lang)
    lines_h = 4.0 + 4.2 * len(_wrap(safety, width - 6.0, 3.0))
    box_y = kit.area[1] + kit.area[3] - lines_h
    canvas.setLineWidth(0.5)
    _rect(canvas, x, box_y, width, lines_h)
    _paragraph(canvas, x + 3.0, box_y + 1.5, safety, 3.0, width - 6.0, font=FONT_BOLD)
    kit.end()


def _level_strip(canvas, content: _Content, x: float, y: float, width: float) -> None:
    """The levels at a glance: a swatch per level on the wood, its technique and time."""
    stencil, lesson, lang = content.stencil, content.lesson, content.lang
    n = stencil.tones.count
    tones = level_tones(WOODS[lesson.profile.wood], stencil_darkness(stencil))
    step = min(30.0, width / n)
    for level in range(n):
        sx = x + level * step
        canvas.setFillColor(rgb_color(tones[level]))
        canvas.setStrokeGray(0.0)
        canvas.setLineWidth(0.2)
        _rect(canvas, sx, y, step - 3.0, 9.0, stroke=1, fill=1)
        light = sum(tones[level]) > 330
        _text(canvas, sx + 2.0, y + 6.5, str(level + 1), 4.5, font=FONT_BOLD,
              gray=0.0 if light else 1.0)
        technique = lesson.guide[level].technique if level else None
        words = tr(f"teach.technique.{technique}", lang) if technique else tr(
            "teach.guide.bare", lang)
        _paragraph(canvas, sx, y + 9.5, words, 2.4, step - 3.0)
        if level:
            minutes = format_minutes(content.time.level_min[level], lang)
            _text(canvas, sx, y + 16.5, minutes, 2.4, gray=0.35)


def _wrap(text: str, width: float, size: float) -> list[str]:
    return simpleSplit(text, FONT_BOLD, size, width)


def _section_keys(lesson: Lesson) -> list[str]:
    keys = [
        "teach.heading.tone_map",
        "teach.heading.pattern",
        "teach.heading.guide",
        "teach.heading.practice",
        "teach.heading.order",
    ]
    if lesson.colouring:
        keys.append("teach.heading.colouring")
    return [*keys, "teach.heading.finishing", "teach.heading.notes"]


def _tone_map_page(kit: PageKit, content: _Content) -> None:
    stencil, lesson, lang = content.stencil, content.lesson, content.lang
    canvas = kit.page()
    x, y, width, height = kit.area
    n = stencil.tones.count
    wood = tr(f"teach.wood.{lesson.profile.wood}", lang)
    _text(canvas, x, y + 6.0, tr("teach.heading.tone_map", lang), 6.0, font=FONT_BOLD)
    y = (
        _paragraph(
            canvas, x, y + 8.0, tr("teach.tone_map.intro", lang, levels=n, wood=wood), 2.8, width
        )
        + 2.0
    )
    rows_h = n * 7.0 + 14.0
    w, h = _fit(content.tone_map, width, height - (y - kit.area[1]) - rows_h)
    _image(canvas, content.tone_map, x, y, w, h)
    canvas.setStrokeGray(0.0)
    canvas.setLineWidth(0.2)
    _rect(canvas, x, y, w, h)
    y += h + 3.0
    tones = level_tones(WOODS[lesson.profile.wood], stencil_darkness(stencil))
    report = stencil.report
    for level in range(n):
        canvas.setFillColor(rgb_color(tones[level]))
        _rect(canvas, x, y, 14.0, 5.5, stroke=1, fill=1)
        _text(
            canvas,
            x + 17.0,
            y + 4.2,
            tr("teach.practice.level", lang, number=level + 1),
            3.0,
            font=FONT_BOLD,
        )
        share = round(report.level_area_share[level] * 100, 1)
        regions = report.level_region_count[level]
        if level == 0:
            detail = tr("teach.tone_map.bare", lang, share=share, regions=regions)
        else:
            detail = tr(
                "teach.tone_map.row",
                lang,
                share=share,
                regions=regions,
                time=format_minutes(content.time.level_min[level], lang),
            )
        _text(canvas, x + 40.0, y + 4.2, detail, 2.8)
        y += 7.0
    extra = tr(
        "teach.tone_map.extra",
        lang,
        trace=format_minutes(content.time.trace_min, lang),
        lines=format_minutes(content.time.lines_min, lang),
        total=format_minutes(content.time.total_min, lang),
    )
    y = _paragraph(canvas, x, y, extra, 2.8, width, font=FONT_BOLD)
    sheets = content.sheets
    key = "teach.pattern.intro_one" if sheets == 1 else "teach.pattern.intro"
    _paragraph(canvas, x, y + 1.5, tr(key, lang, count=sheets), 2.8, width)
    kit.end()


def _pattern_pages(kit: PageKit, content: _Content) -> None:
    sheet_count = content.sheets
    if kit.total:
        first = kit.number + 1
        draw_sheet_pages(
            kit.canvas,
            content.stencil,
            content.lang,
            name=content.name,
            first_index=first,
            page_count=kit.total,
        )
    else:
        # Counting pass: the sheets' own drawing is skipped, only their number matters.
        for _ in range(sheet_count):
            kit.canvas.showPage()
    kit.skip(sheet_count)


def _guide_story(content: _Content, st: Styles) -> list[Flowable]:
    lesson, lang, stencil = content.lesson, content.lang, content.stencil
    n = stencil.tones.count
    sizes = MarkSizes()
    story: list[Flowable] = [
        para(tr("teach.heading.guide", lang), st.heading),
        para(
            tr(
                "teach.guide.intro",
                lang,
                profile=lesson.profile.name,
                line=sizes.line_mm,
                dot=sizes.dot_mm,
                circle=sizes.circle_mm,
            ),
            st.body,
        ),
    ]
    header = [
        tr(f"teach.guide.{key}", lang)
        for key in ("level", "tip", "heat", "technique", "passes", "speed", "time", "note")
    ]
    rows = [[para(text, st.cell) for text in header]]
    tones = level_tones(WOODS[lesson.profile.wood], stencil_darkness(stencil))
    for level in range(n):
        cells = guide_cells(lesson, level, n, lang)
        time = "—" if level == 0 else format_minutes(content.time.level_min[level], lang)
        rows.append(
            [para(str(level + 1), st.cell)]
            + [para(cells[key], st.cell) for key in ("tip", "heat", "technique", "passes", "speed")]
            + [para(time, st.cell), para(cells["note"], st.cell)]
        )
    widths_mm = (15, 27, 25, 24, 12, 22, 17)
    rest = content_width(content) - sum(widths_mm)
    table = Table(rows, colWidths=[w * POINTS_PER_MM for w in (*widths_mm, rest)], repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, rgb_color((120, 110, 100))),
        ("BACKGROUND", (0, 0), (-1, 0), rgb_color((235, 230, 222))),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for level, tone in enumerate(tones):
        style.append(("BACKGROUND", (0, level + 1), (0, level + 1), rgb_color(tone)))
        if sum(tone) < 330:
            style.append(("TEXTCOLOR", (0, level + 1), (0, level + 1), rgb_color((255, 255, 255))))
    table.setStyle(TableStyle(style))
    if stencil.lines.count:
        story += [
            Spacer(1, 3 * POINTS_PER_MM),
            para(burn_lines_text(stencil, lesson, lang), st.body),
        ]
    rates = lesson.profile.rates
    story += [
        table,
        Spacer(1, 4 * POINTS_PER_MM),
        para(
            tr(
                "teach.guide.rates",
                lang,
                shading=rates.shading_cm2_per_min,
                dots=rates.stipple_dots_per_min,
                hatch=rates.hatch_mm_per_min,
                circles=rates.circles_per_min,
                line=rates.line_mm_per_min,
                trace=rates.trace_mm_per_min,
            ),
            st.small,
        ),
    ]
    return story


def content_width(content: _Content) -> float:
    """Width of the text area on the handout's paper, mm."""
    settings = content.stencil.settings.print
    return paper_size_mm(settings)[0] - 2 * settings.margin_mm


def _order_story(content: _Content, st: Styles) -> list[Flowable]:
    lang = content.lang
    steps = burning_order(content.stencil, content.lesson, lang)
    rows = [
        [para(f"{number}.", st.body), para(step, st.body)]
        for number, step in enumerate(steps, start=1)
    ]
    table = Table(
        rows, colWidths=[10 * POINTS_PER_MM, (content_width(content) - 10) * POINTS_PER_MM]
    )
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return [para(tr("teach.heading.order", lang), st.heading), table, Spacer(1, 6 * POINTS_PER_MM)]


class _ImageFlowable(Flowable):
    """An image at a fixed size in mm, for platypus stories."""

    def __init__(self, image: Image.Image, width_mm: float, height_mm: float) -> None:
        super().__init__()
        self.image, self.width, self.height = (
            image,
            width_mm * POINTS_PER_MM,
            height_mm * POINTS_PER_MM,
        )

    def draw(self) -> None:
        self.canv.drawImage(ImageReader(self.image), 0, 0, self.width, self.height)


def _colouring_story(content: _Content, st: Styles) -> list[Flowable]:
    lang, colours = content.lang, content.colours
    story: list[Flowable] = [
        _NeedSpace(60.0),
        para(tr("teach.heading.colouring", lang), st.heading),
    ]
    used = colours.used() if colours is not None else []
    if not used:
        return [*story, para(tr("teach.colouring.none", lang), st.body)]
    story.append(para(tr("teach.colouring.intro", lang), st.body))
    levels = np.asarray(content.stencil.regions.region_levels)
    rows, style = [], [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for index, (key, count) in enumerate(used):
        where = sorted({int(levels[r]) + 1 for r, k in enumerate(colours.keys) if k == key})
        name = tr(f"teach.colour.{key}", lang)
        other = tr(f"teach.colour.{key}", "id" if lang == "en" else "en")
        text = tr(
            "teach.colouring.row",
            lang,
            name=f"{name} ({other})",
            regions=count,
            levels=", ".join(str(v) for v in where),
        )
        rows.append(["", para(text, st.body)])
        style.append(("BACKGROUND", (0, index), (0, index), rgb_color(palette()[key])))
    table = Table(
        rows, colWidths=[10 * POINTS_PER_MM, (content_width(content) - 12) * POINTS_PER_MM]
    )
    table.setStyle(TableStyle(style))
    story.append(table)
    if content.colour_map is not None:
        w, h = _fit(content.colour_map, content_width(content), 110.0)
        story += [
            _NeedSpace(h + 12.0),
            para(tr("teach.colouring.map", lang), st.subheading),
            _ImageFlowable(content.colour_map, w, h),
        ]
    return [*story, Spacer(1, 6 * POINTS_PER_MM)]


def finishing_text(lesson: Lesson, lang: str) -> str:
    """The finishing instructions: the profile's own text, else the built-in one."""
    finishing = lesson.profile.finishing
    return finishing[normalize_lang(lang)] if finishing else tr("teach.finishing.text", lang)


def _finishing_story(content: _Content, st: Styles) -> list[Flowable]:
    lang = content.lang
    lines = [line for line in finishing_text(content.lesson, lang).splitlines() if line.strip()]
    return [
        _NeedSpace(70.0),
        para(tr("teach.heading.finishing", lang), st.heading),
        *(para("• " + line, st.body) for line in lines),
    ]


class _NeedSpace(Flowable):
    """Starts a new page unless ``height_mm`` is left, so a heading never ends a page alone."""

    def __init__(self, height_mm: float) -> None:
        super().__init__()
        self.need = height_mm * POINTS_PER_MM

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Taller than the frame's rest when short of room: the frame then moves to a new page,
        # where the room is there and this takes no space at all.
        return 0.0, (0.0 if available_height >= self.need else available_height + 1.0)

    def draw(self) -> None:
        pass


class _NotesBox(Flowable):
    """A ruled box for the class's own notes, as tall as the frame allows."""

    def __init__(self, width_mm: float, height_mm: float) -> None:
        super().__init__()
        self.width, self.height = width_mm * POINTS_PER_MM, height_mm * POINTS_PER_MM

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(0.6)
        canvas.setStrokeGray(0.0)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setLineWidth(0.3)
        canvas.setStrokeGray(0.7)
        step = 8 * POINTS_PER_MM
        y = self.height - step
        while y > step / 2:
            canvas.line(4 * POINTS_PER_MM, y, self.width - 4 * POINTS_PER_MM, y)
            y -= step


def _layout(kit: PageKit, content: _Content) -> None:
    st = styles()
    lang = content.lang
    _cover(kit, content)
    _tone_map_page(kit, content)
    _pattern_pages(kit, content)
    kit.page()
    kit.flow(_guide_story(content, st))
    draw_practice_page(kit, content.lesson, stencil_darkness(content.stencil))
    story = _order_story(content, st)
    if content.lesson.colouring:
        story += _colouring_story(content, st)
    story += _finishing_story(content, st)
    kit.page()
    kit.flow(story)
    kit.page()
    width = content_width(content)
    notes = [
        para(tr("teach.heading.notes", lang), st.heading),
        para(tr("teach.notes.intro", lang), st.body),
        _NotesBox(width, kit.area[3] - 40.0),
    ]
    kit.flow(notes)


def lesson_handout(
    stencil: Stencil,
    lesson: Lesson,
    lang: str = "en",
    *,
    name: str = "pyropattern",
    photo: Photo | None = None,
    colours: RegionColours | None = None,
) -> bytes:
    """Build the lesson handout PDF.

    Parameters
    ----------
    stencil : Stencil
        The pattern; its print settings choose the paper, margins and the tiling of the
        pattern sheets.
    lesson : Lesson
        Profile, burn guide, borders, order, colouring; fitted to the stencil's levels.
    lang : {"en", "id"}
    name : str
        Design name, printed on the cover and in the headers (plain text).
    photo : Photo, optional
        The photo the stencil was made from: shown on the cover and used to suggest colours.
        Without it the cover shows the prepared gray image.
    colours : RegionColours, optional
        The colour per region when colouring is on (suggested from ``photo`` if left out).

    Returns
    -------
    bytes
    """
    lang = normalize_lang(lang)
    content = _content(stencil, lesson, lang, name, photo, colours)
    settings = stencil.settings.print
    paper = paper_size_mm(settings)
    title = tr("teach.cover.title", lang, name=name)
    # Laid out twice: first to count the pages ("Page 3 of 14"), then for real.
    counter = PageKit(new_canvas(io.BytesIO(), title), paper, settings.margin_mm, lang, title)
    _layout(counter, content)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, title)
    kit = PageKit(canvas, paper, settings.margin_mm, lang, title, total=counter.number)
    _layout(kit, content)
    canvas.save()
    return buffer.getvalue()
