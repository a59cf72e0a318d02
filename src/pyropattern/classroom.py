"""Sharing one server between a class: a queue for image work and caches bounded by memory.

A classroom server has a couple of cores and 20–30 trainees. Left alone, every session
computes at once and each gets slower than if they had queued (8–10 sessions on 2 cores took
a median 6.5 s per levels change, 1.4 s alone), and caches bounded by entry count either
thrash (each trainee has their own photo) or grow with the largest photos. So:

- :class:`ComputeGate` lets at most ``slots`` image computations run at once; the others wait
  in arrival order and learn how many are ahead of them.
- :class:`MemoryCache` keeps stage results up to a number of bytes, least recently used
  dropped first.

Both are plain Python (threads, no Streamlit), so they are tested directly; the app creates
one of each per server process from the environment that ``make serve`` sets
(:func:`gate_from_env`, :func:`cache_from_env`).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

SLOTS_ENV = "PYROPATTERN_SLOTS"  # image computations at once
CACHE_MB_ENV = "PYROPATTERN_CACHE_MB"  # memory for cached stage results, MB
DEFAULT_CACHE_MB = 1024  # ≈ 20 trainees' current stencils (≈ 45 MB each at 1600 px) and more
WAIT_POLL_S = 0.5  # how often a waiting session re-reads its place (and can be interrupted)


class SlotNeeded(Exception):  # a signal to the caller, not an error
    """A stage has to compute and this thread holds no slot of the :class:`ComputeGate`."""


class ComputeGate:
    """At most ``slots`` computations at once; the rest queue first come, first served.

    Cached stages call :meth:`require` before computing. The caller first runs its stages
    without a slot, so a result every stage already has costs no waiting; when one must
    compute it raises :class:`SlotNeeded`, and the caller runs them again inside
    :meth:`slot`, which reports the place in the queue while it waits.

    Parameters
    ----------
    slots : int
        Computations allowed at once (the number of cores is a good choice: the stages are
        mostly numpy and OpenCV, each busy on one core most of the time).
    """

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        self.slots = slots
        self._condition = threading.Condition()
        self._queue: deque[object] = deque()
        self._running = 0
        self._holder = threading.local()

    def held(self) -> bool:
        """True when the calling thread holds a slot."""
        return getattr(self._holder, "held", False)

    def require(self) -> None:
        """Raise :class:`SlotNeeded` unless the calling thread holds a slot."""
        if not self.held():
            raise SlotNeeded

    def waiting(self) -> int:
        """Computations waiting for a slot now."""
        with self._condition:
            return len(self._queue)

    @contextmanager
    def slot(self, on_wait: Callable[[int], None] | None = None) -> Iterator[None]:
        """Hold a slot for the body; wait in line for one first if all are taken.

        Parameters
        ----------
        on_wait : callable, optional
            Called with the number of computations ahead in the line (0 = next), right away
            and then every :data:`WAIT_POLL_S` while waiting; never called when a slot is
            free at once. An exception it raises (Streamlit stopping a rerun) gives up the
            place in the line and propagates.
        """
        if self.held():  # re-entrant: a stage computing inside another's slot
            yield
            return
        ticket = object()
        with self._condition:
            self._queue.append(ticket)
        try:
            while True:
                with self._condition:
                    ahead = self._queue.index(ticket)
                    if ahead == 0 and self._running < self.slots:
                        self._queue.popleft()
                        self._running += 1
                        break
                if on_wait is not None:
                    on_wait(ahead)
                with self._condition:
                    self._condition.wait(WAIT_POLL_S)
        except BaseException:
            with self._condition:
                if ticket in self._queue:
                    self._queue.remove(ticket)
                self._condition.notify_all()
            raise
        self._holder.held = True
        try:
            yield
        finally:
            self._holder.held = False
            with self._condition:
                self._running -= 1
                self._condition.notify_all()


def nbytes(value: Any, _seen: set[int] | None = None) -> int:
    """Approximate memory held by ``value``: its arrays and bytes, through dataclasses and
    containers; an object reached twice counts once, scalars count nothing."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        base = value.base if isinstance(value.base, np.ndarray) else None
        return nbytes(base, seen) if base is not None else value.nbytes
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(nbytes(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return sum(nbytes(item, seen) for item in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return sum(nbytes(item, seen) for item in value)
    return 0


class MemoryCache:
    """A thread-safe least-recently-used cache bounded by the bytes its values hold.

    Values are shared, not copied, so they must not be changed (the stages return frozen
    dataclasses of read-only arrays). A value larger than the whole budget is returned but
    not kept.

    Parameters
    ----------
    max_bytes : int
        Budget for all values together, as :func:`nbytes` counts them.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._total = 0

    @property
    def total_bytes(self) -> int:
        """Bytes held now."""
        return self._total

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._entries

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        """Return the value cached under ``key``, or ``make()`` it, keep it and return it.

        ``make`` runs without the lock held, so two threads missing the same key may both
        make it; the second result replaces the first.
        """
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        value = make()
        size = nbytes(value)
        with self._lock:
            if key in self._entries:
                self._total -= self._entries.pop(key)[1]
            if size <= self.max_bytes:
                self._entries[key] = (value, size)
                self._total += size
                while self._total > self.max_bytes:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self._total -= dropped
        return value

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()
            self._total = 0


def gate_from_env(environ: dict[str, str] | None = None) -> ComputeGate:
    """The gate for this server: :data:`SLOTS_ENV` slots, else one per core."""
    environ = dict(os.environ) if environ is None else environ
    slots = environ.get(SLOTS_ENV)
    return ComputeGate(int(slots) if slots else max(1, os.cpu_count() or 1))


def cache_from_env(environ: dict[str, str] | None = None) -> MemoryCache:
    """The stage cache for this server: :data:`CACHE_MB_ENV` MB, else :data:`DEFAULT_CACHE_MB`."""
    environ = dict(os.environ) if environ is None else environ
    megabytes = int(environ.get(CACHE_MB_ENV) or DEFAULT_CACHE_MB)
    return MemoryCache(megabytes * 2**20)
