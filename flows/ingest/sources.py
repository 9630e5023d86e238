"""Find what a run reads: files, folders, article URLs, feeds, and named sources in sources.toml.

``discover`` turns the SOURCE arguments of ``claimtrack run`` (or, with none, every enabled
source in ``data/sources.toml``) into ``Input`` items. Folders are walked recursively for
``.html``/``.htm``/``.txt`` files, plain or gzipped (``a.html.gz``), in a stable order (symlinked
folders are not followed); the other files found there are counted by suffix (``Discovered.skipped``),
so a run can say what it did not read. A URL becomes a ``url`` input: whether it is a feed or a
page is decided from the response. What a local file holds and its bytes: ``claimtrack.ingest.local``.
"""

from __future__ import annotations

import os
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from claimtrack.ingest.local import file_kind, file_suffix, is_page
from claimtrack.ingest.settings import FetchSettings, fetch_settings
from claimtrack.transforms.model import Failure
from claimtrack.transforms.rules import data_file, display_path

SOURCES_FILE = data_file("sources.toml")
SOURCE_KINDS = ("folder", "file", "feed", "page")
SOURCE_KEYS: dict[str, tuple[type, str]] = {  # key -> (type, an example value as TOML)
    "name": (str, '"samples"'),
    "kind": (str, '"feed"'),
    "location": (str, '"https://example.org/feed.xml"'),
    "language": (str, '"en"'),
    "enabled": (bool, "false"),
    "schedule": (str, '"0 * * * *"'),
    "allow_private_addresses": (bool, "true"),
}


class Discovered(NamedTuple):
    """What ``discover`` found: the inputs, a failure per argument it could not resolve, and the
    files in folders that are not pages, counted by suffix (``file_suffix``; ``""`` for none)."""

    inputs: list[Input]
    failures: list[Failure]
    skipped: Counter[str]


class SourcesError(ValueError):
    """``sources.toml`` is malformed; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Input:
    """One thing to read at ``location``. ``kind``: ``html``, ``text`` or ``feed`` (local files) or
    ``url``; the other fields are given by keyword.

    ``published`` is the user's override for local files; ``via`` is the feed whose item
    linked to it, and ``feed_date``/``feed_title`` that item's date and title; ``source`` is the
    named source it came from.
    """

    location: str
    kind: str
    _: KW_ONLY
    source: str | None = None
    language: str = "en"
    published: date | None = None
    feed_date: date | None = None
    feed_title: str | None = None
    via: str | None = None
    allow_private: bool = False  # from a source with allow_private_addresses (see claimtrack.ingest.network)


@dataclass(frozen=True)
class Source:
    """One ``[[source]]`` entry of sources.toml; ``location`` is already resolved."""

    name: str
    kind: str
    location: str
    language: str = "en"
    enabled: bool = True
    schedule: str | None = None
    allow_private_addresses: bool = False  # its URLs (and a feed's items) may be on the user's network


def is_url(text: str) -> bool:
    """Return True for an absolute http(s) URL."""
    return text.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class SourcesFile:
    """What a sources.toml holds: its ``[[source]]`` entries and its ``[fetch]`` settings."""

    sources: list[Source]
    fetch: FetchSettings


def read_sources_file(path: Path = SOURCES_FILE) -> SourcesFile:
    """Parse and check the whole of ``path``: the top level, the ``[fetch]`` table (types and
    ranges) and every ``[[source]]`` entry (keys, types, unique names); relative locations
    resolve against the file's folder.

    Raises ``SourcesError`` (``FetchSettingsError`` for ``[fetch]``) naming the file, the entry or
    key and the fix, in one line.
    """
    where = display_path(path)
    raw = _parse(path, where)
    unknown = sorted(set(raw) - {"fetch", "source"})
    if unknown:
        raise SourcesError(f"{where}: unknown key '{unknown[0]}'; the file holds a [fetch] table and [[source]] tables")
    settings = fetch_settings(raw.get("fetch", {}), where)
    entries = raw.get("source", [])
    if not isinstance(entries, list):
        raise SourcesError(f"{where}: 'source' must be a list of [[source]] tables; write each as [[source]]")
    sources = [_source(path, i, entry) for i, entry in enumerate(entries, 1)]
    names = [source.name for source in sources]
    twice = next((name for name in names if names.count(name) > 1), None)
    if twice is not None:
        raise SourcesError(f"{where}: two sources are named '{twice}'; give each source its own name")
    return SourcesFile(sources, settings)


def _parse(path: Path, where: str) -> dict[str, Any]:
    """The TOML of ``path`` as a dict; raises ``SourcesError`` saying why it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SourcesError(f"{where}: file not found; create it or pass --sources-file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{where}: not valid TOML ({exc}); fix the syntax") from exc
    except RecursionError as exc:
        raise SourcesError(
            f"{where}: arrays or tables nested too deeply to read; write plain values "
            "(strings, numbers, true or false) in [fetch] and [[source]]"
        ) from exc


