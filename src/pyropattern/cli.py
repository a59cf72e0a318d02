"""Command line: ``pyropattern make PHOTO -o stencil.pdf --paper A4 --width-mm 300``.

Without ``--width-mm`` (and without a settings file that gives the width) the design is the
widest that fits one sheet of ``--paper``, as in the app. ``--contents pattern|key|full`` and
``--copies N`` choose what the PDF holds; the summary states its exact page count.

Flags stay English; help and every message come from the translation table in the language
chosen by ``--lang`` or the ``LANG`` environment variable. Whatever goes wrong ends with
exactly one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .blanks import get_blank, make_blank_stencil, shipped_blanks
from .classpack import PackResult, find_photos, pack_pdf, pack_zip, run_pack, summary_rows
from .difficulty import BANDS, band_name_key, report_dict
from .errors import PyropatternError
from .export.pdf import CONTENTS, MAX_COPIES, pdf_page_count, printed_tiles, stencil_pdf
from .export.png import stencil_png, tones_png
from .export.svg import stencil_svg
from .export.tiling import one_sheet_width_mm, plan_tiles
from .export.worksheet import MAX_CANDIDATES, Candidate, worksheet_pdf
from .i18n import format_number, normalize_lang, tr
from .load import load_photo, shown_file_name
from .model import Stencil
from .pipeline import make_stencil
from .plaintext import printable
from .prepare import orient_and_crop
from .presets import PRESETS, apply_preset, preset_name_key
from .render import design_shape_px
from .safeio import ReadRefused, read_limited, same_file, write_atomically
from .settings import (
    BACKGROUNDS,
    MAX_SETTINGS_BYTES,
    ORIENTATIONS,
    PAPERS,
    TONE_METHODS,
    TRANSFER_METHODS,
    Settings,
    SettingsError,
    settings_from_flat,
    settings_from_json,
)
from .teach import cli as teach_cli

EXIT_USAGE = 2  # the command line itself is wrong
EXIT_FAILED = 1  # the photo, the settings or the output file is wrong

OUTPUT_TYPES = (".svg", ".png", ".pdf")
BLANKS = tuple(shipped_blanks())

# Numeric flags: (flag, settings key, is integer). Parsed by hand so "1,5" works like "1.5".
_NUMBER_FLAGS = (
    ("--levels", "tones.levels", True),
    ("--width-mm", "print.width_mm", False),
    ("--min-region-mm2", "clean.min_region_mm2", False),
    ("--min-strip-mm", "clean.min_strip_mm", False),
    ("--smooth-mm", "prepare.smooth_mm", False),
    ("--line-weight-mm", "print.line_weight_mm", False),
    ("--dpi", "print.dpi", True),
    ("--margin-mm", "print.margin_mm", False),
    ("--overlap-mm", "print.overlap_mm", False),
    ("--paper-width-mm", "print.paper_width_mm", False),
    ("--paper-height-mm", "print.paper_height_mm", False),
)
# Flags with a fixed set of words: (flag, settings key, choices).
_CHOICE_FLAGS = (
    ("--method", "tones.method", tuple(m for m in TONE_METHODS if m != "manual")),
    ("--paper", "print.paper", PAPERS),
    ("--orientation", "print.orientation", ORIENTATIONS),
    ("--transfer", "print.transfer", TRANSFER_METHODS),
    ("--background", "focus.background", BACKGROUNDS),
)
# On/off flags (--mirror / --no-mirror): (flag, settings key).
_SWITCH_FLAGS = (
    ("--burn-lines", "lines.enabled"),
    ("--labels", "labels.show"),
    ("--fit-inside", "labels.fit_inside"),
    ("--mirror", "print.mirror"),
)


class UsageError(Exception):
    """The command line is wrong; carries the translated one-line message."""


class _Formatter(argparse.HelpFormatter):
    """Help formatter whose "usage:" prefix is translated."""

    lang = "en"

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        if prefix is None:  # argparse passes "" when it builds a sub-command's name
            prefix = tr("cli.usage", self.lang) + " "
        super().add_usage(usage, actions, groups, prefix)


def _formatter_for(lang: str) -> type[argparse.HelpFormatter]:
    return type("Formatter", (_Formatter,), {"lang": lang})


# argparse words its own complaints in English; these patterns (Python 3.11–3.13) map them
# onto the table so the user reads one line in their language.
_ARGPARSE_ERRORS = (
    (re.compile(r"unrecognized arguments: (?P<args>.*)"), "cli.error.unknown_args"),
    (re.compile(r"the following arguments are required: (?P<args>.*)"), "cli.error.required"),
    (re.compile(r"argument (?P<args>[^:]+): expected one argument"), "cli.error.needs_value"),
    (
        re.compile(r"argument (make\S*|command): invalid choice: (?P<value>\S+)"),
        "cli.error.command",
    ),
    (
        re.compile(r"argument (?P<args>[^:]+): invalid choice: (?P<value>\S+) \(choose from"),
        "cli.error.choice",
    ),
    (re.compile(r"argument (?P<args>[^:]+): ignored explicit argument"), "cli.error.no_value"),
)


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that raises one translated line instead of printing usage and exiting."""

    lang = "en"

    def error(self, message: str) -> NoReturn:
        for pattern, key in _ARGPARSE_ERRORS:
            match = pattern.search(message)
            if match:
                params = {name: value.strip("'") for name, value in match.groupdict().items()}
                raise UsageError(tr(key, self.lang, **params))
        raise UsageError(tr("cli.error.usage", self.lang, detail=message))


