"""Helpers shared by the fault tests: run the flow, snapshot the stored tables."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from transforms import warehouse

STORED = ("article_records", "claim_records", "comparison_records")
FAST_FETCH = {"host_delay": 0.0, "host_concurrency": 8, "connect_timeout": 0.5, "read_timeout": 0.5}


def run(db: Path, *sources: str, **options: Any) -> dict[str, Any]:
    """Run the pipeline flow on ``sources`` into ``db`` (no retries, no politeness delays,
    0.5 s timeouts: the servers are ours); return its summary."""
    from flows.pipeline import pipeline

    options.setdefault("fetch_settings", FAST_FETCH)
    options.setdefault("fetch_backoff", 0.01)
    options.setdefault("fetch_retries", 0)
    return pipeline(sources=list(sources), db=str(db), **options)


def stored(db: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on ``db``."""
    return warehouse.query(db, sql).rows()


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the stored tables, sorted (empty lists when ``db`` does not exist yet)."""
    if not db.exists():
        return {name: [] for name in STORED}
    return {name: stored(db, f"select * from {name} order by all") for name in STORED}
