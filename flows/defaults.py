"""Where claimtrack writes when not told: the database and the dashboard page.

In a source checkout (an editable install: the bundled data is the repository's ``data/``
folder) they stay in the checkout, ``data/claimtrack.duckdb`` and
``dashboards/claimtrack.html`` (both git-ignored). An installed copy lives in site-packages,
which is no place to write, so it uses a per-user data folder instead:
``$XDG_DATA_HOME/claimtrack`` (default ``~/.local/share/claimtrack``), ``~/Library/Application
Support/claimtrack`` on macOS, ``%LOCALAPPDATA%\\claimtrack`` on Windows. ``$CLAIMTRACK_DB``
overrides the database everywhere, ``$CLAIMTRACK_DASHBOARD`` the dashboard page.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from claimtrack.transforms.rules import DATA_DIR

CHECKOUT_DIR = DATA_DIR.parent


def in_checkout() -> bool:
    """True when claimtrack runs from a source checkout (its ``pyproject.toml`` beside ``data/``)."""
    return (CHECKOUT_DIR / "pyproject.toml").is_file()


def user_data_dir() -> Path:
    """The per-user folder an installed claimtrack writes to (see the module docstring)."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "claimtrack"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "claimtrack"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "claimtrack"


def default_db() -> Path:
    """The database: ``$CLAIMTRACK_DB`` when set, else ``data/claimtrack.duckdb`` in a checkout,
    else ``claimtrack.duckdb`` in the user data folder (made when missing)."""
    given = os.environ.get("CLAIMTRACK_DB")
    if given:
        return Path(given)
    if in_checkout():
        return DATA_DIR / "claimtrack.duckdb"
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "claimtrack.duckdb"


def default_dashboard() -> Path:
    """The dashboard page: ``$CLAIMTRACK_DASHBOARD`` when set, else ``dashboards/claimtrack.html``
    in a checkout, else ``claimtrack.html`` in the user data folder."""
    given = os.environ.get("CLAIMTRACK_DASHBOARD")
    if given:
        return Path(given)
    return CHECKOUT_DIR / "dashboards" / "claimtrack.html" if in_checkout() else user_data_dir() / "claimtrack.html"
