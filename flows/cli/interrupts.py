"""Ctrl-C and SIGTERM during ``claimtrack run``: stop within seconds, cleanly.

``interruptible()`` installs, for its block, handlers for SIGINT and SIGTERM that tell every
fetch to give up (``claimtrack.ingest.stop_fetching``: reads, waits for a host's turn and retry
waits end within half a second) and raise ``Interrupted`` in the main thread, where the flow
runs: the batch in hand is committed or rolled back by its transaction, the run is marked
``interrupted`` in ``runs`` (``claimtrack.pipeline``), and the command prints one line and exits
with ``exit_status`` (130 for SIGINT, 143 for SIGTERM, as shells report them). Prefect's own
SIGTERM handler, installed while the flow runs, hands the signal back to this one.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Raised in the main thread when claimtrack receives SIGINT or SIGTERM."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class Caught:
    """The first signal received in an ``interruptible()`` block, or None."""

    signum: int | None = None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""


def exit_status(signum: int) -> int:
    """The exit status of a command stopped by ``signum``: 128 + its number (130, 143)."""
    return 128 + signum


@contextmanager
def interruptible() -> Iterator[Caught]:
    """Within the block, SIGINT and SIGTERM stop fetching and raise ``Interrupted`` (see the module
    docstring); yields what was caught. The previous handlers come back after the block."""
    from claimtrack.ingest import stop_fetching

    caught = Caught()

    def handler(signum: int, frame: FrameType | None) -> None:
        caught.signum = caught.signum or signum
        stop_fetching()
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
    try:
        yield caught
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)
