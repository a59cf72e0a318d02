"""Issue 8, "a classroom server you can trust": one regression test per numbered defect.

Each test names its defect (#1 … #12) and reproduces it as reported; each failed before the
fix. The app's side (#2–#5 through a link or an upload) is in ``test_app_trust.py``.
"""

from __future__ import annotations

import errno
import io
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import warnings
import xml.dom.minidom
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from awkward_files import png_from_raw
from PIL import Image
from pypdf import PdfReader

from pyropattern import safeio, ui
from pyropattern.cli import main
from pyropattern.errors import ImageLoadError, SettingsError
from pyropattern.load import load_photo
from pyropattern.settings import (
    MAX_SETTINGS_BYTES,
    Settings,
    setting_rules,
    settings_from_json,
    widget_keys,
)


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    """A 240 × 180 px picture with three clear tones."""
    yy, xx = np.mgrid[0:180, 0:240]
    gray = np.where(xx < 120, 220, 60).astype(np.uint8)
    gray[(xx - 180) ** 2 + (yy - 90) ** 2 < 40**2] = 140
    path = tmp_path_factory.mktemp("photos") / "h.png"
    Image.fromarray(gray).save(path)
    return path


def run_cli(args, capsys, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(code: int, err: str) -> str:
    assert code != 0
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


# --- #1 the CLI must never overwrite its input ----------------------------------------------


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink", "tones-png", "relative"])
def test_1_output_that_is_the_input_is_refused(photo, tmp_path, capsys, monkeypatch, link):
    original = tmp_path / "h.png"
    original.write_bytes(photo.read_bytes())
    target = {"same": original, "symlink": tmp_path / "link.png",
              "hardlink": tmp_path / "hard.png", "tones-png": original,
              "relative": tmp_path / "sub" / ".." / "h.png"}[link]  # fmt: skip
    (tmp_path / "sub").mkdir()
    if link == "symlink":
        target.symlink_to(original)
    elif link == "hardlink":
        os.link(original, target)
    args = ["make", original, "-o", target]
    if link == "tones-png":
        args = ["make", original, "-o", tmp_path / "x.pdf", "--tones-png", target]
    code, _, err = run_cli(args, capsys, monkeypatch)
    assert "is the photo itself" in one_line(code, err)
    assert original.read_bytes() == photo.read_bytes()
    assert not (tmp_path / "x.pdf").exists()


def test_1_two_outputs_naming_one_file_are_refused(photo, tmp_path, capsys, monkeypatch):
    out = tmp_path / "x.png"
    code, _, err = run_cli(["make", photo, "-o", out, "--tones-png", out], capsys, monkeypatch)
    assert "name the same file" in one_line(code, err)
    assert not out.exists()


# --- #2/#3 NaN, infinities, wrong types, deep JSON: named, never a crash ----------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"tones":{"levels":NaN}}', "tones.levels must be between 2 and 10, got nan"),
        ('{"tones":{"levels":1e999}}', "tones.levels must be between 2 and 10, got inf"),
        ('{"prepare":{"working_px":Infinity}}', "prepare.working_px must be between 64"),
        ('{"prepare":{"crop":["a",0,1,1]}}', "prepare.crop has a value of the wrong type"),
        ('{"prepare":{"crop":[0,0,1,NaN]}}', "prepare.crop must be between 0 and 1, got nan"),
        ('{"print":{"width_mm":1' + "0" * 400 + "}}", "print.width_mm must be between 20"),
        ('{"tones":{"levels":[[[[1]]]]}}', "settings file could not be read"),
        ("[" * 5000 + "]" * 5000, "settings file could not be read"),
        ('{"tones":{"thresholds":' + json.dumps([0.5] * 100) + "}}", "tones.thresholds has"),
    ],
)
def test_2_3_hostile_values_name_the_setting(
    text, message, photo, tmp_path, capsys, monkeypatch
):
    with pytest.raises(SettingsError, match=message.replace(".", r"\.").replace("(", r"\(")):
        settings_from_json(text)
    path = tmp_path / "s.json"
    path.write_text(text)
    code, _, err = run_cli(["make", photo, "-o", tmp_path / "x.svg", "--settings", path],
                           capsys, monkeypatch)  # fmt: skip
    line = one_line(code, err)
    assert message in line and "went wrong" not in line


