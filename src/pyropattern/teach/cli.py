"""Command-line teaching documents: ``pyropattern handout`` and ``pyropattern practice``.

    pyropattern handout PHOTO -o lesson.pdf [--profile NAME|FILE.json] [--lesson FILE.json]
                                            [--colouring] [--borders pencil|burned]
    pyropattern practice -o sheet.pdf --levels N [--profile NAME|FILE.json] [--no-fine-scale]

The handout takes the same pattern flags as ``make`` (preset, settings file, levels, size,
paper …); both print A4 unless ``--paper`` says otherwise.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

from ..i18n import tr
from ..load import load_photo
from ..pipeline import make_stencil
from ..render.burn import BORDER_STYLES
from ..settings import MAX_LEVELS, MIN_LEVELS, PAPERS, PrintSettings
from .handout import lesson_handout
from .lesson import Lesson, default_lesson, lesson_from_json
from .practice import practice_pdf
from .profiles import Profile, ProfileError, profile_from_json, shipped_profiles
from .timing import estimate_time, format_minutes

TEACH_COMMANDS = ("handout", "practice")


def add_commands(commands: Any, make: argparse.ArgumentParser, say: Any) -> None:
    """Add ``handout`` (with every pattern flag ``make`` has) and ``practice``."""
    handout = commands.add_parser(
        "handout",
        help=say("teach.cli.handout"),
        description=say("teach.cli.handout"),
        parents=[make],
        add_help=False,
        conflict_handler="resolve",
        formatter_class=make.formatter_class,
    )
    handout.lang = make.lang
    _teach_flags(handout, say)
    handout.add_argument("--lesson", metavar="FILE.json", help=say("teach.cli.lesson"))
    handout.add_argument(
        "--colouring",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=say("teach.cli.colouring"),
    )
    handout.add_argument(
        "--borders", metavar="|".join(BORDER_STYLES), help=say("teach.cli.borders")
    )
    practice = commands.add_parser(
        "practice",
        help=say("teach.cli.practice"),
        description=say("teach.cli.practice"),
        add_help=False,
        formatter_class=make.formatter_class,
    )
    practice.lang = make.lang
    practice.add_argument("-h", "--help", action="help", help=say("cli.help.help"))
    practice.add_argument(
        "-o", "--output", required=True, metavar="FILE.pdf", help=say("cli.help.output")
    )
    practice.add_argument("--levels", metavar="N", required=True, help=say("cli.help.tones.levels"))
    practice.add_argument("--paper", metavar="|".join(PAPERS), help=say("cli.help.print.paper"))
    practice.add_argument(
        "--lang", metavar="id|en", default=argparse.SUPPRESS, help=say("cli.help.lang")
    )
    practice.add_argument(
        "--fine-scale",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=say("teach.cli.fine_scale"),
    )
    _teach_flags(practice, say)


def _teach_flags(parser: argparse.ArgumentParser, say: Any) -> None:
    names = ", ".join(shipped_profiles())
    parser.add_argument(
        "--profile", metavar="NAME|FILE.json", help=say("teach.cli.profile", names=names)
    )


def _profile(value: str | None) -> Profile | None:
    if value is None:
        return None
    shipped = shipped_profiles()
    if value in shipped:
        return shipped[value]
    try:
        text = Path(value).read_bytes()
    except OSError:
        raise ProfileError(
            "teach.error.profile_missing", value=value, names=", ".join(shipped)
        ) from None
    return profile_from_json(text)


def _lesson(args: argparse.Namespace, levels: int) -> Lesson:
    profile = _profile(args.profile)
    if getattr(args, "lesson", None):
        try:
            lesson = lesson_from_json(Path(args.lesson).read_bytes())
        except OSError:
            raise ProfileError("teach.error.lesson_file") from None
        if profile is not None:
            lesson = replace(lesson, profile=profile)
        return lesson.fit(levels)
    return default_lesson(levels, profile)


def run_command(args: argparse.Namespace, lang: str, core: ModuleType) -> list[str]:
    """Run ``handout`` or ``practice``; return the summary lines. Raises like ``cli.run``.

    ``core`` is the command-line module itself (its parsing, errors and file writing), passed
    in because it imports this one (and may run as ``__main__``).
    """
    usage_error, write = core.UsageError, core.write_file
    output = Path(args.output)
    if output.suffix.lower() != ".pdf":
        raise usage_error(tr("teach.cli.pdf_only", lang, path=args.output))
    if args.command == "practice":
        levels = int(core.parse_number(args.levels, "--levels", lang, integer=True))
        if not MIN_LEVELS <= levels <= MAX_LEVELS:
            raise usage_error(tr("teach.cli.levels", lang, low=MIN_LEVELS, high=MAX_LEVELS))
        paper = PrintSettings()
        if args.paper is not None:
            by_fold = {p.casefold(): p for p in PAPERS if p != "custom"}
            if args.paper.casefold() not in by_fold:
                raise usage_error(tr("cli.error.choice", lang, args="--paper", value=args.paper))
            paper = PrintSettings(paper=by_fold[args.paper.casefold()])
        lesson = replace(_lesson(args, levels), fine_scale=args.fine_scale)
        write(output, practice_pdf(lesson, levels, lang, print_settings=paper), lang)
        return [tr("teach.cli.done_practice", lang, path=str(output), levels=levels)]
    for flag, value in (("--tiles", args.tiles), ("--tones-png", args.tones_png),
                        ("--tones-dpi", args.tones_dpi)):  # fmt: skip
        if value is not None:
            raise usage_error(tr("teach.cli.make_only", lang, flag=flag))
    settings = core.settings_from_args(args, lang)
    photo = load_photo(args.photo, target_long_side=settings.prepare.working_px)
    stencil = make_stencil(photo, settings)
    lesson = _lesson(args, stencil.tones.count)
    if args.colouring is not None:
        lesson = replace(lesson, colouring=args.colouring)
    if args.borders is not None:
        if args.borders not in BORDER_STYLES:
            raise usage_error(tr("cli.error.choice", lang, args="--borders", value=args.borders))
        lesson = replace(lesson, borders=args.borders)
    name = args.name or Path(args.photo).stem
    write(output, lesson_handout(stencil, lesson, lang, name=name, photo=photo), lang)
    time = format_minutes(estimate_time(stencil, lesson).total_min, lang)
    lines = [tr("teach.cli.done_handout", lang, path=str(output), time=time)]
    return lines + [tr("cli.warning", lang, text=w.text(lang)) for w in stencil.warnings]
