"""One run over a mix of every kind of hostile input (files, feeds, misbehaving URLs) plus a
good article, rerun three times: the stored tables stay identical and each bad input keeps
its failure row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SEED
from faults_server import faulty  # noqa: F401 - the session fixture
from faults_util import run, snapshot, stored
from test_feeds import BILLION_LAUGHS, rss, xxe
from test_files import hostile_folder
from test_http import CASES

from claimtrack.ingest import feeds as fetching


@pytest.mark.usefixtures("prefect_harness")
def test_a_mix_of_every_fault_reruns_identically(
    db: Path,
    tmp_path: Path,
    faulty: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fetching, "MAX_FEED_ITEMS", 5)
    files = hostile_folder(tmp_path / "in")
    shutil.copy(SEED, tmp_path / "in" / "seed.txt")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    feeds = {
        "bomb.xml": BILLION_LAUGHS,
        "xxe.xml": xxe(secret),
        "links.xml": rss("<item><title>j</title><link>javascript:alert(1)</link></item>"),
    }
    for name, body in feeds.items():
        (tmp_path / name).write_text(body)
    urls = [faulty + path for path, _, _ in CASES] + [faulty + "/png-as-html", faulty + "/ok"]
    sources = [str(tmp_path / "in"), *(str(tmp_path / name) for name in feeds), *urls]
    run(db, *sources)
    first = snapshot(db)
    assert stored(db, "select count(*) from articles where copy_of is null") >= [(2,)]  # the seed and /ok
    inputs = {row[0] for row in stored(db, "select input from failures")}
    assert all(any(i.endswith(f"/{name}") or f"/{name}" in i for i in inputs) for name in [*files, *feeds])
    assert all(url in inputs for url in urls[:-1])
    assert not any("TOP-SECRET" in str(row) for row in stored(db, "select * from failures"))
    for _ in range(2):
        run(db, *sources)
        assert snapshot(db) == first
