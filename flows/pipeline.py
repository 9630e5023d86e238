"""The ``pipeline`` Prefect flow: discover -> fetch -> extract text -> extract claims ->
normalise -> load, one batch of inputs at a time.

The steps are thin tasks (``claimtrack.steps``) around the pure functions in ``claimtrack.transforms``,
arranged into batches by ``claimtrack.batches``: while the oldest batch is extracted and loaded, the next
batch is already being fetched (on Dask workers, the next two are fetched and extracted). What is already stored is
skipped (``claimtrack.ingest.incremental``, one read of the database per run); each run publishes a markdown
summary artifact and shows progress (``claimtrack.observe``). An input that fails gets one log line
and a ``failures`` row; the run goes on. The database is opened only by the flow process (the
single writer), to record the run and to load a batch, and closed at once.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import uuid
from collections import deque
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.exceptions import TerminationSignal
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from claimtrack.batches import TASK_THREADS, Batch, RunState, Started, finish_batch, start_batch
from claimtrack.defaults import default_db
from claimtrack.ingest import SOURCES_FILE, Input, load_known, resume_fetching, settings_for, stop_fetching, stopping
from claimtrack.memory import return_large_buffers
from claimtrack.observe import RunProgress, publish_summary, run_summary
from claimtrack.steps import discover_inputs, load, normalise, now
from claimtrack.transforms import warehouse
from claimtrack.transforms.model import Failure

BATCH_SIZE = 25
LOOKAHEAD = 1  # batches started ahead of the one being finished: fetch overlaps extraction
SPREAD_LOOKAHEAD = 2  # on workers (``chunks > 1``): enough queued tasks that none waits for a slow chunk
SHOWN_FAILURES = 20  # failure lines carried in the summary (all are stored)


def start_next(queue: deque[Input], in_flight: deque[Started], state: RunState, batch_size: int) -> None:
    """Start batches from ``queue`` until the lookahead + 1 are in flight or the queue is empty."""
    ahead = SPREAD_LOOKAHEAD if state.chunks > 1 else LOOKAHEAD
    while queue and len(in_flight) <= ahead:
        in_flight.append(start_batch([queue.popleft() for _ in range(min(batch_size, len(queue)))], state))


def load_batch(state: RunState, read: Batch, failures: list[Failure]) -> None:
    """Log ``failures`` and load ``read`` with them in one transaction, adding to ``state.totals``;
    every failure that lost its input is one of the batch's outcomes (``failed``)."""
    logger = get_run_logger()
    for failure in failures:
        logger.warning(failure.line())
    state.lines.extend(failure.line() for failure in failures)
    outcomes = read.outcomes + [(f.input, "failed", None) for f in failures if f.lost]
    languages = read.not_extracted()
    state.languages.update(languages)
    batch = (read.articles, read.claims, read.comparisons, failures, outcomes)
    frames = normalise(*(quote(part) for part in batch), state.run_id)
    # quote: see claimtrack.batches.mapped
    state.totals += load(state.db, state.run_id, quote(frames), languages.total())


def forget_finished(started: Started | None) -> None:
    """Drop what Prefect keeps in this flow run's memory for every task run finished so far.

    Prefect 3.9 keeps, for the whole flow run, a state per task result (``run_results``, for
    dependency tracking), the assets of each task run (``task_run_assets``) and, in the thread
    task runner, a cancel event per submitted task: all grow with the number of task runs, and
    nothing in this flow reads them once a batch is loaded. Called after each batch, so Prefect's
    share of a run's memory does not grow with its batches; the run's history in the API is kept.
    """
    context = FlowRunContext.get()
    if context is None:
        return
    context.run_results.clear()
    context.task_run_assets.clear()
    cancel_events = getattr(context.task_runner, "_cancel_events", None)
    if started is not None and isinstance(cancel_events, dict):
        for future in started.futures:
            cancel_events.pop(getattr(future, "task_run_id", None), None)


def process(state: RunState, inputs: list[Input], failures: list[Failure], batch_size: int) -> None:
    """Run every batch through fetch, text, claims, normalise and load, updating ``state``; the
    next batches are started before the oldest is finished and loaded (see the module docstring)."""
    progress = RunProgress(get_run_logger())
    queue, in_flight, pending, done = deque(inputs), deque[Started](), list(failures), 0
    try:
        while queue or in_flight or pending:
            start_next(queue, in_flight, state, batch_size)
            started = in_flight.popleft() if in_flight else None
            read = finish_batch(started, state) if started else Batch()
            queue.extend(read.more)
            load_batch(state, read, pending + read.failures)
            forget_finished(started)
            pending, done = [], done + (started.size if started else 0)
            waiting = len(queue) + sum(batch.size for batch in in_flight)
            progress.update(done, done + waiting, state.totals.articles_new, state.totals.stored, state.totals.failures)
    finally:
        progress.close()


