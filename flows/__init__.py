"""claimtrack's wiring: the ``claimtrack`` CLI, the Prefect ``pipeline`` flow, fetching and
source discovery. The library work happens in ``transforms``; this package only connects it.

Importing ``flows`` or ``flows.cli`` does not import Prefect or DuckDB (``claimtrack extract``
stays fast); ``flows.pipeline`` does. Importing ``flows`` first fixes glibc's mmap threshold for
the process (``flows.memory``): the CLI, a Prefect worker loading the deployment and a Dask worker
running a task all import it before any page is read.
"""
from __future__ import annotations

import os
from pathlib import Path

from flows.memory import return_large_buffers

return_large_buffers()

from transforms.rules import DATA_DIR  # noqa: E402 - after the allocator is set

DEFAULT_DB = DATA_DIR / "claimtrack.duckdb"
DEFAULT_DASHBOARD = DATA_DIR.parent / "dashboards" / "claimtrack.html"  # git-ignored


def default_db() -> Path:
    """Return the database path: ``$CLAIMTRACK_DB`` when set, else ``data/claimtrack.duckdb``."""
    return Path(os.environ.get("CLAIMTRACK_DB") or DEFAULT_DB)
