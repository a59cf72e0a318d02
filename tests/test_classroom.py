"""The classroom server's parts: the queue, the memory-bounded cache, ``make serve``."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from pyropattern import classroom, serve
from pyropattern.classroom import ComputeGate, MemoryCache, SlotNeeded, nbytes
from pyropattern.i18n import tr
from pyropattern.model import frozen_array

ROOT = Path(__file__).parents[1]


# --- the queue --------------------------------------------------------------------------------


def test_at_most_k_computations_run_at_once_and_the_rest_queue_in_order():
    gate = ComputeGate(2)
    running, most, finished, order = [0], [0], [], []
    lock = threading.Lock()
    reports: dict[int, list[int]] = {}

    def trainee(index: int) -> None:
        reports[index] = []
        with gate.slot(reports[index].append):
            with lock:
                running[0] += 1
                most[0] = max(most[0], running[0])
                order.append(index)
            time.sleep(0.4)
            with lock:
                running[0] -= 1
        finished.append(index)

    threads = []
    for index in range(6):
        threads.append(threading.Thread(target=trainee, args=(index,)))
        threads[-1].start()
        time.sleep(0.02)  # arrive one after another
    for thread in threads:
        thread.join()
    assert most[0] == 2
    assert order == list(range(6))  # first come, first served
    assert reports[0] == [] and reports[1] == []  # free slots: no waiting shown
    # Later arrivals saw their place (two ahead at most: two run, the rest wait in turn) and
    # only ever moved up the line.
    assert any(reports[index] and reports[index][0] >= 1 for index in range(2, 6))
    for index in range(2, 6):
        assert all(ahead <= 3 for ahead in reports[index])
        assert reports[index] == sorted(reports[index], reverse=True)
    assert gate.waiting() == 0


def test_a_waiting_session_that_is_stopped_leaves_the_line():
    gate = ComputeGate(1)
    release = threading.Event()

    def hold() -> None:
        with gate.slot():
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.05)

    class Rerun(Exception):
        pass

    def stop(ahead: int) -> None:
        raise Rerun  # Streamlit interrupts a session whose trainee moved a slider again

    with pytest.raises(Rerun):
        with gate.slot(stop):
            pass
    assert gate.waiting() == 0
    release.set()
    holder.join()
    with gate.slot(lambda ahead: pytest.fail("a free gate made someone wait")):
        assert gate.held()
    assert not gate.held()


def test_require_signals_a_missing_slot_and_slots_are_reentrant():
    gate = ComputeGate(1)
    with pytest.raises(SlotNeeded):
        gate.require()
    with gate.slot():
        gate.require()
        with gate.slot():  # a stage inside another stage's slot does not queue behind itself
            gate.require()
        assert gate.held()


def test_gate_and_cache_sizes_come_from_the_environment():
    assert classroom.gate_from_env({classroom.SLOTS_ENV: "3"}).slots == 3
    assert classroom.gate_from_env({}).slots >= 1
    assert classroom.cache_from_env({classroom.CACHE_MB_ENV: "64"}).max_bytes == 64 * 2**20
    with pytest.raises(ValueError):
        ComputeGate(0)


# --- the cache --------------------------------------------------------------------------------


def test_cache_is_bounded_by_bytes_and_drops_the_least_recently_used():
    cache = MemoryCache(max_bytes=3_000)
    made = []

    def block(name: str, size: int):
        def make():
            made.append(name)
            return np.zeros(size, np.uint8)

        return make

    cache.get_or_make("a", block("a", 1_000))
    cache.get_or_make("b", block("b", 1_000))
    cache.get_or_make("a", block("a", 1_000))  # a hit, and "a" is now the newest
    cache.get_or_make("c", block("c", 1_500))  # over budget: "b", the oldest, goes
    assert made == ["a", "b", "c"]
    assert "a" in cache and "c" in cache and "b" not in cache
    assert cache.total_bytes == 2_500
    too_big = cache.get_or_make("d", block("d", 5_000))  # returned, never kept
    assert too_big.size == 5_000 and "d" not in cache and cache.total_bytes == 2_500


def test_failures_are_not_cached():
    cache = MemoryCache(1_000)
    with pytest.raises(SlotNeeded):
        cache.get_or_make("x", lambda: (_ for _ in ()).throw(SlotNeeded()))
    assert "x" not in cache
    assert cache.get_or_make("x", lambda: b"ok") == b"ok"


def test_nbytes_counts_arrays_once_through_dataclasses_and_views():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Carrier:
        image: np.ndarray
        same: np.ndarray
        view: np.ndarray
        extra: tuple

    image = frozen_array(np.zeros((100, 100), np.float32))
    carrier = Carrier(image, image, image[::2], (b"12345", 3.0, "name"))
    assert nbytes(carrier) == 40_000 + 5


# --- make serve -------------------------------------------------------------------------------


def test_serve_listens_on_the_room_network_with_the_classroom_limits():
    command = serve.streamlit_command(8123, 20)
    options = dict(zip(command[3::2], command[4::2], strict=True))
    assert options["--server.address"] == "0.0.0.0"
    assert options["--server.port"] == "8123"
    assert options["--server.maxUploadSize"] == "20"
    assert options["--server.headless"] == "true"


def test_serve_prints_the_address_for_the_class():
    lines = serve.announcement(8501, ["192.168.1.20"], "id")
    assert lines[0] == tr("classroom.serve.address", "id")
    assert "    http://192.168.1.20:8501" in lines
    assert "8501" in serve.announcement(8501, [], "en")[0]
    assert all(not address.startswith("127.") for address in serve.room_addresses())


def test_make_run_stays_local_and_make_serve_uses_the_serve_module():
    makefile = (ROOT / "Makefile").read_text()
    run_recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "--server.address 127.0.0.1" in run_recipe
    serve_recipe = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "pyropattern.serve" in serve_recipe
    assert "make serve" in (ROOT / "README.md").read_text()
