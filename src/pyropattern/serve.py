"""``make serve``: the app for a whole class on the room's network.

Binds every interface (``0.0.0.0``) on a chosen port, caps uploads, sets how many image
computations run at once and how much memory the stage cache may hold, prints the address to
write on the board, then runs Streamlit in this process's place. ``make run`` stays local.

Usage: ``python -m pyropattern.serve [--port 8501] [--slots 2] [--upload-mb 20] [--cache-mb
1024] [--lang id]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from .classroom import CACHE_MB_ENV, DEFAULT_CACHE_MB, SLOTS_ENV
from .i18n import normalize_lang, tr

DEFAULT_PORT = 8501
# A phone photo is 2–8 MB; 20 MB leaves room for a scan while thirty trainees uploading at
# once stay far from the server's memory (the loader's own cap is 50 MB).
DEFAULT_UPLOAD_MB = 20
APP = Path(__file__).resolve().parents[2] / "app.py"


def room_addresses() -> list[str]:
    """This computer's IPv4 addresses that other machines on the network can reach.

    Asks the routing table which local address would reach another network (a UDP
    ``connect`` sends nothing, so this works offline) and adds the host name's addresses;
    loopback addresses are left out.
    """
    found: list[str] = []
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((probe, 1))
            found.append(s.getsockname()[0])
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    return [a for a in dict.fromkeys(found) if not a.startswith(("127.", "0."))]


def streamlit_command(
    port: int, upload_mb: int, app: Path = APP, address: str = "0.0.0.0"
) -> list[str]:
    """The ``streamlit run`` command line of a classroom server (``address`` 127.0.0.1 for a
    load test on this machine alone)."""
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    return [
        streamlit, "run", str(app),
        "--server.address", address,
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.maxUploadSize", str(upload_mb),
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pyropattern.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--address", default="0.0.0.0",
                        help="interface to listen on (default: every one, for the room)")
    parser.add_argument("--slots", type=int, default=max(1, os.cpu_count() or 1),
                        help="image computations at once (default: one per core)")
    parser.add_argument("--upload-mb", type=int, default=DEFAULT_UPLOAD_MB)
    parser.add_argument("--cache-mb", type=int, default=DEFAULT_CACHE_MB)
    parser.add_argument("--lang", default=os.environ.get("LANG"))
    return parser


def announcement(port: int, addresses: Sequence[str], lang: str) -> list[str]:
    """The lines printed for the instructor: the address(es) to give the trainees."""
    if not addresses:
        return [tr("classroom.serve.no_network", lang, port=str(port))]  # not "8,501"
    lines = [tr("classroom.serve.address", lang)]
    lines += [f"    http://{address}:{port}" for address in addresses]
    lines.append(tr("classroom.serve.stop", lang))
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Print the address for the class and replace this process with the Streamlit server."""
    args = build_parser().parse_args(argv)
    lang = normalize_lang(args.lang)
    if not 1 <= args.port <= 65535 or args.slots < 1 or args.upload_mb < 1 or args.cache_mb < 64:
        sys.exit(tr("classroom.serve.bad_option", lang))
    addresses = room_addresses() if args.address == "0.0.0.0" else [args.address]
    print("\n".join(announcement(args.port, addresses, lang)), flush=True)
    environ = {**os.environ, SLOTS_ENV: str(args.slots), CACHE_MB_ENV: str(args.cache_mb)}
    command = streamlit_command(args.port, args.upload_mb, address=args.address)
    os.execvpe(command[0], command, environ)


if __name__ == "__main__":
    main()
