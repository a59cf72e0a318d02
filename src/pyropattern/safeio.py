"""Reading and writing files so that nothing is lost and nothing runs away.

Reads take at most a stated number of bytes from anything a path can name (a file, a pipe, a
device such as ``/dev/zero``) and never block for long: the size in ``st_size`` is 0 for pipes
and devices, so it cannot be the guard. Writes go to a temporary file in the destination's
folder and are renamed into place, so a full disk or a crash leaves the previous file whole.
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

READ_TIMEOUT_S = 5.0  # a pipe that sends nothing for this long is given up on
_CHUNK = 1 << 20  # bytes per read call

ReadProblem = Literal["missing", "too_large", "stalled", "unreadable"]


class ReadRefused(Exception):
    """A bounded read gave up; ``problem`` says why, for the caller's own message."""

    def __init__(self, problem: ReadProblem, path: Path) -> None:
        super().__init__(f"{problem}: {path}")
        self.problem = problem
        self.path = path


def read_limited(path: str | os.PathLike[str], max_bytes: int,
                 timeout_s: float = READ_TIMEOUT_S) -> bytes:
    """Return the bytes of ``path``, reading at most ``max_bytes + 1`` of them.

    Parameters
    ----------
    path : str or path-like
        A regular file, a pipe (FIFO) or a character device.
    max_bytes : int
        Largest content accepted. One byte more is read to tell "exactly the limit" from
        "more"; a regular file whose size is known to be larger is refused without reading.
    timeout_s : float
        A pipe with no writer reads as empty at once; one whose writer stays silent is
        given up on after this many seconds instead of hanging.

    Raises
    ------
    ReadRefused
        ``problem`` is ``"missing"`` (no such file, or a folder), ``"too_large"``,
        ``"stalled"`` (a pipe that stopped sending) or ``"unreadable"`` (permissions, I/O).
    """
    path = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO without a writer would otherwise block forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        raise ReadRefused("missing", path) from exc
    except OSError as exc:
        raise ReadRefused("unreadable", path) from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadRefused("missing", path)
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise ReadRefused("too_large", path)
        data = _read_until(fd, max_bytes + 1, time.monotonic() + timeout_s, path)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise ReadRefused("too_large", path)
    return data


def _read_until(fd: int, limit: int, deadline: float, path: Path) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        try:
            chunk = os.read(fd, min(_CHUNK, limit - total))
        except BlockingIOError:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise ReadRefused("stalled", path) from None
            continue
        except OSError as exc:
            raise ReadRefused("unreadable", path) from exc
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def same_file(first: str | os.PathLike[str], second: str | os.PathLike[str]) -> bool:
    """True when both paths name one file: the same path, a symlink to it or a hard link.

    A path that does not exist yet is compared by its resolved location.
    """
    a, b = Path(first), Path(second)
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)  # same device and inode: symlinks and hard links too
    return a.resolve() == b.resolve()


def write_atomically(files: Iterable[tuple[str | os.PathLike[str], bytes]]) -> None:
    """Write every ``(path, data)`` pair, or none of them.

    Each file is first written in full to a temporary file in its destination folder and
    flushed to disk; only when all are written are they renamed into place (``os.replace``
    is atomic on one file system). A full disk or a missing folder leaves every existing
    file as it was and no temporary file behind. A symlinked destination is written through
    to the file it points at. New files get the usual permissions (``0o666`` less umask);
    replaced files keep theirs.

    Raises
    ------
    OSError
        From the first write or rename that fails; its ``filename`` is the destination as
        given (not the temporary file), for the message.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            target = Path(path).resolve()
            try:
                handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                                suffix=".part")  # fmt: skip
                staged.append((temp, target))
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(temp, _mode_for(target))
            except OSError as exc:
                exc.filename = os.fspath(path)
                raise
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
