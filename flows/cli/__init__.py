"""The ``claimtrack`` command: ``main`` is the click group (``group``), one module per command,
their shared options and error handling in ``options``."""

from claimtrack.cli.group import main

__all__ = ["main"]
