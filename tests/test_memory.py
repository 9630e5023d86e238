"""``claimtrack.memory``: once ``flows`` is imported, glibc serves large blocks with mmap even after a
large block was freed, checked in fresh processes on this machine's real C library (``mallinfo2``)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys

import pytest

from claimtrack.memory import return_large_buffers

PROBE = """
import ctypes, sys

if sys.argv[1] == "tuned":
    import claimtrack                          # importing claimtrack's wiring sets the threshold
    from claimtrack.memory import return_large_buffers
    assert return_large_buffers()         # and setting it again changes nothing

class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = Info

def mmapped_by(size):
    before = libc.mallinfo2().hblkhd
    block = bytearray(size)
    grown = libc.mallinfo2().hblkhd - before
    del block
    return grown

big = bytearray(8 * 2**20)
del big                                  # untuned, glibc now serves blocks up to 8 MB from its arenas
print(mmapped_by(2 * 2**20), mmapped_by(64 * 1024))
"""


def mmapped(mode: str) -> tuple[int, int]:
    """Bytes mmapped for a 2 MB and a 64 KB block after an 8 MB block was freed, in a fresh process."""
    # glibc's own settings from the environment (Dask's nanny leaks MALLOC_TRIM_THRESHOLD_ into the
    # process that starts a LocalCluster) would fix the threshold already: the probe runs without.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_TUNABLES"))}
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True, env=env)
    large, small = (int(word) for word in out.stdout.split())
    return large, small


def test_large_blocks_are_mmapped_again_after_a_large_block_was_freed() -> None:
    if platform.libc_ver()[0] != "glibc":
        assert return_large_buffers() is False  # nothing to tune on other C libraries
        return
    assert mmapped("untuned")[0] == 0  # glibc's own behaviour: the 2 MB block came from an arena
    large, small = mmapped("tuned")
    assert large >= 2 * 2**20  # tuned: mmapped, so freeing it returns it at once
    assert small == 0  # blocks under 128 KiB stay in the arenas


def test_a_threshold_the_user_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", str(4 * 2**20))
    assert return_large_buffers() is False
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=4194304")
    assert return_large_buffers() is False
