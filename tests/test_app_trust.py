"""Issue 8 in the app: hostile links and settings files, plain-text messages, the queue.

Regression tests for defects #2–#5 as a trainee's browser meets them (AppTest), and the
classroom queue as the page uses it.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
import streamlit as st
from awkward_files import bmp_card
from streamlit.testing.v1 import AppTest

from pyropattern import classroom
from pyropattern.i18n import tr
from pyropattern.settings import Settings
from pyropattern.views import classroom as page_classroom

APP = str(Path(__file__).parents[1] / "app.py")
PHOTO_UPLOADER, SETTINGS_UPLOADER = 0, 1


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


# The rest of the links (1e999, Infinity, …) meet the same schema in test_trust.py.
def opened_without_settings() -> Settings:
    """What a link with no settings opens with: the default sample, its preset, fitted."""
    return start().session_state["good.settings"]


HOSTILE_LINKS = [
    {"tones.levels": "NaN"},
    {"prepare.crop": '["a",0,1,1]'},
    {"prepare.crop": "[" * 5000 + "]" * 5000},
    {"tones.method": "[Log in again here](http://evil.example/login)"},
]


@pytest.mark.parametrize("query", HOSTILE_LINKS, ids=lambda q: next(iter(q.values()))[:24])
def test_2_4_hostile_link_gives_one_plain_line_and_is_cleared(query):
    at = start({**query, "lang": "id"})
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    message = at.error[0].value
    # Plain text: no live link or image syntax survives (every bracket is escaped).
    assert "](" not in message and "![" not in message
    assert at.session_state["good.settings"] == opened_without_settings()
    assert at.session_state["good.stencil"][0].regions.count > 1  # the page works
    # The bad value is gone from the URL, so a reload does not fail again.
    key = next(iter(query))
    assert key not in at.query_params
    reloaded = start(dict(at.query_params))
    assert not reloaded.exception and not reloaded.error


def test_5_link_cannot_set_a_hidden_setting():
    at = start({"prepare.working_px": "6000", "tones.levels": "4"})
    assert len(at.error) == 1 and "working\\_px" in at.error[0].value
    assert at.session_state["good.settings"].prepare.working_px == 1600


@pytest.mark.parametrize(
    ("document", "named"),
    [
        ('{"tones":{"levels":NaN}}', "tones\\.levels"),
        ('{"tones":{"method":"[x](http://evil.example)"}}', "tones\\.method"),
        ("[" * 5000, "settings file could not be read"),
    ],
)
def test_3_hostile_settings_file_gives_one_line_naming_the_setting(document, named):
    at = start()
    at.slider(key="tones.levels").set_value(4).run()
    before = at.session_state["good.settings"]
    upload = ("evil.json", document.encode(), "application/json")
    at.file_uploader[SETTINGS_UPLOADER].set_value(upload).run()
    assert not at.exception
    assert len(at.error) == 1 and named in at.error[0].value
    assert "](" not in at.error[0].value
    assert at.session_state["good.settings"] == before


def test_4_uploaded_file_name_is_shown_as_typed():
    _, data, mime = bmp_card()
    hostile = "[Log in](http://evil.example)\n=====<b>x</b>.bmp"
    at = start()
    at.file_uploader[PHOTO_UPLOADER].set_value((hostile, data, mime)).run()
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "\\[Log in\\]\\(http\\:" in captions and "\n=" not in captions


def test_settings_file_keeps_hidden_settings_it_may_set():
    # A settings file is the instructor's own: it may set what links may not.
    at = start()
    upload = ("mine.json", json.dumps({"print": {"dpi": 600}}).encode(), "application/json")
    at.file_uploader[SETTINGS_UPLOADER].set_value(upload).run()
    assert not at.error and at.session_state["good.settings"].print.dpi == 600


class RecordingGate(classroom.ComputeGate):
    """A gate that remembers the places in line it reported."""

    def __init__(self, slots: int) -> None:
        super().__init__(slots)
        self.reported: list[int] = []

    def slot(self, on_wait=None):
        def record(ahead: int) -> None:
            self.reported.append(ahead)
            if on_wait is not None:
                on_wait(ahead)

        return super().slot(record)


def test_a_session_waits_its_turn_while_the_server_is_busy(monkeypatch):
    gate = RecordingGate(1)
    monkeypatch.setattr(page_classroom, "gate_from_env", lambda: gate)
    monkeypatch.setattr(page_classroom, "cache_from_env", lambda: classroom.MemoryCache(2**30))
    st.cache_resource.clear()  # the app's gate and cache are per process
    busy = threading.Event()

    def other_trainee() -> None:
        with gate.slot():
            busy.set()
            time.sleep(1.5)

    thread = threading.Thread(target=other_trainee)
    thread.start()
    busy.wait()
    try:
        started = time.perf_counter()
        at = start()
        waited = time.perf_counter() - started
    finally:
        thread.join()
        st.cache_resource.clear()
    assert not at.exception and not at.error
    assert at.session_state["good.stencil"][0].regions.count > 1
    assert gate.reported and gate.reported[0] == 0  # "you are next" while the other computes
    assert waited >= 1.0
    # Cached now: the same page again computes nothing, so it never queues.
    gate.reported.clear()
    at.run()
    assert gate.reported == []


def test_waiting_message_in_both_languages():
    assert tr("classroom.waiting", "en", ahead=2) == (
        "Waiting for the server: 2 ahead of you. Your pattern will appear here."
    )
    assert "2 antrean di depan Anda" in tr("classroom.waiting", "id", ahead=2)
