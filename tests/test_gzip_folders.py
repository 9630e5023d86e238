"""A crawl folder as a first corpus: gzipped pages are read, corrupt or inflating ones fail alone
with one line, and the files that are not pages are counted in the run's summary."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SEED

from claimtrack.cli import main
from claimtrack.ingest import read_local
from claimtrack.ingest.sources import discover, file_kind
from claimtrack.pipeline import pipeline
from claimtrack.transforms import warehouse
from claimtrack.transforms.pages import MAX_DOCUMENT_BYTES

PAGE = "Reuters_2024_03_07.html.gz"  # a real page as served, gzipped


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    return warehouse.query(db, sql).rows()


def crawl_folder(folder: Path) -> Path:
    """A folder as a crawler leaves it: a gzipped page and text, a corrupt .gz, one that inflates
    past the document limit, a .json, a LICENSE and a hidden file; returns ``folder``."""
    (folder / "site").mkdir(parents=True)
    shutil.copy(FIXTURES / "pages" / PAGE, folder / "site" / PAGE)
    (folder / "seed.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    (folder / "broken.html.gz").write_bytes(gzip.compress(b"<html><body><p>700 tanks</p></body></html>")[:-12])
    with gzip.open(folder / "bomb.txt.gz", "wb") as handle:  # ~10 KB on disk
        handle.write(bytes(MAX_DOCUMENT_BYTES + 1))
    (folder / "site" / "Reuters.json").write_text('{"V1": {"title": "x"}}')
    (folder / "LICENSE").write_text("MIT License")
    (folder / ".crawl.json").write_text("{}")
    return folder


def test_gzipped_pages_are_walked_and_the_rest_counted_by_suffix(tmp_path: Path) -> None:
    folder = crawl_folder(tmp_path / "crawl")
    inputs, failures, skipped = discover([str(folder)])
    assert failures == []
    assert [(Path(i.location).relative_to(folder).as_posix(), i.kind) for i in inputs] == [
        ("bomb.txt.gz", "text"),
        ("broken.html.gz", "html"),
        ("seed.txt.gz", "text"),
        (f"site/{PAGE}", "html"),
    ]
    assert skipped == Counter({".json": 1, "": 1})  # hidden entries are neither read nor counted
    named, _, none = discover([str(folder / "site" / PAGE), str(folder / "LICENSE")])
    assert [i.kind for i in named] == ["html", "text"] and none == Counter()


def test_file_kind_sees_through_gzip(tmp_path: Path) -> None:
    feed = tmp_path / "news.gz"
    feed.write_bytes(gzip.compress(b'<?xml version="1.0"?><rss version="2.0"></rss>'))
    page = tmp_path / "page.gz"
    page.write_bytes(gzip.compress(b"<!DOCTYPE html><html><body>x</body></html>"))
    assert (file_kind(feed), file_kind(page), file_kind(tmp_path / "a.HTM.GZ")) == ("feed", "html", "html")


def test_read_local_decompresses_within_the_limit(tmp_path: Path) -> None:
    folder = crawl_folder(tmp_path / "crawl")
    assert read_local(folder / "seed.txt.gz") == SEED.read_bytes()
    with pytest.raises(OSError, match=r"^\[Errno 27\] decompresses to more than the 10,485,760-byte limit"):
        read_local(folder / "bomb.txt.gz")
    with pytest.raises(OSError, match="decompresses to more than the 100-byte limit"):
        read_local(folder / "seed.txt.gz", max_bytes=100)
    with pytest.raises(OSError, match=r"not a readable gzip file \(.+\); fetch or copy it again"):
        read_local(folder / "broken.html.gz")
    (folder / "fake.txt.gz").write_text("plain text named .gz")
    with pytest.raises(OSError, match=r"not a readable gzip file \(Not a gzipped file"):
        read_local(folder / "fake.txt.gz")


@pytest.mark.usefixtures("prefect_harness")
def test_a_crawl_folder_run_reads_gzipped_pages_and_says_what_it_skipped(db: Path, tmp_path: Path) -> None:
    folder = crawl_folder(tmp_path / "crawl")
    result = CliRunner().invoke(main, ["run", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("claimtrack run: 4 inputs (2 new, 0 new versions, 0 copies, 0 already stored, 2 failed)")
    assert lines[1] == (
        "skipped 2 files in folders that are not pages (.json 1, no suffix 1); name one as a SOURCE to read it"
    )
    page_claims = rows(db, f"select count(*) from claims where url like '%/site/{PAGE}'")[0][0]
    seed_claims = rows(db, "select count(*) from claims where url like '%/seed.txt.gz'")[0][0]
    assert page_claims > 0 and seed_claims > 0
    failed = dict(rows(db, "select regexp_extract(input, '[^/]+$'), reason from failures"))
    assert sorted(failed) == ["bomb.txt.gz", "broken.html.gz"]
    assert failed["bomb.txt.gz"] == "decompresses to more than the 10,485,760-byte limit for one document"
    assert failed["broken.html.gz"].startswith("not a readable gzip file (")
    assert all("\n" not in reason for reason in failed.values())
    before = rows(db, "select article_id, url, content_hash from articles order by all")
    summary = pipeline(sources=[str(folder)], db=str(db))
    assert (summary["articles_new"], summary["articles_seen"], summary["failures"]) == (0, 2, 2)
    assert summary["files_skipped"] == {".json": 1, "no suffix": 1}
    assert rows(db, "select article_id, url, content_hash from articles order by all") == before


def test_extract_reads_a_gzipped_page_as_html(tmp_path: Path) -> None:
    plain = tmp_path / "page.html"
    plain.write_bytes(gzip.decompress((FIXTURES / "pages" / PAGE).read_bytes()))
    outputs = [CliRunner().invoke(main, ["extract", str(path)]) for path in (plain, FIXTURES / "pages" / PAGE)]
    assert [result.exit_code for result in outputs] == [0, 0]
    claims = [[{**json.loads(line), "doc": None} for line in result.stdout.splitlines()] for result in outputs]
    assert claims[0] and claims[0] == claims[1]
