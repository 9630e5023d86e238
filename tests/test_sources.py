"""Discovering inputs: files, folders, URLs, feed files and named sources in sources.toml."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from claimtrack.ingest.sources import SOURCES_FILE, SourcesError, discover, file_kind, load_sources


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folders_are_walked_recursively_in_a_stable_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.html", "sub/c.htm", "sub/deeper/d.txt", "notes.md", ".hidden.txt", ".git/e.txt"):
        touch(tmp_path / name)
    inputs, failures, skipped = discover([str(tmp_path)])
    assert failures == [] and skipped == {".md": 1}
    assert [Path(i.location).relative_to(tmp_path).as_posix() for i in inputs] == [
        "a.html",
        "b.txt",
        "sub/c.htm",
        "sub/deeper/d.txt",
    ]
    assert [i.kind for i in inputs] == ["html", "text", "html", "text"]


def test_symlinked_folders_are_not_followed(tmp_path: Path) -> None:
    touch(tmp_path / "a.txt")
    os.symlink(tmp_path, tmp_path / "loop")
    inputs, _, _ = discover([str(tmp_path)])
    assert len(inputs) == 1


def test_urls_files_and_published_override(tmp_path: Path) -> None:
    text = touch(tmp_path / "one.txt")
    feed = FIXTURES / "feeds" / "heise.atom"
    inputs, failures, _ = discover(["https://example.com/a", str(text), str(feed)], published=date(2024, 1, 2))
    assert failures == []
    assert [(i.kind, i.published) for i in inputs] == [("url", None), ("text", date(2024, 1, 2)), ("feed", None)]


def test_unknown_arguments_become_discover_failures(tmp_path: Path) -> None:
    inputs, failures, _ = discover([str(tmp_path / "missing.txt"), "no-such-source"])
    assert inputs == []
    assert [f.stage for f in failures] == ["discover", "discover"]
    assert "no such file, folder or URL" in failures[0].reason


def test_shipped_sources_name_only_the_samples() -> None:
    sources = load_sources(SOURCES_FILE)
    assert [(s.name, s.kind, s.enabled) for s in sources] == [("samples", "folder", True)]
    assert Path(sources[0].location) == ROOT / "data" / "samples"
    inputs, failures, _ = discover([])
    assert failures == [] and [Path(i.location).name for i in inputs] == ["seed_article.txt"]
    assert inputs[0].source == "samples"


def test_named_sources_resolve_relative_paths_and_skip_disabled(tmp_path: Path) -> None:
    touch(tmp_path / "texts" / "a.txt")
    config = touch(
        tmp_path / "sources.toml",
        """
[[source]]
name = "local"
kind = "folder"
location = "texts"
language = "en"

[[source]]
name = "wire"
kind = "feed"
location = "https://example.com/feed.xml"
enabled = false
""",
    )
    inputs, _, _ = discover([], config)
    assert [(Path(i.location).name, i.source) for i in inputs] == [("a.txt", "local")]
    named, failures, _ = discover(["wire"], config)
    assert failures == [] and [(i.location, i.kind, i.source) for i in named] == [
        ("https://example.com/feed.xml", "url", "wire")
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[source]]\nname = "x"\nkind = "ftp"\nlocation = "a"\n',
            "unknown kind 'ftp'; use one of folder, file, feed, page",
        ),
        ('[[source]]\nname = "x"\nkind = "page"\nlocation = "a"\ncolour = 1\n', "unknown key(s) colour"),
        ('[[source]]\nname = "x"\nkind = "page"\n', "missing key(s) location"),
        ("[[source]\n", "not valid TOML"),
    ],
)
def test_bad_sources_files_name_the_file_entry_and_fix(tmp_path: Path, body: str, message: str) -> None:
    config = touch(tmp_path / "sources.toml", body)
    with pytest.raises(SourcesError, match="sources.toml") as info:
        load_sources(config)
    assert message in str(info.value)


def test_file_kind_sniffs_unknown_suffixes(tmp_path: Path) -> None:
    assert file_kind(touch(tmp_path / "a.feed", '<?xml version="1.0"?><rss version="2.0"></rss>')) == "feed"
    assert file_kind(touch(tmp_path / "b.page", "<!DOCTYPE html><html><body>x</body></html>")) == "html"
    assert file_kind(touch(tmp_path / "c.dat", "plain words")) == "text"
