"""Hostile local files: each fails alone with one line (input, stage, reason) or is read
correctly, and what is stored stays as it was (or is correctly extended)."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED
from faults_util import run, snapshot, stored

from claimtrack.ingest import read_local
from claimtrack.transforms.claims import ExtractionLimit, extract_claims
from claimtrack.transforms.pages import MAX_DOCUMENT_BYTES, TextError, html_to_text, plain_to_text

ARTICLE = (
    "<p>Russia has lost 700,000 troops and 9,000 tanks since February 2022, "
    "Ukraine's general staff said on Monday.</p><p>The figures could not be verified.</p>"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def page(body: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>Losses report</title></head><body><article>{body}</article></body></html>"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("story.txt", "Russia lost 700,000 troops.")
    return buffer.getvalue()


BINARY = {"png": PNG, "pdf": PDF, "zip": zip_bytes()}


@pytest.mark.parametrize("kind", sorted(BINARY))
@pytest.mark.parametrize("reader", [html_to_text, plain_to_text])
def test_binary_files_are_refused_by_their_signature(kind: str, reader: Any) -> None:
    with pytest.raises(TextError, match=r"^binary content \(an? .*(PNG|PDF|ZIP).*\), not (HTML|text)$"):
        reader(BINARY[kind])


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_files_say_so(data: bytes) -> None:
    for reader in (html_to_text, plain_to_text):
        with pytest.raises(TextError, match="^empty document$"):
            reader(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (page(ARTICLE).encode() + b"\xff\xfe\xfa", "700,000 troops"),  # invalid UTF-8 tail
        (page(ARTICLE + "<p>Grüße aus Kyjiw</p>").encode("utf-16"), "Grüße"),  # UTF-16 with BOM
        (page(ARTICLE + "<p>Die Straße und die Häuser</p>").encode("latin-1"), "Straße und die Häuser"),
        (
            page(
                "<p>Россия потеряла 700 000 военных и 9 000 танков с февраля 2022 года, сообщил "
                "Генштаб Украины в понедельник.</p>"
            ).encode("cp1251"),
            "Россия потеряла 700 000 военных",
        ),
        (page(ARTICLE).encode().replace(b"troops", b"tr\x00oops"), "700,000 troops"),  # stray NUL byte
    ],
)
def test_encodings_and_stray_nul_bytes_decode_to_the_right_text(data: bytes, expected: str) -> None:
    assert expected in html_to_text(data, None).text


def test_plain_text_encodings() -> None:
    assert "Grüße" in plain_to_text("Titel\nGrüße aus Kyjiw, 700 Soldaten.".encode("utf-16")).text
    assert "Straße" in plain_to_text("Die Straße ist lang und die Häuser sind alt.".encode("latin-1")).text
    cyrillic = "Россия потеряла 700 000 военных и 9 000 танков, сообщил Генштаб в понедельник."
    assert plain_to_text(cyrillic.encode("cp1251")).text == cyrillic
    assert plain_to_text(b"Title\nA l\x00ine").text == "Title\nA line"


def test_a_page_of_only_scripts_has_no_text() -> None:
    data = ("<html><body>" + "<script>var x = 700000;</script>" * 200 + "</body></html>").encode()
    with pytest.raises(TextError, match="^no main text found in the page$"):
        html_to_text(data, None)


def test_ten_thousand_nested_tags_fail_fast_and_say_why() -> None:
    data = ("<html><body>" + "<div>" * 10_000 + ARTICLE + "</div>" * 10_000 + "</body></html>").encode()
    started = time.monotonic()
    with pytest.raises(TextError, match=r"nested 10,00\d deep, more than the parser's 255"):
        html_to_text(data, None)
    assert time.monotonic() - started < 5


def test_a_50_mb_page_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as handle:  # 50 MB, written in 1 MB blocks
        block = page(ARTICLE * 4000).encode()[: 1 << 20]
        for _ in range(50):
            handle.write(block)
    started = time.monotonic()
    with pytest.raises(OSError, match="larger than the 10,485,760-byte limit"):
        read_local(big)
    with pytest.raises(TextError, match="larger than the 10,485,760-byte limit"):
        html_to_text(b"<p>" + bytes(MAX_DOCUMENT_BYTES), None)
    assert time.monotonic() - started < 5


def test_a_text_of_100000_numbers_is_refused_in_bounded_time() -> None:
    text = " ".join(f"{i * 7919 % 1_000_000:,}" if i % 3 else f"{i % 97} tanks" for i in range(100_000))
    started = time.monotonic()
    with pytest.raises(ExtractionLimit, match="holds 100,000 numbers, more than 20,000"):
        extract_claims(text, date(2024, 1, 1))
    assert time.monotonic() - started < 20


def test_a_text_of_10000_numbers_is_read_in_bounded_time() -> None:
    text = " ".join(f"{i * 7919 % 1_000_000:,}" if i % 3 else f"{i % 97} tanks" for i in range(10_000))
    started = time.monotonic()
    extract_claims(text, date(2024, 1, 1))
    assert time.monotonic() - started < 15


def test_unreadable_entries_are_refused_without_blocking(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block forever
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(OSError, match=r"not a regular file \(a folder\)"):
        read_local(tmp_path / "folder.txt")
    with pytest.raises(OSError, match=r"not a regular file \(a FIFO\)"):
        read_local(fifo)
    with pytest.raises(OSError, match="Too many levels of symbolic links"):
        read_local(loop)
    locked = tmp_path / "locked.txt"
    locked.write_text("secret")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads anything: the folder and FIFO cases cover it
        assert read_local(locked) == b"secret"
    else:
        with pytest.raises(PermissionError):
            read_local(locked)


def hostile_folder(folder: Path) -> dict[str, str]:
    """Fill ``folder`` with one good article and every bad file; return name -> expected reason."""
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    files = {
        "empty.html": b"",
        "image.html": PNG,
        "doc.html": PDF,
        "archive.html": zip_bytes(),
        "scripts.html": b"<html><body>" + b"<script>x()</script>" * 50 + b"</body></html>",
        "deep.html": b"<html><body>" + b"<div>" * 10_000 + ARTICLE.encode() + b"</div>" * 10_000 + b"</body></html>",
        "big.txt": b"x" * (MAX_DOCUMENT_BYTES + 1),
        "latin.html": page(ARTICLE + "<p>Straße</p>").encode("latin-1"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "dir.txt").mkdir()  # a folder named like a file: walked, not read
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a folder loop: not followed
    return {
        "empty.html": "text failed: empty document",
        "image.html": "text failed: binary content (a PNG image)",
        "doc.html": "text failed: binary content (a PDF document)",
        "archive.html": "text failed: binary content (a ZIP archive)",
        "scripts.html": "text failed: no main text found",
        "deep.html": "text failed: elements nested",
        "big.txt": "read failed: file larger than",
        "pipe.txt": "read failed: not a regular file (a FIFO)",
        "loop.txt": "read failed: Too many levels of symbolic links",
    }


@pytest.mark.usefixtures("prefect_harness")
def test_a_folder_of_hostile_files_fails_file_by_file_and_reruns_identically(db: Path, tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "first.txt")
    run(db, str(tmp_path / "first.txt"))
    before = snapshot(db)
    expected = hostile_folder(tmp_path / "in")
    started = time.monotonic()
    summary = run(db, str(tmp_path / "in"))
    assert time.monotonic() - started < 30
    assert summary["failures"] == len(expected)
    lines = summary["failure_lines"]
    for name, reason in expected.items():
        line = next(line for line in lines if line.split(":")[0].endswith(f"/{name}") or f"/{name}:" in line)
        assert reason in line and "\n" not in line and "Traceback" not in line
    after = snapshot(db)
    assert all(set(before[t]) <= set(after[t]) for t in before)  # extended, nothing lost
    assert stored(db, "select count(*) from articles where url like '%/in/latin.html'") == [(1,)]
    assert stored(db, "select count(*) from claims where url like '%/in/good.txt'") == [(0,)]  # a copy: no claims twice
    for _ in range(2):
        run(db, str(tmp_path / "in"))
        assert snapshot(db) == after
