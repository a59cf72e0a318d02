"""The Photo and pattern view: the framed photo beside the stencil."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from .. import ui
from ..model import Stencil
from .images import stencil_view
from .session import say


def show_compare(
    stencil: Stencil, keys: ui.StageKeys, photo_name: str, photo_image: Callable[[], bytes]
) -> None:
    """Photo (turned and cropped as the stencil is) and stencil side by side.

    ``photo_name`` must be markdown-escaped already (captions render markdown).
    """
    left, right = st.columns(2)
    left.image(photo_image(), output_format="PNG", caption=photo_name)
    right.image(stencil_view(keys.stencil, stencil), output_format="PNG",
                caption=say("app.tab.stencil"))  # fmt: skip
