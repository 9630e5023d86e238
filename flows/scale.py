"""``claimtrack run --dask``: fetch and extraction tasks on a Dask cluster via ``prefect-dask``.

``--dask tcp://HOST:PORT`` uses an existing cluster; ``--dask local`` starts a
``distributed.LocalCluster`` with one single-threaded worker process per core. Tasks in worker
processes report to Prefect, so they need a real API: ``PREFECT_API_URL``, else the local server
``claimtrack.local_server`` starts (as ``claimtrack serve`` does). Loading stays in the flow process,
the single writer of the database. Importing this module does not import Prefect or Dask.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from claimtrack.quiet import quiet_dask

F = TypeVar("F", bound=Callable[..., Any])
CHUNKS_PER_WORKER = 2  # tasks per worker and batch: keeps every worker busy
INPUTS_PER_TASK = 25  # with --dask a batch holds at least this many inputs per task
# Every Dask connection keeps its last messages for debugging (``distributed.admin.
# low-level-log-length``, 1,000 by default). In the flow process the scheduler's messages to each
# worker hold each task's spec and the client's hold each batch's pickled graph: about 3 and 6
# messages per batch, 0.6 MB of Python objects (tracemalloc), kept until 1,000 messages, i.e. for
# the first 30,000 pages or so. The flow keeps the last few instead.
MESSAGE_LOG_LENGTH = 10


def scale_options(func: F) -> F:
    """The ``run`` options ``--refresh``, ``--dask`` and ``--chunks``."""
    func = click.option(
        "--chunks",
        type=click.IntRange(1, 1000),
        default=None,
        help="Extraction tasks per batch [default: 1; with --dask, 2 per worker].",
    )(func)
    func = click.option(
        "--dask",
        metavar="tcp://HOST:PORT|local",
        default=None,
        help="Run fetch and extraction tasks on this Dask scheduler ('local': a "
        "LocalCluster, one worker process per core).",
    )(func)
    return click.option(
        "--refresh", is_flag=True, help="Read and extract every input again, even those already stored."
    )(func)


def require_dask() -> None:
    """Raise ``click.ClickException`` saying which extra to install when Dask or prefect-dask is missing."""
    try:
        import distributed  # noqa: F401
        import prefect_dask  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(
            f"--dask needs the dask extra ({exc.name} is not installed): pip install 'claimtrack[dask]' "
            "(in a checkout: pip install -e '.[dask]')"
        ) from None


def workers_of(address: str) -> int:
    """How many workers ``--dask ADDRESS`` gives (``local``: one per core)."""
    if address == "local":
        return os.cpu_count() or 2
    from distributed import Client

    with Client(address, timeout="10s") as client:
        return max(1, len(client.scheduler_info().get("workers", {})))


def task_runner(address: str) -> Any:
    """The ``DaskTaskRunner`` for ``--dask ADDRESS`` (``local`` starts a LocalCluster)."""
    import dask
    from prefect_dask import DaskTaskRunner

    dask.config.set({"distributed.admin.low-level-log-length": MESSAGE_LOG_LENGTH})
    if address == "local":
        dask.config.set({"distributed.worker.profile.enabled": False})  # its 10 ms stack sampling costs CPU
        return DaskTaskRunner(
            cluster_class="distributed.LocalCluster",
            cluster_kwargs={
                "n_workers": workers_of(address),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            },
        )
    return DaskTaskRunner(address=address)


def run_on_dask(address: str, chunks: int | None, tracebacks: bool, **parameters: Any) -> dict[str, Any]:
    """Run the pipeline with its tasks on Dask (see the module docstring); return its summary.

    Each batch is split into ``chunks`` tasks (default: 2 per worker) and holds at least
    ``INPUTS_PER_TASK`` inputs per task, so a task's work outweighs its Prefect bookkeeping."""
    from claimtrack.local_server import prefect_api

    quiet_dask()
    with prefect_api():
        from claimtrack.pipeline import run_pipeline

        parameters["chunks"] = chunks or CHUNKS_PER_WORKER * workers_of(address)
        parameters["batch_size"] = max(parameters.get("batch_size") or 0, INPUTS_PER_TASK * parameters["chunks"])
        return run_pipeline(tracebacks=tracebacks, task_runner=task_runner(address), **parameters)