@pytest.mark.parametrize(
    "query",
    [{"tones.levels": "NaN"}, {"tones.levels": "1e999"}, {"prepare.crop": '["a",0,1,1]'},
     {"print.width_mm": "Infinity"}, {"prepare.crop": "[" * 5000 + "]" * 5000},
     {"tones.thresholds": "[" + ",".join(["0.5"] * 5000) + "]"}],
)  # fmt: skip
def test_2_hostile_links_give_a_settings_error(query):
    with pytest.raises(SettingsError):
        ui.settings_from_query(query)


# --- #4 user text is never markdown or HTML ---------------------------------------------------

INJECTIONS = (
    "[Log in again here](http://evil.example/login)",
    "![x](http://evil.example/pixel.png)",
    "<img src=x onerror=alert(1)>",
    "$\\\\LaTeX$ **bold** `code` ~~gone~~",
    "Title\n=====",
    "line\r\n# heading",
    "&lt;b&gt; &#x41;",
    "http://evil.example www.evil.example",
)


def _unescaped(text: str) -> list[int]:
    """Positions of ASCII punctuation not preceded by a backslash escape."""
    positions, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~":
            positions.append(index)
        index += 1
    return positions


@pytest.mark.parametrize("text", INJECTIONS)
def test_4_escaped_text_has_no_live_markdown(text):
    shown = ui.escape_markdown(text)
    assert not _unescaped(shown)
    assert "\n" not in shown and "\r" not in shown


def test_4_setting_errors_echo_user_text_short_and_on_one_line():
    with pytest.raises(SettingsError) as caught:
        ui.settings_from_query({"tones.method": "[Log in again here](http://evil.example)\n" * 9})
    text = caught.value.text("en")
    assert "\n" not in text and len(text) < 160


# --- #5 hidden settings are not taken from links -----------------------------------------------


def test_5_links_set_only_settings_with_a_widget():
    assert "prepare.working_px" not in widget_keys()
    assert "tones.levels" in widget_keys()
    with pytest.raises(SettingsError, match=r"A link cannot change the setting prepare\.work"):
        ui.settings_from_query({"prepare.working_px": "6000"})
    # A link made from settings with a hidden value leaves it out rather than carrying it.
    settings = settings_from_json('{"prepare":{"working_px":3000},"tones":{"levels":4}}')
    assert ui.query_from_settings(settings) == {"tones.levels": "4"}


def test_every_field_declares_its_rule_once():
    # The schema is read from the dataclasses: numbers have a finite range, choices a list.
    for key, rule in setting_rules().items():
        if rule.kind in (int, float, tuple):
            assert rule.low is not None and rule.high is not None, key
            assert np.isfinite([rule.low, rule.high]).all(), key
    assert Settings() == settings_from_json("{}")


# --- #6 decoded bytes are budgeted, not only pixels -------------------------------------------


def test_6_small_file_that_would_decode_huge_is_refused_from_the_header():
    # 9950 × 9950 16-bit RGBA: under the 100 MP pixel cap, but 378 MB to hold decoded.
    header_only = png_from_raw(9950, 9950, 16, 6, b"")
    start = time.perf_counter()
    with pytest.raises(ImageLoadError, match=r"would need 378 MB of memory") as caught:
        load_photo(header_only)
    assert time.perf_counter() - start < 1.0
    assert "378 MB" in caught.value.text("id")


def test_6_a_gray_image_of_the_same_size_fits_the_budget():
    # One byte per pixel: 94 MB decoded, so the same pixel count in gray is not refused by
    # the budget (the missing pixel data is what stops this header-only file).
    with pytest.raises(ImageLoadError, match="could not be read"):
        load_photo(png_from_raw(9950, 9950, 8, 0, b""))


