"""Layered SVG of the stencil, sized in millimetres, for Inkscape, cutters and engravers.

The document is ``width="…mm"`` with a ``viewBox`` in millimetres, so one user unit is one
millimetre and the geometry is written as is. Each kind of line sits on its own Inkscape layer
(boundaries, burn lines, numbers, frame, optional legend); each border between two regions is
exactly one ``<path>``, so a plotter draws it once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

import numpy as np

from ..i18n import normalize_lang, tr
from ..model import Stencil
from ..plaintext import printable
from ..render import (
    SVG_FONT_FAMILY,
    LineStyle,
    effective_mirror,
    frame_paths,
    label_box,
    leader_line,
    stencil_shades,
    stroke_styles,
)

SVG_NS = "http://www.w3.org/2000/svg"
INKSCAPE_NS = "http://www.inkscape.org/namespaces/inkscape"
ET.register_namespace("", SVG_NS)
ET.register_namespace("inkscape", INKSCAPE_NS)

_LEGEND_ROW_MM = 8.0  # height of the legend strip below the design


def _num(value: float) -> str:
    """Millimetres with three decimals (a micrometre), trailing zeros dropped."""
    text = f"{float(value):.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def path_data(points: np.ndarray) -> str:
    """SVG path data of one polyline; a closed loop ends with ``Z`` instead of its repeat."""
    points = np.asarray(points, dtype=np.float64)
    closed = len(points) > 2 and np.array_equal(points[0], points[-1])
    coords = points[:-1] if closed else points
    parts = [f"M{_num(coords[0, 0])},{_num(coords[0, 1])}"]
    parts += [f"L{_num(x)},{_num(y)}" for x, y in coords[1:].tolist()]
    if closed:
        parts.append("Z")
    return " ".join(parts)


def _stroke_attrs(style: LineStyle) -> dict[str, str]:
    gray = round(255 * style.gray)
    attrs = {
        "fill": "none",
        "stroke": f"#{gray:02x}{gray:02x}{gray:02x}",
        "stroke-width": _num(style.width_mm),
        "stroke-linecap": "round",
        "stroke-linejoin": "round",
    }
    if style.dash_mm:
        attrs["stroke-dasharray"] = " ".join(_num(v) for v in style.dash_mm)
    return attrs


def _layer(parent: ET.Element, key: str, lang: str, transform: str | None) -> ET.Element:
    attrs = {
        f"{{{INKSCAPE_NS}}}groupmode": "layer",
        f"{{{INKSCAPE_NS}}}label": tr(key, lang),
        "id": key.rsplit(".", 1)[-1],
    }
    if transform:
        attrs["transform"] = transform
    return ET.SubElement(parent, f"{{{SVG_NS}}}g", attrs)


def _paths(layer: ET.Element, lines: Iterable[np.ndarray]) -> None:
    for points in lines:
        if len(points) > 1:
            ET.SubElement(layer, f"{{{SVG_NS}}}path", {"d": path_data(points)})


def stencil_svg(
    stencil: Stencil,
    lang: str = "en",
    *,
    mirror: bool | None = None,
    numbers: bool | None = None,
    legend: bool = False,
    name: str = "pyropattern",
) -> str:
    """Return the stencil as an SVG document.

    Parameters
    ----------
    stencil : Stencil
    lang : {"en", "id"}
        Language of layer names and legend text.
    mirror : bool, optional
        Flip the design left-right, numbers included; ``None`` follows the print settings.
    numbers : bool, optional
        Include the numbers layer; ``None`` follows ``settings.labels.show``.
    legend : bool
        Add a legend layer below the design (burn shade swatches 1..N); the page grows by
        its height, the design keeps its size.
    name : str
        Design name for the document title.

    Returns
    -------
    str
        UTF-8 SVG text, ``width``/``height`` in mm and a ``viewBox`` in mm.
    """
    lang = normalize_lang(lang)
    name = printable(name)  # a control character would make the document invalid XML
    settings = stencil.settings
    mirror = effective_mirror(settings.print) if mirror is None else mirror
    numbers = settings.labels.show if numbers is None else numbers
    styles = stroke_styles(settings.print)
    width, height = stencil.width_mm, stencil.height_mm
    page_height = height + (_LEGEND_ROW_MM * 1.5 if legend else 0.0)
    root = ET.Element(
        f"{{{SVG_NS}}}svg",
        {
            "width": f"{_num(width)}mm",
            "height": f"{_num(page_height)}mm",
            "viewBox": f"0 0 {_num(width)} {_num(page_height)}",
            "version": "1.1",
        },
    )
    ET.SubElement(root, f"{{{SVG_NS}}}title").text = tr(
        "print.header.title",
        lang,
        name=name,
        width=round(width, 1),
        height=round(height, 1),
        levels=len(stencil.regions.level_grays),
    )
    flip = f"matrix(-1 0 0 1 {_num(width)} 0)" if mirror else None

    boundaries = _layer(root, "print.layer.boundaries", lang, flip)
    boundaries.attrib.update(_stroke_attrs(styles.boundary))
    _paths(boundaries, (b.points for b in stencil.outlines.boundaries))

    burn_lines = _layer(root, "print.layer.burn_lines", lang, flip)
    for bold, style in ((False, styles.burn_fine), (True, styles.burn_bold)):
        group = ET.SubElement(burn_lines, f"{{{SVG_NS}}}g", _stroke_attrs(style))
        _paths(group, (p for p, b in zip(stencil.lines.paths, stencil.lines.bold, strict=True)
                       if b == bold))

    if numbers:
        layer = _layer(root, "print.layer.numbers", lang, flip)
        leaders = ET.SubElement(layer, f"{{{SVG_NS}}}g", _stroke_attrs(styles.leader))
        for label in stencil.labels.items:
            if not label.inside:
                start, end = leader_line(label)
                _paths(leaders, [np.array([start, end])])
        gray = round(255 * styles.number_gray)
        text_group = ET.SubElement(
            layer,
            f"{{{SVG_NS}}}g",
            {"font-family": SVG_FONT_FAMILY, "fill": f"#{gray:02x}{gray:02x}{gray:02x}"},
        )
        for label in stencil.labels.items:
            left, baseline, text_width, size = label_box(label)
            element = ET.SubElement(
                text_group,
                f"{{{SVG_NS}}}text",
                {
                    "x": _num(left + text_width / 2),
                    "y": _num(baseline),
                    "font-size": _num(size),
                    "text-anchor": "middle",
                },
            )
            element.text = str(label.number)

    if legend:
        layer = _layer(root, "print.layer.legend", lang, None)
        n = len(stencil.regions.level_grays)
        cell = min(_LEGEND_ROW_MM * 2.5, width / n)
        top = height + _LEGEND_ROW_MM * 0.5
        for level, shade in enumerate(stencil_shades(stencil)):
            x = level * cell
            ET.SubElement(
                layer,
                f"{{{SVG_NS}}}rect",
                {
                    "x": _num(x),
                    "y": _num(top),
                    "width": _num(cell),
                    "height": _num(_LEGEND_ROW_MM),
                    "fill": "#{:02x}{:02x}{:02x}".format(*shade),
                    "stroke": "#000000",
                    "stroke-width": "0.2",
                },
            )
            text = ET.SubElement(
                layer,
                f"{{{SVG_NS}}}text",
                {
                    "x": _num(x + cell / 2),
                    "y": _num(top + _LEGEND_ROW_MM * 0.68),
                    "font-size": _num(_LEGEND_ROW_MM * 0.5),
                    "font-family": SVG_FONT_FAMILY,
                    "text-anchor": "middle",
                    "fill": "#ffffff" if level >= n / 2 else "#000000",
                },
            )
            text.text = str(level + 1)

    frame = _layer(root, "print.layer.frame", lang, flip)
    frame.attrib.update(_stroke_attrs(styles.frame))
    _paths(frame, frame_paths(stencil, styles.frame.width_mm))

    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
