"""Keeping a long run's memory flat: large buffers go back to the system when they are freed.

glibc's ``malloc`` serves a block of 128 KiB or more with ``mmap`` (returned to the system on
``free``), but each time such a block is freed it raises that threshold to the block's size, up
to 32 MB. After the first 2 MB page, fetched bodies, decoded HTML and extracted texts (tens of
KB to a few MB each) are carved from the arenas of the threads that allocate them (the fetch
threads, the flow thread), which fragment and keep growing: in a flow run of 2,500 pages the
arenas grew from 98 to 190 MB while the memory in use stayed between 60 and 120 MB
(``mallinfo2``). Setting the threshold explicitly (``mallopt(M_MMAP_THRESHOLD)``, at its default
value) turns the raising off; set at process start, the arenas grew from 59 to 87 MB over 4,000
pages and the peak per 200 pages stayed between 366 and 387 MB. Dask gives its workers the same
effect (``MALLOC_TRIM_THRESHOLD_`` in ``distributed.nanny.pre-spawn-environ``: setting any of
glibc's thresholds turns the raising off). The alternatives measured, the price in speed and the
benchmark's figures are in README.md, "Throughput and memory".
"""

from __future__ import annotations

import ctypes
import os
import platform

M_MMAP_THRESHOLD = -3  # mallopt parameter number, from glibc's malloc.h
MMAP_THRESHOLD = 128 * 1024  # glibc's default threshold, kept fixed


def return_large_buffers() -> bool:
    """Make glibc serve blocks of ``MMAP_THRESHOLD`` bytes or more with ``mmap`` for the rest of
    this process, so freeing them returns the memory at once. Call it before the work allocates
    (the ``pipeline`` flow does, first thing): glibc looks at the threshold only when its free memory cannot
    serve a block, so blocks already freed into the arenas are reused there. Safe to call again
    (and from any thread); returns False, changing nothing, when the C library is not glibc
    (macOS, musl) or the user set the threshold (``user_has_set_it``)."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc" or user_has_set_it():
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


def user_has_set_it() -> bool:
    """Whether this process was started with its own mmap threshold (``MALLOC_MMAP_THRESHOLD_``,
    or ``glibc.malloc.mmap_threshold`` in ``GLIBC_TUNABLES``): the user's choice is kept."""
    return "MALLOC_MMAP_THRESHOLD_" in os.environ or "glibc.malloc.mmap_threshold" in os.environ.get(
        "GLIBC_TUNABLES", ""
    )