# --- #7 writes are atomic ---------------------------------------------------------------------


def test_7_full_disk_leaves_the_previous_file_whole(photo, tmp_path):
    # RLIMIT_FSIZE makes any write past 4 KB fail with EFBIG, as a full disk would.
    out = tmp_path / "pattern.pdf"
    out.write_bytes(b"%PDF the good one from yesterday")
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from pyropattern.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "make", str(photo), "-o", str(out)],
        capture_output=True, text=True, timeout=60, env={**os.environ, "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.startswith("Error: Could not save") and result.stderr.count("\n") == 1
    assert out.read_bytes() == b"%PDF the good one from yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pattern.pdf"]  # no temp file left


def test_7_write_atomically_replaces_all_or_nothing(tmp_path, monkeypatch):
    first, second = tmp_path / "a.pdf", tmp_path / "b.png"
    first.write_bytes(b"old a")
    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError) as caught:
        safeio.write_atomically([(first, b"new a"), (second, b"new b")])
    assert caught.value.filename == str(second)
    assert first.read_bytes() == b"old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_7_new_files_get_ordinary_permissions(tmp_path):
    safeio.write_atomically([(tmp_path / "n.svg", b"<svg/>")])
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "n.svg").stat().st_mode & 0o777 == 0o666 & ~umask


# --- #8 nothing is written when a later step would fail ---------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--tones-png", "{tmp}/t.png", "--tones-dpi", "5"], "--tones-dpi must be between"),
        (["--tones-png", "{tmp}/no/dir/t.png"], "the folder"),
        (["--tones-png", "{tmp}/t.png", "--tones-dpi", "2400", "--width-mm", "3000"],
         "megapixels (maximum 400)"),
    ],
)
def test_8_validated_before_anything_is_written(
    photo, tmp_path, capsys, monkeypatch, extra, message
):
    start = time.perf_counter()
    args = ["make", photo, "-o", tmp_path / "x.pdf", *(a.format(tmp=tmp_path) for a in extra)]
    code, _, err = run_cli(args, capsys, monkeypatch)
    assert message in one_line(code, err)
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "t.png").exists()
    assert time.perf_counter() - start < 10  # was 20 s of PDF before the refusal


# --- #9 bounded reads from pipes and devices --------------------------------------------------


def test_9_a_device_is_read_only_up_to_the_limit():
    start = time.perf_counter()
    with pytest.raises(ImageLoadError, match="too large"):
        load_photo("/dev/zero", max_bytes=1_000_000)
    assert time.perf_counter() - start < 1.0
    with pytest.raises(safeio.ReadRefused) as caught:
        safeio.read_limited("/dev/zero", 1000)
    assert caught.value.problem == "too_large"


def test_9_fifo_without_writer_reads_as_empty(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ImageLoadError, match="empty"):
        load_photo(fifo)


@contextmanager
def fifo_writer(fifo: Path, data: bytes, then_wait_s: float = 0.0) -> Iterator[None]:
    """A writer on ``fifo`` that sends ``data``, waits, and closes; connected before the body.

    A FIFO's writer blocks in open() until a reader opens; a spare reader end held here lets
    it connect first, so the reader under test never meets a pipe without a writer.
    """
    connected = threading.Event()

    def write() -> None:
        with open(fifo, "wb") as handle:
            connected.set()
            handle.write(data)
            handle.flush()
            time.sleep(then_wait_s)

    spare = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    thread = threading.Thread(target=write)
    thread.start()
    try:
        assert connected.wait(10)
        yield
    finally:
        thread.join(10)
        os.close(spare)


