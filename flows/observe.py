"""What a run shows while and after it runs: a progress bar or log lines, and a summary artifact.

``RunProgress`` draws a ``rich`` progress bar on stderr when stderr is a terminal and logs one
plain line per batch otherwise (Prefect's run logger, so the lines also reach the Prefect UI).
``summary_markdown`` renders a run's summary as the markdown artifact each flow run publishes.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

ARTIFACT_KEY = "claimtrack-run-summary"


@dataclass
class RunProgress:
    """Progress of one run over a queue of inputs that grows as feeds are expanded."""

    logger: logging.Logger | logging.LoggerAdapter[Any]
    tty: bool = field(default_factory=lambda: sys.stderr.isatty())
    _bar: Any = None
    _task: Any = None

    def update(self, done: int, total: int, new: int, seen: int, failed: int) -> None:
        """Show that ``done`` of ``total`` inputs are handled, with the running counts."""
        counts = f"{new} new, {seen} already stored, {failed} failed"
        if self.tty:
            self._draw(done, total, counts)
        else:
            self.logger.info("progress: %d of %d inputs (%s)", done, total, counts)

    def _draw(self, done: int, total: int, counts: str) -> None:
        if self._bar is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("claimtrack run"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total)
        self._bar.update(self._task, completed=done, total=total, description=counts)

    def close(self) -> None:
        """Remove the bar (the summary line follows)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def run_summary(state: Any, sources: list[str], shown_failures: int) -> dict[str, Any]:
    """The summary a run returns and shows in its artifact, from its ``claimtrack.batches.RunState``:
    every input in one of new, versions, copies, already stored (``articles_seen``) and failures."""
    totals = state.totals
    return {
        "run_id": state.run_id,
        "db": str(state.db),
        "sources": sources,
        "inputs": totals.inputs,
        "articles_read": totals.articles,
        "articles_new": totals.articles_new,
        "versions": totals.versions,
        "copies": totals.copies,
        "articles_seen": totals.stored,
        "not_extracted": dict(state.languages.most_common()),
        "files_skipped": by_suffix(state.files_skipped),
        "feeds_unchanged": state.ledger.unchanged,
        "claims_stored": totals.claims,
        "comparisons_stored": totals.comparisons,
        "failures": totals.failures,
        "failure_lines": state.lines[:shown_failures],
        "workers": sorted(state.workers),
    }


def summary_markdown(summary: dict[str, Any], started: str, finished: str) -> str:
    """Return the markdown artifact of one run: when, what it read, what it stored, what failed."""
    rows = [
        ("started", started),
        ("finished", finished),
        ("sources", ", ".join(summary["sources"]) or "(all enabled)"),
        ("inputs", summary["inputs"]),
        ("articles new", summary["articles_new"]),
        ("new versions", summary["versions"]),
        ("copies", summary["copies"]),
        ("already stored", summary["articles_seen"]),
        ("failed", summary["failures"]),
        ("stored without claims (language)", languages(summary["not_extracted"]) or 0),
        ("feeds unchanged (304)", summary["feeds_unchanged"]),
        ("files in folders not read (not pages)", suffixes(summary["files_skipped"]) or 0),
        ("claims added", summary["claims_stored"]),
        ("comparisons added", summary["comparisons_stored"]),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    failures = "\n".join(f"- `{line}`" for line in summary["failure_lines"]) or "none"
    return (
        f"# claimtrack run `{summary['run_id']}`\n\ndatabase: `{summary['db']}`\n\n"
        f"| | |\n|---|---|\n{table}\n\n## Failures (first {len(summary['failure_lines'])})\n\n{failures}\n"
    )


def publish_summary(summary: dict[str, Any], started: str, finished: str) -> None:
    """Create the run's markdown artifact in Prefect (key ``claimtrack-run-summary``)."""
    from prefect.artifacts import create_markdown_artifact

    create_markdown_artifact(
        markdown=summary_markdown(summary, started, finished), key=ARTIFACT_KEY, description="claimtrack run summary"
    )


def by_suffix(counts: Counter[str]) -> dict[str, int]:
    """Counts of files by suffix, most first (``no suffix``, for the empty one, last of equals):
    ``{".json": 181, ".info": 41, "no suffix": 1}``."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], not item[0], item[0]))
    return {suffix or "no suffix": n for suffix, n in ordered}


def suffixes(counts: dict[str, int]) -> str:
    """``"224 (.json 181, .info 41, .csv 1, no suffix 1)"`` from counts by suffix, or ``""``."""
    if not counts:
        return ""
    return f"{sum(counts.values())} ({', '.join(f'{suffix} {n}' for suffix, n in counts.items())})"


def languages(counts: dict[str, int]) -> str:
    """``"7 (de 5, fr 2)"`` from counts by language, or ``""`` when there are none."""
    if not counts:
        return ""
    return f"{sum(counts.values())} ({', '.join(f'{lang} {n}' for lang, n in counts.items())})"
