"""Ingest: what a run reads and how, the only network code of claimtrack.

``sources`` turns SOURCE arguments and ``data/sources.toml`` into ``Input`` items and reads
local files; ``http`` does one HTTP GET (``fetch``) and parses RSS/Atom feeds; ``polite`` wraps it with
robots.txt, per-host limits and retries; ``incremental`` says what a run can skip (articles
already stored, feeds unchanged since the last run) and what each article read is (new, a new
version, a copy, already stored).
"""

from claimtrack.ingest.http import FeedError, FetchError, Page, fetch, looks_like_feed, parse_feed
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
from claimtrack.ingest.polite import FetchSettings, FetchSettingsError, polite_fetch, settings_for
from claimtrack.ingest.sources import (
    SOURCES_FILE,
    Input,
    SourcesError,
    check_arguments,
    discover,
    load_sources,
    read_local,
)

__all__ = [
    "SOURCES_FILE",
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
    "settings_for",
    "sort_articles",
    "split_stored",
]
