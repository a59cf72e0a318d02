"""The page's side of the classroom server: one queue for image work, one stage cache.

Every stage result and preview lives in one cache per server process bounded by memory
(:class:`~pyropattern.classroom.MemoryCache`), not by entry count: with 20 trainees each on
their own photo, a per-stage count of 4–8 entries made every rerun recompute from the photo.
Results are frozen dataclasses whose arrays are all read-only, so every session shares the
same object (``st.cache_data`` would copy 20 MB per hit). A stage that has to compute first
takes one of the server's slots (:class:`~pyropattern.classroom.ComputeGate`): see
:func:`gated`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from ..classroom import ComputeGate, MemoryCache, SlotNeeded, cache_from_env, gate_from_env
from ..load import MAX_BYTES
from .session import say

T = TypeVar("T")


@st.cache_resource
def server_gate() -> ComputeGate:
    """The one queue for image work in this server process (slots from the environment)."""
    return gate_from_env()


@st.cache_resource
def stage_cache() -> MemoryCache:
    """The one stage cache of this server process (its budget from the environment)."""
    return cache_from_env()


def cached(key: tuple[str, ...], make: Callable[[], T]) -> T:
    """``make()`` once per key; computing needs a slot of the gate (else SlotNeeded)."""

    def compute() -> T:
        server_gate().require()
        return make()

    return stage_cache().get_or_make(key, compute)


def gated(make: Callable[[], T]) -> T:
    """Run ``make`` (which reads cached stages); if a stage must compute, queue for a slot.

    The first try costs nothing when every stage is cached. Otherwise the session waits its
    turn with its place in the line on screen, then a spinner shows while it computes, so
    nobody looks at an old stencil wondering whether anything is happening.
    """
    # Always drawn, even when nothing waits: elements after it keep their place on the page,
    # so a fast rerun does not leave the slow one's elements showing twice while it runs.
    notice = st.empty()
    try:
        return make()
    except SlotNeeded:
        pass

    def show_place(ahead: int) -> None:
        key = "classroom.waiting" if ahead else "classroom.waiting_next"
        notice.info(say(key, ahead=ahead), icon=":material/hourglass_top:")

    with server_gate().slot(show_place):
        with notice.container(), st.spinner(say("classroom.working")):
            result = make()
    notice.empty()
    return result


def upload_limit() -> int:
    """Largest upload in bytes: the loader's cap, or the server's lower one (``make serve``)."""
    return min(MAX_BYTES, int(st.get_option("server.maxUploadSize")) * 2**20)
