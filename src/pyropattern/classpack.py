"""Class packs: many photos → one print-ready pack (a PDF, or a ZIP of PDF + SVG per photo).

Each photo is made in its own process, up to the number of processor cores: a stencil is
CPU-bound numpy/OpenCV work that holds the GIL for long stretches, so threads would not
overlap it (``bench/classpack.py`` measures 1 against 2 processes). A photo that fails is
kept as a result with its one-line reason; the others still come out.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import cv2
from pypdf import PdfWriter
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from .blanks import Blank, make_blank_stencil
from .difficulty import format_burn_time, rate_difficulty
from .errors import PyropatternError
from .export.flow import build_document, styles, text
from .export.pdf import printed_tiles, stencil_pdf
from .export.svg import stencil_svg
from .export.tiling import plan_tiles
from .i18n import Message, tr
from .load import UPLOAD_EXTENSIONS, load_photo
from .pipeline import make_stencil
from .settings import Settings

Source = str | bytes  # a file path, or the photo's bytes (app uploads)


@dataclass(frozen=True)
class PackJob:
    """One photo of the pack."""

    name: str  # shown in the summary and used for file names, e.g. "cat.jpg"
    source: Source


@dataclass(frozen=True)
class PackResult:
    """What became of one photo: its files and figures, or why it failed."""

    name: str
    error: Message | None = None  # the one-line reason when the photo failed
    score: float = 0.0
    band: str = ""
    burn_minutes: float = 0.0
    sheets: int = 0
    pdf: bytes = b""
    svg: bytes = b""

    @property
    def ok(self) -> bool:
        """True when the pattern was made."""
        return self.error is None


def find_photos(paths: Iterable[str | Path]) -> list[PackJob | PackResult]:
    """Expand folders into the photos they hold (by extension, sorted by name).

    A folder without photos becomes a failed :class:`PackResult` saying so, so it is
    listed with the other failures rather than silently ignored. Files are taken as given:
    whether they are photos is for the loader to say.
    """
    found: list[PackJob | PackResult] = []
    for path in map(Path, paths):
        if path.is_dir():
            photos = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower().lstrip(".") in UPLOAD_EXTENSIONS
            )  # fmt: skip
            if not photos:
                found.append(PackResult(path.name, Message("cli.error.no_photos",
                                                           {"path": str(path)})))  # fmt: skip
            found += [PackJob(p.name, str(p)) for p in photos]
        else:
            found.append(PackJob(path.name, str(path)))
    return found


def make_entry(
    job: PackJob, settings: Settings, lang: str, blank: Blank | None = None, svg: bool = False
) -> PackResult:
    """Make one photo's pattern files; any failure becomes a result with its reason.

    Top-level (picklable), so it runs in a worker process.
    """
    try:
        photo = load_photo(job.source, target_long_side=settings.prepare.working_px)
        if blank is None:
            stencil = make_stencil(photo, settings)
        else:
            stencil = make_blank_stencil(photo, settings, blank)
        difficulty = rate_difficulty(stencil)
        title = Path(job.name).stem
        pdf = stencil_pdf(stencil, lang, name=title)
        plan = plan_tiles(stencil.width_mm, stencil.height_mm, stencil.settings.print)
        return PackResult(
            name=job.name,
            score=difficulty.score,
            band=difficulty.band,
            burn_minutes=difficulty.burn_minutes,
            sheets=len(printed_tiles(stencil, plan)),
            pdf=pdf,
            svg=stencil_svg(stencil, lang, legend=True, name=title).encode() if svg else b"",
        )
    except PyropatternError as exc:
        return PackResult(job.name, exc.message)
    except MemoryError:
        return PackResult(job.name, Message("cli.error.memory"))
    except Exception as exc:  # a bug: still one line for this photo, the others go on
        return PackResult(job.name, Message("cli.error.unexpected", {"kind": type(exc).__name__}))


def _one_thread_each() -> None:
    # OpenCV spreads its filters over every core by default; with one process per core that
    # oversubscribes them and the processes wait on each other.
    cv2.setNumThreads(1)


def _executor(processes: int) -> Executor:
    # A fork server, never a plain fork: forking a process whose OpenCV thread pool has run
    # can hang the child (it did, in the test suite, once AppTest had made patterns in the
    # same process), and the app's server has threads of its own. The server imports this
    # module once, so each worker starts with the engine loaded.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_one_thread_each
    )


def run_pack(
    items: Sequence[PackJob | PackResult],
    settings: Settings,
    *,
    lang: str = "en",
    blank: Blank | None = None,
    svg: bool = False,
    processes: int | None = None,
    on_result: Callable[[int, int, PackResult], None] | None = None,
) -> list[PackResult]:
    """Make every photo's pattern, one process per photo up to ``processes``.

    Parameters
    ----------
    items : sequence
        From :func:`find_photos` (already failed entries pass straight through).
    settings : Settings
        Applied to every photo (a preset with the class's print settings).
    lang : {"en", "id"}
    blank : Blank, optional
        Fit every design to this product blank.
    svg : bool
        Also make each photo's SVG (for a ZIP pack).
    processes : int, optional
        Photos made at once; default the number of cores. 1 runs in this process.
    on_result : callable, optional
        Called as ``on_result(done, total, result)`` as each photo finishes (progress bars).

    Returns
    -------
    list of PackResult
        In the order of ``items``.
    """
    total = len(items)
    results: list[PackResult | None] = [
        item if isinstance(item, PackResult) else None for item in items
    ]
    done = 0

    def finish(index: int, result: PackResult) -> None:
        nonlocal done
        results[index] = result
        done += 1
        if on_result is not None:
            on_result(done, total, result)

    for index, item in enumerate(items):
        if isinstance(item, PackResult):
            finish(index, item)
    todo = [(i, item) for i, item in enumerate(items) if isinstance(item, PackJob)]
    workers = max(1, min(processes or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        for index, job in todo:
            finish(index, make_entry(job, settings, lang, blank, svg))
        return [r for r in results if r is not None]
    with _executor(workers) as pool:
        futures = {
            pool.submit(make_entry, job, settings, lang, blank, svg): (index, job)
            for index, job in todo
        }
        for future in as_completed(futures):
            index, job = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:  # a worker died (e.g. killed for memory)
                result = PackResult(job.name, Message("cli.error.memory"))
            finish(index, result)
    return [r for r in results if r is not None]


def summary_rows(results: Sequence[PackResult], lang: str) -> list[list[str]]:
    """The summary table, header first: photo, difficulty, burn time, sheets, result."""
    rows = [[tr(f"select.column.{c}", lang) for c in ("photo", "difficulty", "time", "sheets",
                                                       "status")]]  # fmt: skip
    for result in results:
        if result.ok:
            rows.append([
                result.name,
                tr("select.badge", lang, band=tr(f"select.band.{result.band}", lang),
                   score=round(result.score)),
                format_burn_time(result.burn_minutes, lang),
                str(result.sheets),
                tr("select.status.ok", lang),
            ])  # fmt: skip
        else:
            reason = result.error.text(lang) if result.error else ""
            rows.append([result.name, "", "", "", tr("select.status.failed", lang, reason=reason)])
    return rows


def _summary_pdf(results: Sequence[PackResult], settings: Settings, lang: str, style: str) -> bytes:
    s = styles()
    ok = [r for r in results if r.ok]
    cells = [[text(cell, s.small) for cell in row] for row in summary_rows(results, lang)]
    table = Table(
        cells,
        colWidths=[45 * mm, 38 * mm, 28 * mm, 16 * mm, None],
        repeatRows=1,
        style=TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, (0.6, 0.6, 0.6)),
            ("BACKGROUND", (0, 0), (-1, 0), (0.9, 0.9, 0.9)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]),
    )  # fmt: skip
    story = [
        text(tr("select.pack.title", lang, count=len(ok)), s.title),
        text(tr("select.pack.subtitle", lang, preset=style), s.body),
        Spacer(1, 5 * mm),
        table,
    ]
    return build_document(
        story,
        print_settings=settings.print,
        title=tr("select.pack.title", lang, count=len(ok)),
        footer=lambda page: tr("select.pack.title", lang, count=len(ok)),
    )


def pack_pdf(results: Sequence[PackResult], settings: Settings, lang: str, style: str) -> bytes:
    """One PDF: the summary page(s), then every good photo's stencil PDF in order."""
    writer = PdfWriter()
    writer.append(io.BytesIO(_summary_pdf(results, settings, lang, style)))
    for result in results:
        if result.ok:
            writer.append(io.BytesIO(result.pdf))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _unique_stems(results: Sequence[PackResult]) -> list[str]:
    seen: dict[str, int] = {}
    stems = []
    for result in results:
        stem = Path(result.name).stem or "photo"
        seen[stem] = seen.get(stem, 0) + 1
        stems.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return stems


def pack_zip(results: Sequence[PackResult], settings: Settings, lang: str, style: str) -> bytes:
    """A ZIP: ``summary.pdf`` and, per good photo, ``NAME.pdf`` and ``NAME.svg``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("summary.pdf", _summary_pdf(results, settings, lang, style))
        for stem, result in zip(_unique_stems(results), results, strict=True):
            if result.ok:
                archive.writestr(f"{stem}.pdf", result.pdf)
                if result.svg:
                    archive.writestr(f"{stem}.svg", result.svg)
    return buffer.getvalue()