def _lang_from(argv: Sequence[str], environ: dict[str, str]) -> str:
    """The language asked for by ``--lang X`` / ``--lang=X``, else LC_ALL / LANG."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return normalize_lang(argv[index + 1])
        if arg.startswith("--lang="):
            return normalize_lang(arg.partition("=")[2])
    return normalize_lang(environ.get("LC_ALL") or environ.get("LANG"))


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """Return the argument parser with help text in ``lang``."""
    lang = normalize_lang(lang)
    formatter = _formatter_for(lang)

    def parser_class(**kwargs: Any) -> _Parser:
        parser = _Parser(formatter_class=formatter, add_help=False, **kwargs)
        parser.lang = lang
        return parser

    def say(key: str, **params: Any) -> str:
        # argparse expands % in help text; the table's text is shown as is.
        return tr(key, lang, **params).replace("%", "%%")

    parser = parser_class(prog="pyropattern", description=say("cli.description"))
    top = parser.add_argument_group(say("cli.group.general"))
    top.add_argument("-h", "--help", action="help", help=say("cli.help.help"))
    # Accepted before the command too (``pyropattern --lang id make …``); the language itself
    # is read from argv by _lang_from before parsing, so both places mean the same.
    top.add_argument("--lang", metavar="id|en", default=argparse.SUPPRESS,
                     help=say("cli.help.lang"))
    commands = parser.add_subparsers(
        title=say("cli.group.commands"),
        dest="command",
        metavar="make|handout|practice|worksheet|pack",
        parser_class=_Parser,
    )

    def command(name: str, help_key: str) -> _Parser:
        sub = commands.add_parser(
            name, help=say(help_key), description=say(help_key), formatter_class=formatter,
            add_help=False,
        )
        sub.lang = lang
        return sub

    def pattern_flags(sub: _Parser, files: argparse._ArgumentGroup) -> None:
        files.add_argument("--settings", metavar="FILE.json", help=say("cli.help.settings"))
        files.add_argument("--focus", metavar="X0,Y0,X1,Y1", help=say("cli.help.focus"))
        files.add_argument(
            "--preset", metavar="NAME", help=say("cli.help.preset", choices=", ".join(PRESETS))
        )
        files.add_argument(
            "--blank", metavar="NAME", help=say("cli.help.blank", choices=", ".join(BLANKS))
        )
        files.add_argument("--lang", metavar="id|en", default=argparse.SUPPRESS,
                           help=say("cli.help.lang"))
        files.add_argument("-h", "--help", action="help", help=say("cli.help.help"))
        pattern = sub.add_argument_group(say("cli.group.pattern"))
        for flag, key, _ in _NUMBER_FLAGS:
            pattern.add_argument(flag, metavar="N", help=say(f"cli.help.{key}"))
        for flag, key, choices in _CHOICE_FLAGS:
            pattern.add_argument(flag, metavar="|".join(choices), help=say(f"cli.help.{key}"))
        for flag, key in _SWITCH_FLAGS:
            pattern.add_argument(
                flag, action=argparse.BooleanOptionalAction, default=None,
                help=say(f"cli.help.{key}"),
            )

    make = command("make", "cli.help.make")
    files = make.add_argument_group(say("cli.group.files"))
    files.add_argument("photo", metavar="PHOTO", help=say("cli.help.photo"))
    files.add_argument("-o", "--output", required=True, metavar="FILE", help=say("cli.help.output"))
    files.add_argument("--tones-png", metavar="FILE", help=say("cli.help.tones_png"))
    files.add_argument("--tones-dpi", metavar="N", help=say("cli.help.tones_dpi"))
    files.add_argument("--name", metavar="TEXT", help=say("cli.help.name"))
    files.add_argument("--tiles", metavar="A1,B2", help=say("cli.help.tiles"))
    files.add_argument("--contents", metavar="|".join(CONTENTS), help=say("cli.help.contents"))
    files.add_argument("--copies", metavar="N", help=say("cli.help.copies", limit=MAX_COPIES))
    files.add_argument("--report", metavar="FILE.json", help=say("cli.help.report"))
    pattern_flags(make, files)
    teach_cli.add_commands(commands, make, say)

    worksheet = command("worksheet", "cli.help.worksheet")
    files = worksheet.add_argument_group(say("cli.group.files"))
    files.add_argument("photos", metavar="PHOTO", nargs="+", help=say("cli.help.photos"))
    files.add_argument("-o", "--output", required=True, metavar="FILE", help=say("cli.help.output"))
    pattern_flags(worksheet, files)

    pack = command("pack", "cli.help.pack")
    files = pack.add_argument_group(say("cli.group.files"))
    files.add_argument("photos", metavar="PHOTO_OR_DIR", nargs="+", help=say("cli.help.photos"))
    files.add_argument("-o", "--output", required=True, metavar="FILE", help=say("cli.help.output"))
    files.add_argument("--processes", metavar="N", help=say("cli.help.processes"))
    pattern_flags(pack, files)
    return parser


def parse_number(text: str, name: str, lang: str, *, integer: bool = False) -> float | int:
    """Read a number written either way ("1,5" or "1.5"); ``name`` is the flag, for the error."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise UsageError(tr("cli.error.number", lang, name=name, value=text)) from None
    if integer:
        if not value.is_integer():
            raise UsageError(tr("cli.error.integer", lang, name=name, value=text))
        return int(value)
    return value