def check_sources_file(path: Path, required: bool = True) -> None:
    """Check the whole sources file before any work (see ``read_sources_file``); a missing file
    is an error only when ``required``."""
    if required or path.exists():
        read_sources_file(path)


def load_sources(path: Path = SOURCES_FILE) -> list[Source]:
    """The ``[[source]]`` entries of ``path`` (the whole file is checked; see ``read_sources_file``)."""
    return read_sources_file(path).sources


def load_fetch_settings(path: Path) -> FetchSettings:
    """The settings of ``path``'s ``[fetch]`` table (defaults when absent or no file).

    Raises ``SourcesError``/``FetchSettingsError`` for anything malformed in the file."""
    return read_sources_file(path).fetch if path.exists() else FetchSettings()


def settings_for(
    sources_file: Path,
    retries: int | None = None,
    backoff: float | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> FetchSettings:
    """The settings of a run: ``sources_file``'s ``[fetch]`` table, then ``overrides`` (field ->
    value), then ``retries``/``backoff`` when given (the ``run`` options)."""
    settings = load_fetch_settings(sources_file).with_overrides(overrides)
    given = {"retries": retries, "backoff": backoff}
    return settings.with_overrides({k: v for k, v in given.items() if v is not None})


def _source(path: Path, number: int, entry: Any) -> Source:
    """Check one ``[[source]]`` table and resolve its location."""
    name = entry.get("name", f"#{number}") if isinstance(entry, dict) else f"#{number}"
    where = f"{display_path(path)}: source '{name}'"
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: expected a table; write it as [[source]] with key = value lines")
    unknown = sorted(set(entry) - set(SOURCE_KEYS))
    missing = [key for key in ("name", "kind", "location") if key not in entry]
    if unknown or missing:
        problem = f"unknown key(s) {', '.join(unknown)}" if unknown else f"missing key(s) {', '.join(missing)}"
        raise SourcesError(f"{where}: {problem}; use {', '.join(sorted(SOURCE_KEYS))}")
    for key, value in entry.items():
        _check_value(where, key, value)
    if entry["kind"] not in SOURCE_KINDS:
        raise SourcesError(f"{where}: unknown kind '{entry['kind']}'; use one of {', '.join(SOURCE_KINDS)}")
    location = entry["location"]
    if not is_url(location):
        location = str((path.parent / location).resolve())
    return Source(
        name=entry["name"],
        kind=entry["kind"],
        location=location,
        language=entry.get("language", "en"),
        enabled=entry.get("enabled", True),
        schedule=entry.get("schedule"),
        allow_private_addresses=entry.get("allow_private_addresses", False),
    )


def _check_value(where: str, key: str, value: Any) -> None:
    """Raise ``SourcesError`` unless ``value`` has the type ``SOURCE_KEYS`` gives ``key``."""
    wanted, example = SOURCE_KEYS[key]
    if wanted is bool and not isinstance(value, bool):
        raise SourcesError(f"{where}: {key} = {value!r}: expected true or false (no quotes); e.g. {key} = {example}")
    if wanted is str and (not isinstance(value, str) or not value.strip()):
        raise SourcesError(f"{where}: {key} = {value!r}: expected a non-empty quoted string; e.g. {key} = {example}")


def discover(args: Sequence[str], sources_file: Path = SOURCES_FILE, published: date | None = None) -> Discovered:
    """Return the inputs named by ``args`` (or by every enabled source when ``args`` is empty),
    a ``discover`` failure for each argument that is neither a path, a URL nor a source name,
    and the files skipped in folders (``Discovered``).

    ``published`` overrides the publication date of local files.
    """
    named: dict[str, Source] | None = None
    inputs: list[Input] = []
    failures: list[Failure] = []
    skipped: Counter[str] = Counter()
    if not args:
        enabled = [s for s in load_sources(sources_file) if s.enabled]
        return Discovered([i for s in enabled for i in expand_source(s, published, skipped)], [], skipped)
    for arg in args:
        if is_url(arg) or Path(arg).exists():
            inputs.extend(expand_location(arg, published=published, skipped=skipped))
            continue
        if named is None:
            named = {s.name: s for s in load_sources(sources_file)} if sources_file.exists() else {}
        if arg in named:
            inputs.extend(expand_source(named[arg], published, skipped))
        else:
            failures.append(
                Failure(
                    arg,
                    "discover",
                    f"no such file, folder or URL, and no source of that name in {display_path(sources_file)}",
                    datetime.now(UTC),
                )
            )
    return Discovered(inputs, failures, skipped)


def check_arguments(args: Sequence[str], sources_file: Path = SOURCES_FILE) -> None:
    """Check SOURCE arguments before any work: each must be an existing path, a well-formed
    http(s) URL (with a host) or the name of a source in ``sources_file``. Raises
    ``SourcesError`` naming the first that is none of these, and what to do."""
    named: set[str] | None = None
    for arg in args:
        if is_url(arg):
            try:
                host = urlsplit(arg).hostname
            except ValueError:
                host = None
            if not host or any(char.isspace() for char in arg.strip()):
                raise SourcesError(f"{arg}: not a well-formed URL; write it as http(s)://host/path")
            continue
        if Path(arg).exists():
            continue
        if named is None:
            named = {s.name for s in load_sources(sources_file)} if sources_file.exists() else set()
        if arg not in named:
            raise SourcesError(
                f"{arg}: no such file, folder or URL, and no source of that name in {display_path(sources_file)};"
                " check the path or name"
            )


def expand_source(source: Source, published: date | None = None, skipped: Counter[str] | None = None) -> list[Input]:
    """Return the inputs of one named source (a feed or page URL, a file or a folder); they
    carry the source's ``allow_private_addresses`` (a feed passes it on to its items). Files of
    a folder that are not pages are counted in ``skipped``."""
    location, name, language = source.location, source.name, source.language
    inputs = expand_location(location, name, language, published, source.kind == "feed", skipped)
    return [replace(i, allow_private=True) for i in inputs] if source.allow_private_addresses else inputs


def expand_location(
    location: str,
    source: str | None = None,
    language: str = "en",
    published: date | None = None,
    force_feed: bool = False,
    skipped: Counter[str] | None = None,
) -> list[Input]:
    """Return the inputs at ``location``: one for a URL or a file, every page (``walk``) for a
    folder, whose other files are counted by suffix in ``skipped``."""
    if is_url(location):
        return [Input(location, "url", source=source, language=language)]
    path = Path(location)
    files = sorted(walk(path, skipped)) if path.is_dir() else [path]
    kinds = ["feed" if force_feed else file_kind(f) for f in files]
    return [
        Input(str(absolute(f)), kind, source=source, language=language, published=published if kind != "feed" else None)
        for f, kind in zip(files, kinds, strict=True)
    ]


def absolute(path: Path) -> Path:
    """Return ``path`` resolved, or only made absolute when it is a symlink loop (reading it
    later reports the loop as that file's failure)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError before Python 3.13
        return path.absolute()


def walk(folder: Path, skipped: Counter[str] | None = None) -> Iterator[Path]:
    """Yield the pages under ``folder`` (``.html``/``.htm``/``.txt`` files, plain or gzipped),
    skipping hidden entries and never following symlinked folders (so a symlink loop cannot trap
    the walk); every other file is counted by suffix in ``skipped`` when given."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if is_page(Path(name)):
                yield Path(root) / name
            elif skipped is not None:
                skipped[file_suffix(Path(name))] += 1
