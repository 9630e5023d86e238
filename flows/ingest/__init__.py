"""Ingest: what a run reads and how, the only network code of claimtrack.

``sources`` turns SOURCE arguments and ``data/sources.toml`` (checked whole, with ``settings``
for its ``[fetch]`` table) into ``Input`` items, counting the files of folders it does not read;
``local`` says what a local file holds and reads it (gzipped ones decompressed); ``http`` does one HTTP GET
(``fetch``), connecting only to the addresses ``network`` allows, for a bounded time; ``feeds``
parses RSS/Atom feeds; ``polite`` wraps fetching with robots.txt, per-host limits and retries;
``incremental`` says what a run can skip (articles already stored, feeds unchanged since the last
run) and what each article read is (new, a new version, a copy, already stored).
"""

from claimtrack.ingest.feeds import FeedError, looks_like_feed, parse_feed
from claimtrack.ingest.http import FetchError, Page, fetch
from claimtrack.ingest.incremental import (
    FeedLedger,
    Known,
    Seen,
    Sorted,
    conditional_headers,
    forget_failed,
    load_known,
    sort_articles,
    split_stored,
)
from claimtrack.ingest.local import read_local
from claimtrack.ingest.network import resume_fetching, stop_fetching, stopping
from claimtrack.ingest.polite import polite_fetch
from claimtrack.ingest.settings import FetchSettings, FetchSettingsError
from claimtrack.ingest.sources import (
    SOURCES_FILE,
    Discovered,
    Input,
    SourcesError,
    check_arguments,
    check_sources_file,
    discover,
    load_sources,
    settings_for,
)

__all__ = [
    "SOURCES_FILE",
    "Discovered",
    "FeedError",
    "FeedLedger",
    "FetchError",
    "FetchSettings",
    "FetchSettingsError",
    "Input",
    "Known",
    "Page",
    "Seen",
    "Sorted",
    "SourcesError",
    "check_arguments",
    "check_sources_file",
    "conditional_headers",
    "discover",
    "fetch",
    "forget_failed",
    "load_known",
    "load_sources",
    "looks_like_feed",
    "parse_feed",
    "polite_fetch",
    "read_local",
    "resume_fetching",
    "settings_for",
    "sort_articles",
    "split_stored",
    "stop_fetching",
    "stopping",
]