def width_given(args: argparse.Namespace) -> bool:
    """True if the design width comes from ``--width-mm`` or from the ``--settings`` file."""
    if args.width_mm is not None:
        return True
    if args.settings is None:
        return False
    try:
        data = json.loads(Path(args.settings).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # settings_from_args reports the unreadable file
    section = data.get("print") if isinstance(data, dict) else None
    return isinstance(section, dict) and "width_mm" in section


def settings_from_args(args: argparse.Namespace, lang: str) -> Settings:
    """Build the settings: preset, then ``--settings`` file, then each flag given.

    Raises
    ------
    UsageError
        For an unknown preset or a number that is not one.
    PyropatternError
        For an unreadable settings file or a value out of range.
    """
    base = Settings()
    if args.preset is not None:
        if args.preset not in PRESETS:
            raise UsageError(
                tr("cli.error.preset", lang, value=args.preset, choices=", ".join(PRESETS))
            )
        base = apply_preset(args.preset, base)
    if args.settings is not None:
        try:
            # Bounded like a photo: a pipe or /dev/zero named here must not hang or fill memory.
            data = read_limited(args.settings, MAX_SETTINGS_BYTES)
        except ReadRefused as exc:
            if exc.problem == "too_large":
                raise PyropatternError(
                    "classroom.cli.settings_too_large", max_kb=MAX_SETTINGS_BYTES // 1024
                ) from exc
            raise PyropatternError("error.settings_file") from exc
        base = settings_from_json(data, base)
    flat: dict[str, Any] = {}
    for flag, key, integer in _NUMBER_FLAGS:
        value = getattr(args, _dest(flag))
        if value is not None:
            flat[key] = parse_number(value, flag, lang, integer=integer)
    for flag, key, choices in _CHOICE_FLAGS:
        value = getattr(args, _dest(flag))
        if value is not None:
            by_fold = {choice.casefold(): choice for choice in choices}
            if value.casefold() not in by_fold:
                raise UsageError(
                    tr("cli.error.choice", lang, args=flag, value=value)
                    + " "
                    + tr("cli.error.choose", lang, choices=", ".join(choices))
                )
            flat[key] = by_fold[value.casefold()]
    for flag, key in _SWITCH_FLAGS:
        value = getattr(args, _dest(flag))
        if value is not None:
            flat[key] = value
    if args.focus is not None:
        parts = args.focus.split(",")
        if len(parts) != 4:
            raise UsageError(tr("cli.error.focus", lang, value=args.focus))
        flat["focus.area"] = [parse_number(p, "--focus", lang) for p in parts]
    if "print.paper_width_mm" in flat or "print.paper_height_mm" in flat:
        flat.setdefault("print.paper", "custom")
    try:
        return settings_from_flat(flat, base)
    except SettingsError as exc:
        # Name the flag the user typed, not the settings field behind it.
        flags = {key: flag for flag, key, *_ in (*_NUMBER_FLAGS, *_CHOICE_FLAGS, *_SWITCH_FLAGS)}
        flags["focus.area"] = "--focus"
        params = dict(exc.message.params)
        if params.get("name") in flat:
            params["name"] = flags[params["name"]]
            raise SettingsError(exc.message.key, **params) from exc
        raise


def _dest(flag: str) -> str:
    return flag.lstrip("-").replace("-", "_")


def _print_choices(args: argparse.Namespace, lang: str) -> tuple[str, int]:
    """``--contents`` (default full) and ``--copies`` (default 1), checked."""
    contents = "full" if args.contents is None else args.contents.strip().casefold()
    if contents not in CONTENTS:
        raise UsageError(
            tr("cli.error.choice", lang, args="--contents", value=args.contents)
            + " "
            + tr("cli.error.choose", lang, choices=", ".join(CONTENTS))
        )
    copies = 1 if args.copies is None else parse_number(args.copies, "--copies", lang, integer=True)
    if not 1 <= copies <= MAX_COPIES:
        raise UsageError(tr("cli.error.copies", lang, value=args.copies, limit=MAX_COPIES))
    return contents, int(copies)


def _summary(
    stencil: Stencil, output: Path, lang: str, sheets: int | None, pages: int | None = None
) -> list[str]:
    lines = [
        tr(
            "cli.done",
            lang,
            path=printable(str(output)),
            regions=stencil.report.region_count,
            levels=len(stencil.regions.level_grays),
            width=format_number(round(stencil.width_mm, 1), lang, digits=1),
            height=format_number(round(stencil.height_mm, 1), lang, digits=1),
        )
    ]
    if sheets is not None:
        lines.append(tr("cli.sheets", lang, count=sheets))
    if pages is not None:
        lines.append(tr("cli.pages", lang, count=pages))
    lines += [tr("cli.warning", lang, text=w.text(lang)) for w in stencil.warnings]
    return lines


def run(argv: Sequence[str], lang: str) -> list[str]:
    """Do the work of ``main``; return the summary lines. Raises on any failure.

    Everything that can be checked is checked before anything is written: the outputs'
    names and folders first (before the photo is even read), the files' contents next, all
    of them built in memory, and only then written, each atomically.
    """
    parser = build_parser(lang)
    args = parser.parse_args(list(argv))
    if args.command is None:
        raise UsageError(tr("cli.error.no_command", lang))
    if args.command in teach_cli.TEACH_COMMANDS:
        return teach_cli.run_command(args, lang, sys.modules[__name__])
    if args.command == "worksheet":
        return run_worksheet(args, lang)
    if args.command == "pack":
        return run_pack_command(args, lang)
    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in OUTPUT_TYPES:
        raise UsageError(tr("cli.error.output_type", lang, path=args.output))
    if args.tiles is not None and suffix != ".pdf":
        raise UsageError(tr("cli.error.tiles_pdf", lang))
    if (args.contents is not None or args.copies is not None) and suffix != ".pdf":
        raise UsageError(tr("cli.error.print_choices_pdf", lang))
    if args.report is not None and Path(args.report).suffix.lower() != ".json":
        raise UsageError(tr("cli.error.report_output", lang, path=args.report))
    contents, copies = _print_choices(args, lang)
    tiles = _sheet_ids(args.tiles)
    tones_path = None if args.tones_png is None else Path(args.tones_png)
    report_path = None if args.report is None else Path(args.report)
    tones_dpi = None
    if args.tones_dpi is not None:
        tones_dpi = parse_number(args.tones_dpi, "--tones-dpi", lang)
        if not 10 <= tones_dpi <= 2400:
            raise UsageError(tr("cli.error.tones_dpi", lang, value=args.tones_dpi))
    extra = [path for path in (tones_path, report_path) if path is not None]
    _check_outputs(Path(args.photo), [output, *extra], lang)
    settings = settings_from_args(args, lang)
    photo = load_photo(args.photo, target_long_side=settings.prepare.working_px)
    if args.blank is not None:  # the blank sets the size
        stencil = make_blank_stencil(photo, settings, get_blank(args.blank))
    else:
        framed = orient_and_crop(photo.rgb, settings.prepare)
        if not width_given(args):
            rows, cols = framed.shape[:2]
            fitted = one_sheet_width_mm(cols / rows, settings.print)
            settings = settings_from_flat({"print.width_mm": fitted}, settings)
        stencil = make_stencil(photo, settings)
    if tones_path is not None and tones_dpi is not None:
        design_shape_px(stencil, tones_dpi)  # a raster too large is refused before the PDF
    name = printable(args.name) if args.name else Path(shown_file_name(Path(args.photo))).stem
    sheets = pages = None
    if suffix == ".svg":
        data = stencil_svg(stencil, lang, legend=True, name=name).encode("utf-8")
    elif suffix == ".png":
        data = stencil_png(stencil)
    else:
        data = stencil_pdf(
            stencil, lang, name=name, tiles=tiles, contents=contents, copies=copies, photo=framed
        )
        plan = plan_tiles(stencil.width_mm, stencil.height_mm, settings.print)
        sheets = len(tiles) if tiles is not None else len(printed_tiles(stencil, plan))
        pages = pdf_page_count(sheets, "pattern" if tiles is not None else contents, copies)
    files = [(output, data)]
    if tones_path is not None:
        files.append((tones_path, tones_png(stencil, dpi=tones_dpi)))
    if report_path is not None:
        report = json.dumps(report_dict(stencil), indent=2, ensure_ascii=False)
        files.append((report_path, report.encode("utf-8")))
    write_files(files, lang)
    return _summary(stencil, output, lang, sheets, pages)


def _stencil(source: str, settings: Settings, blank_id: str | None) -> Stencil:
    """Load and make one pattern, fitted to a product blank when one is named."""
    blank = None if blank_id is None else get_blank(blank_id)
    photo = load_photo(source, target_long_side=settings.prepare.working_px)
    return make_stencil(photo, settings) if blank is None else make_blank_stencil(
        photo, settings, blank
    )


def run_worksheet(args: argparse.Namespace, lang: str) -> list[str]:
    """``pyropattern worksheet PHOTO... -o sheet.pdf``: one candidate per photo.

    A single photo gives three candidates, one per difficulty band (the band presets with
    the given print settings), so a class can discuss one subject at three levels.
    """
    output = Path(args.output)
    if output.suffix.lower() != ".pdf":
        raise UsageError(tr("cli.error.worksheet_output", lang, path=args.output))
    if len(args.photos) > MAX_CANDIDATES:
        raise PyropatternError("select.error.candidates", count=len(args.photos))
    settings = settings_from_args(args, lang)
    if len(args.photos) == 1:
        source = args.photos[0]
        candidates = [
            Candidate.of(
                f"{Path(source).stem} · {tr(band_name_key(band), lang)}",
                _stencil(source, apply_preset(band, settings), args.blank),
            )
            for band in BANDS
        ]
    else:
        candidates = [
            Candidate.of(Path(source).stem, _stencil(source, settings, args.blank))
            for source in args.photos
        ]
    write_file(output, worksheet_pdf(candidates, lang), lang)
    return [tr("cli.worksheet.done", lang, path=str(output), count=len(candidates))]


def _progress(done: int, total: int, result: PackResult) -> None:
    """A progress bar on the terminal (one line per photo when stderr is not a terminal)."""
    filled = round(24 * done / total)
    bar = f"[{'#' * filled}{'-' * (24 - filled)}] {done}/{total} {result.name}"
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r{bar[:78]:78}", end=end, file=sys.stderr, flush=True)
    else:
        print(bar, file=sys.stderr, flush=True)


def run_pack_command(args: argparse.Namespace, lang: str) -> list[str]:
    """``pyropattern pack PHOTO_OR_DIR... -o pack.pdf|.zip``: the summary lines.

    Every photo that failed is named with its reason on stderr, and raises
    :class:`PhotosFailed` after the pack (with the good photos) is written.
    """
    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in (".pdf", ".zip"):
        raise UsageError(tr("cli.error.pack_output", lang, path=args.output))
    processes = None
    if args.processes is not None:
        processes = int(parse_number(args.processes, "--processes", lang, integer=True))
        if processes < 1:
            raise UsageError(tr("cli.error.number", lang, name="--processes",
                                value=args.processes))
    settings = settings_from_args(args, lang)
    # An unknown blank is one line for the whole pack, not one per photo.
    blank = None if args.blank is None else get_blank(args.blank)
    results = run_pack(
        find_photos(args.photos), settings, lang=lang, blank=blank,
        svg=suffix == ".zip", processes=processes, on_result=_progress,
    )
    style = tr(preset_name_key(args.preset), lang) if args.preset in PRESETS else "—"
    build = pack_zip if suffix == ".zip" else pack_pdf
    write_file(output, build(results, settings, lang, style), lang)
    rows = summary_rows(results, lang)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    ok = sum(r.ok for r in results)
    lines.append(tr("cli.pack.done", lang, path=str(output), ok=ok, total=len(results)))
    failed = [r for r in results if not r.ok]
    if failed:
        raise PhotosFailed(lines, [
            tr("cli.pack.failed", lang, name=r.name, reason=r.error.text(lang) if r.error else "")
            for r in failed
        ])
    return lines


class PhotosFailed(Exception):
    """Some photos of a pack failed; the pack was written. Carries the summary lines and
    one reason line per failed photo."""

    def __init__(self, lines: list[str], reasons: list[str]) -> None:
        super().__init__(reasons)
        self.lines, self.reasons = lines, reasons


def write_files(files: Sequence[tuple[Path, bytes]], lang: str) -> None:
    """Write every ``(path, data)`` or none: each to a temporary file beside it, renamed into
    place once all are written (``safeio.write_atomically``); a failure is one translated line."""
    try:
        write_atomically(files)
    except OSError as exc:
        path = printable(str(exc.filename))
        raise UsageError(tr("cli.error.write", lang, path=path, reason=exc.strerror)) from exc


def write_file(path: Path, data: bytes, lang: str) -> None:
    """Write one file atomically (see :func:`write_files`)."""
    write_files([(path, data)], lang)


def _sheet_ids(text: str | None) -> list[str] | None:
    """``"a1, B2,A1"`` → ``["A1", "B2"]``: each sheet once, in the order given.

    An empty list (``","``) is passed on for ``stencil_pdf`` to refuse with the sheet names.
    """
    if text is None:
        return None
    return list(dict.fromkeys(sheet.strip().upper() for sheet in text.split(",") if sheet.strip()))


def _check_outputs(photo: Path, outputs: list[Path], lang: str) -> None:
    """Refuse an output that is the photo (same path, symlink or hard link), two outputs
    that are one file, or an output whose folder does not exist."""
    for output in outputs:
        if same_file(photo, output):
            raise UsageError(tr("classroom.cli.same_file", lang, path=printable(str(output))))
        folder = output.resolve().parent
        if not folder.is_dir():
            raise UsageError(
                tr("classroom.cli.no_folder", lang, path=printable(str(output)),
                   folder=printable(str(folder)))
            )  # fmt: skip
    if len(outputs) == 2 and same_file(*outputs):
        raise UsageError(tr("classroom.cli.two_outputs", lang, path=printable(str(outputs[0]))))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pyropattern`` command; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``None`` reads ``sys.argv``.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(argv, dict(os.environ))
    try:
        lines = run(argv, lang)
    except PhotosFailed as failed:
        for line in failed.lines:
            print(line)
        for reason in failed.reasons:
            _fail(reason, lang)
        return EXIT_FAILED
    except SystemExit as exit_:  # --help prints and exits 0 through argparse
        return int(exit_.code or 0)
    except UsageError as exc:
        _fail(str(exc), lang)
        return EXIT_USAGE
    except PyropatternError as exc:
        _fail(exc.text(lang), lang)
        return EXIT_FAILED
    except MemoryError:
        _fail(tr("cli.error.memory", lang), lang)
        return EXIT_FAILED
    except Exception as exc:  # a bug: still one line, naming the error for the report
        _fail(tr("cli.error.unexpected", lang, kind=type(exc).__name__), lang)
        return EXIT_FAILED
    for line in lines:
        print(line)
    return 0


def _fail(message: str, lang: str) -> None:
    print(tr("cli.error.prefix", lang, message=" ".join(message.split())), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
