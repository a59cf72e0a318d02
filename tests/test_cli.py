"""Command line: outputs by suffix, options mapped onto settings, one-line translated errors."""

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from pyropattern.cli import UsageError, main, parse_number


@pytest.fixture(scope="module")
def photo(tmp_path_factory) -> Path:
    """A 240 × 180 px picture with three clear tones."""
    yy, xx = np.mgrid[0:180, 0:240]
    gray = np.where(xx < 120, 220, 60).astype(np.uint8)
    gray[(xx - 180) ** 2 + (yy - 90) ** 2 < 40**2] = 140
    path = tmp_path_factory.mktemp("photos") / "three tones.png"
    Image.fromarray(np.stack([gray] * 3, axis=-1)).save(path)
    return path


def _run(args, capsys, monkeypatch, lang_env="C.UTF-8"):
    monkeypatch.setenv("LANG", lang_env)
    monkeypatch.delenv("LC_ALL", raising=False)
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_error(code, err):
    assert code != 0
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    return err.strip()


def test_svg_output(photo, tmp_path, capsys, monkeypatch):
    out_file = tmp_path / "stencil.svg"
    code, out, err = _run(
        [
            "make",
            photo,
            "-o",
            out_file,
            "--levels",
            "3",
            "--width-mm",
            "120",
            "--min-region-mm2",
            "9",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert err == ""
    assert 'width="120mm"' in out_file.read_text(encoding="utf-8")
    assert out.startswith(f"Pattern saved to {out_file}:")
    assert "3 burn levels, 120 × 90 mm" in out


def test_png_and_tones_png(photo, tmp_path, capsys, monkeypatch):
    stencil_png, tones = tmp_path / "s.png", tmp_path / "t.png"
    code, _, err = _run(
        [
            "make",
            photo,
            "-o",
            stencil_png,
            "--dpi",
            "100",
            "--tones-png",
            tones,
            "--levels",
            "3",
            "--width-mm",
            "1,2,0",
        ],
        capsys,
        monkeypatch,
    )
    # Two decimal marks make no number; the error says how to write one.
    assert "needs a number" in _one_line_error(code, err)
    code, _, err = _run(
        [
            "make",
            photo,
            "-o",
            stencil_png,
            "--dpi",
            "100",
            "--tones-png",
            tones,
            "--levels",
            "3",
            "--width-mm",
            "101,6",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    image = Image.open(stencil_png)
    assert image.size[0] == 400  # 101,6 mm at 100 dpi
    assert image.info["dpi"][0] == pytest.approx(100, abs=0.01)
    assert set(np.unique(np.asarray(Image.open(tones)))) <= {0, 128, 255}
    code, _, err = _run(
        [
            "make",
            photo,
            "-o",
            stencil_png,
            "--tones-png",
            tones,
            "--tones-dpi",
            "50,8",
            "--levels",
            "3",
            "--width-mm",
            "100",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    tones_image = Image.open(tones)
    assert tones_image.size[0] == 200  # 100 mm at 50,8 dpi
    assert set(np.unique(np.asarray(tones_image))) <= {0, 128, 255}


def test_pdf_output_with_print_options(photo, tmp_path, capsys, monkeypatch):
    pdf = tmp_path / "stencil.pdf"
    code, out, err = _run(
        [
            "make",
            photo,
            "-o",
            pdf,
            "--paper",
            "f4",
            "--width-mm",
            "300",
            "--mirror",
            "--overlap-mm",
            "10",
            "--transfer",
            "toner",
            "--lang",
            "id",
            "--name",
            "Uji",
        ],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(609.45, abs=0.01)
    assert "Pola disimpan ke" in out and "Lembar yang dicetak: " in out
    sheets = int(out.split("Lembar yang dicetak: ")[1].split(".")[0])
    assert len(reader.pages) == 2 + sheets
    assert "Dicerminkan untuk transfer" in reader.pages[2].extract_text()


def test_pdf_reprint_tiles(photo, tmp_path, capsys, monkeypatch):
    pdf = tmp_path / "again.pdf"
    code, _, err = _run(
        ["make", photo, "-o", pdf, "--width-mm", "300", "--tiles", "A2,a1"], capsys, monkeypatch
    )
    assert code == 0, err
    assert len(PdfReader(io.BytesIO(pdf.read_bytes())).pages) == 2


def test_settings_file_and_preset(photo, tmp_path, capsys, monkeypatch):
    settings = tmp_path / "s.json"
    settings.write_text('{"tones": {"levels": 4}, "print": {"width_mm": 150}}', encoding="utf-8")
    out_file = tmp_path / "p.svg"
    code, out, err = _run(
        ["make", photo, "-o", out_file, "--preset", "beginner", "--settings", settings],
        capsys,
        monkeypatch,
    )
    assert code == 0, err
    assert "4 burn levels, 150 × 112,5 mm" not in out  # English uses a decimal point
    assert "4 burn levels, 150 × 112.5 mm" in out


@pytest.mark.parametrize(
    ("args", "lang_env", "expected"),
    [
        (["--levels", "12"], "C", "Error: --levels must be between 2 and 10, got 12."),
        (["--levels", "12"], "id_ID.UTF-8", "Kesalahan: --levels harus antara 2 dan 10, bukan 12."),
        (["--levels", "2.5"], "C", "Error: --levels needs a whole number, got 2.5."),
        (["--paper", "B5"], "C", "Error: --paper does not accept B5."),
        (["--bogus"], "C", "Error: Unknown option --bogus."),
        (["--levels"], "id_ID", "Kesalahan: --levels perlu nilai."),
        (["--preset", "nope"], "C", "Error: There is no preset nope."),
        (["--tiles", "Z9"], "C", "Error: --tiles works only for a PDF."),
        (["--mirror=yes"], "C", "Error: --mirror/--no-mirror takes no value."),
    ],
)
def test_bad_options_give_one_translated_line(
    photo, tmp_path, capsys, monkeypatch, args, lang_env, expected
):
    code, out, err = _run(
        ["make", photo, "-o", tmp_path / "x.png", *args], capsys, monkeypatch, lang_env
    )
    assert _one_line_error(code, err).startswith(expected)
    assert out == ""


def _huge_png_header() -> bytes:
    """A PNG whose header claims 20000 × 20000 pixels (400 MP) but carries almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 100))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"this is not a picture at all", "not supported"),
        ("truncated", "could not be read"),
        (_huge_png_header(), "too many pixels"),
    ],
)
def test_bad_photos_give_one_line(photo, tmp_path, capsys, monkeypatch, content, expected):
    bad = tmp_path / "bad.jpg"
    if content == "truncated":
        buffer = io.BytesIO()
        Image.open(photo).save(buffer, format="JPEG")
        content = buffer.getvalue()[: len(buffer.getvalue()) // 3]
    bad.write_bytes(content)
    code, _, err = _run(["make", bad, "-o", tmp_path / "x.svg"], capsys, monkeypatch)
    assert expected in _one_line_error(code, err)


def test_missing_file_and_bad_output(photo, tmp_path, capsys, monkeypatch):
    code, _, err = _run(
        ["make", tmp_path / "nope.jpg", "-o", tmp_path / "x.svg"], capsys, monkeypatch
    )
    assert "not found" in _one_line_error(code, err)
    code, _, err = _run(["make", photo, "-o", tmp_path / "x.doc"], capsys, monkeypatch)
    assert ".svg, .png or .pdf" in _one_line_error(code, err)
    code, _, err = _run(
        ["make", photo, "-o", tmp_path / "no" / "dir" / "x.svg"], capsys, monkeypatch
    )
    assert "Could not save" in _one_line_error(code, err)


def test_no_command_and_unknown_command(capsys, monkeypatch):
    code, _, err = _run([], capsys, monkeypatch)
    assert "No command given" in _one_line_error(code, err)
    code, _, err = _run(["mkae"], capsys, monkeypatch, "id_ID")
    assert _one_line_error(code, err).startswith("Kesalahan: Perintah mkae tidak dikenal.")


def test_help_is_translated(capsys, monkeypatch):
    monkeypatch.setenv("LANG", "id_ID.UTF-8")
    assert main(["make", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("cara pakai: pyropattern make")
    assert "Jumlah tingkat bakar, 2–10" in out
    assert main(["make", "--help", "--lang", "en"]) == 0
    assert "Number of burn levels, 2–10" in capsys.readouterr().out


def test_lang_before_the_command(photo, tmp_path, capsys, monkeypatch):
    out_file = tmp_path / "pola.svg"
    code, out, err = _run(["--lang", "id", "make", photo, "-o", out_file], capsys, monkeypatch)
    assert code == 0 and err == ""
    assert out.startswith("Pola disimpan ke")
    assert out_file.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(("text", "value"), [("1,5", 1.5), ("1.5", 1.5), (" 200 ", 200.0)])
def test_parse_number_accepts_both_decimal_marks(text, value):
    assert parse_number(text, "--x", "en") == value


def test_parse_number_refuses_words():
    with pytest.raises(UsageError, match="--x needs a number, got lima"):
        parse_number("lima", "--x", "en")


def test_console_script_runs(photo, tmp_path):
    script = Path(sys.executable).with_name("pyropattern")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "pyropattern.cli"]
    out_file = tmp_path / "s.svg"
    done = subprocess.run(
        [*command, "make", str(photo), "-o", str(out_file), "--lang", "id", "--levels", "3"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Pola disimpan ke")
    assert out_file.exists()
    bad = subprocess.run(
        [*command, "make", str(photo), "-o", str(out_file), "--levels", "99"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={"LANG": "id_ID.UTF-8", "PATH": "/usr/bin:/bin"},
    )
    assert bad.returncode != 0
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("Kesalahan: --levels")