def test_9_fifo_whose_writer_goes_quiet_is_given_up(tmp_path, photo):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = photo.read_bytes()
    # Half the photo, then nothing for 1.5 s: the read gives up after its 0.5 s timeout.
    with fifo_writer(fifo, data[: len(data) // 2], then_wait_s=1.5), \
            pytest.raises(safeio.ReadRefused) as caught:  # fmt: skip
        safeio.read_limited(fifo, 10_000_000, timeout_s=0.5)
    assert caught.value.problem == "stalled"


def test_9_fifo_that_sends_a_photo_is_read(tmp_path, photo):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = photo.read_bytes()
    with fifo_writer(fifo, data):
        assert safeio.read_limited(fifo, 10_000_000) == data


def test_9_settings_file_is_capped(photo, tmp_path, capsys, monkeypatch):
    code, _, err = run_cli(["make", photo, "-o", tmp_path / "x.svg", "--settings", "/dev/zero"],
                           capsys, monkeypatch)  # fmt: skip
    assert f"maximum {MAX_SETTINGS_BYTES // 1024} KB" in one_line(code, err)


# --- #10 tiles --------------------------------------------------------------------------------


def test_10_no_sheet_is_refused_and_repeats_count_once(photo, tmp_path, capsys, monkeypatch):
    out = tmp_path / "x.pdf"
    code, _, err = run_cli(["make", photo, "-o", out, "--tiles", ","], capsys, monkeypatch)
    assert "No sheet was named" in one_line(code, err)
    assert not out.exists()
    code, stdout, err = run_cli(["make", photo, "-o", out, "--tiles", "A1,a1, A1"],
                                capsys, monkeypatch)  # fmt: skip
    assert code == 0, err
    assert "Sheets to print: 1." in stdout
    assert len(PdfReader(out).pages) == 1


# --- #11 file names that are not UTF-8 or hold control characters ------------------------------


def test_11_undecodable_file_name_and_control_characters(photo, tmp_path, capsys, monkeypatch):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff\x01name.png"))
    odd.write_bytes(photo.read_bytes())
    svg, pdf = tmp_path / "x.svg", tmp_path / "x.pdf"
    assert run_cli(["make", odd, "-o", svg], capsys, monkeypatch)[0] == 0
    xml.dom.minidom.parse(str(svg))  # valid XML
    assert run_cli(["make", odd, "-o", pdf], capsys, monkeypatch)[0] == 0
    # The undecodable byte shows as U+FFFD, the control character as a space.
    assert PdfReader(pdf).metadata.title == "bad\ufffd name"
    code, _, err = run_cli(["make", photo, "-o", svg, "--name", "a\x01b\x1bc\nd"],
                           capsys, monkeypatch)  # fmt: skip
    assert code == 0, err
    xml.dom.minidom.parse(str(svg))


# --- #12 the small ones -----------------------------------------------------------------------


def test_12_no_library_warning_reaches_the_user():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning escaping load_photo fails the test
        with pytest.raises(ImageLoadError):
            load_photo(b"II*\x00" + b"\x08\x00\x00\x00" + b"\x01\x00" + b"\x00" * 30)


def test_12_settings_file_with_a_byte_order_mark(photo, tmp_path, capsys, monkeypatch):
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"tones": {"levels": 3}}')
    code, out, err = run_cli(["make", photo, "-o", tmp_path / "x.svg", "--settings", path],
                             capsys, monkeypatch)  # fmt: skip
    assert code == 0, err
    assert "3 burn levels" in out


@pytest.mark.parametrize("text", ["a = b", "Title\n===", "x\r\ny", "a&amp;b"])
def test_12_caption_escaping_covers_equals_and_newlines(text):
    shown = ui.escape_markdown(text)
    assert not _unescaped(shown) and "\n" not in shown


def test_resource_module_is_linux():  # the full-disk test relies on RLIMIT_FSIZE and SIGXFSZ
    assert hasattr(resource, "RLIMIT_FSIZE") and hasattr(signal, "SIGXFSZ")


def test_json_settings_as_bytes_are_capped():
    with pytest.raises(SettingsError, match="could not be read"):
        settings_from_json(b" " * (MAX_SETTINGS_BYTES + 1))
    assert settings_from_json(io.BytesIO(b'{"tones":{"levels":4}}').getvalue()).tones.levels == 4
