"""Layered SVG: millimetre size, named layers, one path per border, mirroring."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from _export_fixtures import make_test_stencil

from pyropattern.export.svg import path_data, stencil_svg
from pyropattern.render import stroke_styles

NS = {"svg": "http://www.w3.org/2000/svg"}
LABEL = "{http://www.inkscape.org/namespaces/inkscape}label"
MODE = "{http://www.inkscape.org/namespaces/inkscape}groupmode"


@pytest.fixture(scope="module")
def stencil():
    return make_test_stencil(200.0, 150.0)


def _layers(root):
    return {g.get(LABEL): g for g in root.findall("svg:g", NS) if g.get(MODE) == "layer"}


def test_svg_size_in_mm_and_viewbox(stencil):
    root = ET.fromstring(stencil_svg(stencil))
    assert root.get("width") == "200mm"
    assert root.get("height") == "150mm"
    assert root.get("viewBox") == "0 0 200 150"


def test_svg_named_layers_in_the_users_language(stencil):
    english = _layers(ET.fromstring(stencil_svg(stencil, "en", legend=True)))
    assert set(english) == {"Tone boundaries", "Burn lines", "Numbers", "Legend", "Frame"}
    indonesian = _layers(ET.fromstring(stencil_svg(stencil, "id")))
    assert set(indonesian) == {"Garis tepi bidang", "Garis bakar", "Nomor bidang", "Bingkai"}


def test_svg_one_path_per_boundary(stencil):
    layers = _layers(ET.fromstring(stencil_svg(stencil)))
    paths = layers["Tone boundaries"].findall("svg:path", NS)
    assert len(paths) == len(stencil.outlines.boundaries) == 2
    assert paths[0].get("d") == "M100,0 L100,150"
    assert paths[1].get("d").endswith("Z")
    fine, bold = layers["Burn lines"].findall("svg:g", NS)
    assert len(fine.findall("svg:path", NS)) == 1 and not bold.findall("svg:path", NS)
    styles = stroke_styles(stencil.settings.print)
    assert float(fine.get("stroke-width")) == pytest.approx(styles.burn_fine.width_mm)
    assert fine.get("stroke-dasharray") is None


def test_svg_numbers(stencil):
    layers = _layers(ET.fromstring(stencil_svg(stencil)))
    texts = [t.text for t in layers["Numbers"].iter("{http://www.w3.org/2000/svg}text")]
    assert sorted(texts) == ["1", "3", "5"]
    assert "Numbers" not in _layers(ET.fromstring(stencil_svg(stencil, numbers=False)))


def test_svg_mirror_transforms_every_design_layer(stencil):
    layers = _layers(ET.fromstring(stencil_svg(stencil, mirror=True)))
    for name in ("Tone boundaries", "Burn lines", "Numbers", "Frame"):
        assert layers[name].get("transform") == "matrix(-1 0 0 1 200 0)"
    plain = _layers(ET.fromstring(stencil_svg(stencil)))
    assert plain["Frame"].get("transform") is None


def test_svg_legend_grows_the_page_not_the_design(stencil):
    root = ET.fromstring(stencil_svg(stencil, legend=True))
    assert root.get("width") == "200mm"
    assert float(root.get("height").removesuffix("mm")) > 150


def test_path_data_rounds_to_micrometres():
    assert path_data(np.array([[0.12345, 1.0], [2.5, 3.0004]])) == "M0.123,1 L2.5,3"