@flow(name="pipeline", task_runner=ThreadPoolTaskRunner(max_workers=TASK_THREADS))
def pipeline(
    sources: list[str] | None = None,
    db: str | None = None,
    sources_file: str | None = None,
    published: date | None = None,
    batch_size: int = BATCH_SIZE,
    fetch_retries: int | None = None,
    fetch_backoff: float | None = None,
    fetch_settings: dict[str, Any] | None = None,
    refresh: bool = False,
    chunks: int = 1,
) -> dict[str, Any]:
    """Read ``sources`` (paths, URLs, feed URLs or names in sources.toml; none: every enabled
    source) into the database ``db`` (none: ``claimtrack.defaults.default_db()``); return the
    run's summary (counts, failure lines, workers).

    Articles already stored are skipped (``refresh`` reads everything again, and stores what
    changed as new versions); fetching follows the ``[fetch]`` table of the sources file,
    overridden by ``fetch_retries``/``fetch_backoff`` and ``fetch_settings`` (field -> value);
    ``chunks`` splits each batch's extraction into that many tasks (for a Dask task runner).
    Publishes a markdown artifact with the summary.
    """
    return_large_buffers()  # before this run reads a page (see claimtrack.memory)
    resume_fetching()  # an earlier run of this process may have been interrupted
    db_path, started = Path(db) if db else default_db(), now()
    run_id = flow_run.get_id() or uuid.uuid4().hex
    host = platform.node()  # recorded with the run, with its process id
    close_abandoned_runs(db_path, host)
    warehouse.start_run(db_path, run_id, started, json.dumps(sources or []), host, os.getpid())
    state: RunState | None = None
    try:
        state = RunState(
            run_id,
            db_path,
            settings_for(Path(sources_file or SOURCES_FILE), fetch_retries, fetch_backoff, fetch_settings),
            load_known(db_path),
            chunks,
            refresh=refresh,
        )
        inputs, failures, state.files_skipped = discover_inputs(
            sources or [], Path(sources_file or SOURCES_FILE), published
        )
        process(state, inputs, failures, batch_size)
        warehouse.save_feed_states(db_path, state.ledger.to_frame())
    except BaseException as exc:  # the batches loaded so far are kept, and counted
        status = run_status(exc)
        if status == "interrupted":
            stop_fetching()  # in-flight fetches give up now (Prefect's SIGTERM handler ran, not claimtrack's)
        warehouse.finish_run(db_path, run_id, now(), status, state.totals if state else warehouse.LoadCounts())
        if state:
            warehouse.finish_run_extra(db_path, run_id, state.totals.stored, state.ledger.unchanged)
        raise
    finished = now()
    warehouse.finish_run(db_path, run_id, finished, "completed", state.totals)
    warehouse.finish_run_extra(db_path, run_id, state.totals.stored, state.ledger.unchanged)
    summary = run_summary(state, sources or [], SHOWN_FAILURES)
    publish_summary(summary, started.isoformat(timespec="seconds"), finished.isoformat(timespec="seconds"))
    return summary


def close_abandoned_runs(db_path: Path, host: str) -> None:
    """Mark ``abandoned`` the runs of ``host`` (this one) still ``running`` whose process is gone
    (killed outright, so it never closed its row); a run whose process lives on is left alone."""
    gone = [run for run, pid in warehouse.running_runs(db_path, host) if not process_exists(pid)]
    warehouse.abandon_runs(db_path, gone)


def process_exists(pid: int) -> bool:
    """True when a process ``pid`` exists on this host (signal 0 tests it, sending nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def run_status(exc: BaseException) -> str:
    """The ``runs`` status of a run that ``exc`` ended: ``interrupted`` by a signal (Ctrl-C,
    SIGTERM), else ``failed``."""
    return "interrupted" if isinstance(exc, KeyboardInterrupt | TerminationSignal) or stopping() else "failed"


class _NoTraceback(logging.Filter):
    """Drop tracebacks from console log records (Prefect's own log store keeps them), and
    Prefect's records of the exception or signal that ended a run: the command says it in one line."""

    ENDINGS = ("Crash detected!", "Encountered exception during execution")

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return not (record.levelno >= logging.ERROR and record.getMessage().startswith(self.ENDINGS))


PREFECT_QUEUE_LOGGERS = ("EventsWorker", "APILogWorker")  # Prefect's own event and log queues, named by class


def quiet_logs(tracebacks: bool = False) -> None:
    """Silence HTML-extraction chatter and Prefect's warnings about draining its own event and log
    queues; unless ``tracebacks``, keep console log records to one line."""
    from prefect.logging.configuration import setup_logging

    for name in ("trafilatura", "htmldate", "charset_normalizer"):
        logging.getLogger(name).setLevel(logging.ERROR)
    setup_logging()
    for name in PREFECT_QUEUE_LOGGERS:  # "Still processing items: 1 items remaining..." as a run ends
        logging.getLogger(name).setLevel(logging.ERROR)
    if not tracebacks:
        for handler in logging.getLogger().handlers:
            if not any(isinstance(f, _NoTraceback) for f in handler.filters):
                handler.addFilter(_NoTraceback())


STARTUP_TIMEOUT = "Timed out while attempting to connect to ephemeral Prefect API server"


def run_pipeline(tracebacks: bool = False, task_runner: Any = None, **parameters: Any) -> dict[str, Any]:
    """Call ``pipeline(**parameters)`` (on ``task_runner`` when given) with one-line console logs;
    return its summary or raise the exception that failed it (without Prefect's wrapping).

    When Prefect's temporary server does not come up in time (a busy machine), it is stopped and
    started once more; a second time-out raises ``ServerError`` saying what to do.
    """
    from claimtrack.local_server import ServerError

    quiet_logs(tracebacks)
    flow_to_run = pipeline.with_options(task_runner=task_runner) if task_runner is not None else pipeline
    for attempt in (1, 2):
        try:
            state = flow_to_run(**parameters, return_state=True)
            break
        except RuntimeError as exc:
            if not str(exc).startswith(STARTUP_TIMEOUT):
                raise
            stop_temporary_server()
            if attempt == 2:
                raise ServerError(
                    "Prefect's temporary server did not start in time, twice (is the machine busy?); "
                    "start one with 'prefect server start' in another terminal and set "
                    "PREFECT_API_URL=http://127.0.0.1:4200/api, or set "
                    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS higher"
                ) from None
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return dict(result)


def stop_temporary_server() -> None:
    """Stop the temporary API server a timed-out start left running (Prefect does not)."""
    from prefect.server.api.server import SubprocessASGIServer

    SubprocessASGIServer().stop()
