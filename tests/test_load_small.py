"""The load bench in miniature: three trainees at once on the classroom server (real browser).

The same code as ``bench/load.py`` (which runs 20 and reports timings); here only what must
hold: every session gets its own pattern, byte for byte, no error on a page or in the server
log, and a crafted link plus a 99 MP PNG in a fourth session break nothing for the others.
Timings are printed, never asserted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py, put on the path just above)

pytestmark = pytest.mark.browser


def test_three_trainees_and_a_hostile_one_each_get_their_own_pattern():
    if not Path(load.CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"no Chromium at {load.CHROMIUM} (CI=true)")
        pytest.skip(f"no Chromium at {load.CHROMIUM}")
    plans = [*load.plan_sessions(3, long_side=1200), *load.plan_sessions(0, hostile=True)]
    phase = load.run_phase("3 + 1 hostile", plans, slots=2, arrival_gap_s=0.0,
                           artifacts=ROOT / "test-artifacts" / "load-small")  # fmt: skip
    print("\n".join(load.report([phase])))
    assert not phase.problems(), phase.problems()
    for session in phase.sessions:
        assert set(session.seconds) == set(load.ACTIONS), session
