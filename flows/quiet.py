"""Output nobody asked for, turned off before Prefect or Dask load: Prefect's telemetry notice
(its SDK telemetry honours ``DO_NOT_TRACK``) and server analytics, and Dask's INFO lines from a
``--dask local`` cluster (scheduler and workers log at WARNING; the workers inherit it through
``DASK_LOGGING__DISTRIBUTED``). A value the user set in the environment is kept."""

from __future__ import annotations

import logging
import os

QUIET_PREFECT = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
QUIET_DASK = {"DASK_LOGGING__DISTRIBUTED": "warning"}


def quiet_prefect() -> None:
    """No telemetry notice and no analytics from Prefect in this process and its children."""
    for name, value in QUIET_PREFECT.items():
        os.environ.setdefault(name, value)


def quiet_dask() -> None:
    """Dask's ``distributed`` logs warnings and errors only, here and in the workers it starts."""
    for name, value in QUIET_DASK.items():
        os.environ.setdefault(name, value)
    level = os.environ["DASK_LOGGING__DISTRIBUTED"].upper()
    logging.getLogger("distributed").setLevel(getattr(logging, level, logging.WARNING))
