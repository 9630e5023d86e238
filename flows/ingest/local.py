"""Local files: what a file in a folder is (by its suffix, ``.gz`` seen through) and its bytes.

A gzip-compressed file (``a.html.gz``) is the page it compresses: ``file_suffix`` gives
``.html.gz``, ``file_kind`` ``html``, and ``read_local`` its decompressed bytes, within the same
size limit as any document (so a small file that inflates past it, a "gzip bomb", is refused
without inflating the rest). Python's ``gzip`` module reads them.
"""

from __future__ import annotations

import errno
import gzip
import stat
import zlib
from pathlib import Path

from claimtrack.ingest.feeds import looks_like_feed
from claimtrack.transforms.pages import MAX_DOCUMENT_BYTES

GZIP = ".gz"
FOLDER_SUFFIXES = frozenset({".html", ".htm", ".txt", ".html.gz", ".htm.gz", ".txt.gz"})
FILE_KINDS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".rdf": "feed",
}


def file_suffix(path: Path) -> str:
    """The lower-case suffix that says what ``path`` holds: ``.html`` for ``a.HTML``,
    ``.html.gz`` for ``a.html.gz``, ``.gz`` for ``a.gz``, ``""`` for ``LICENSE``."""
    suffix = path.suffix.lower()
    if suffix != GZIP:
        return suffix
    return Path(path.stem).suffix.lower() + GZIP


def is_page(path: Path) -> bool:
    """Whether a folder's walk reads ``path``: a ``.html``/``.htm``/``.txt`` file, plain or gzipped."""
    return file_suffix(path) in FOLDER_SUFFIXES


def read_local(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """Return the bytes of the regular file at ``path`` (symlinks followed), decompressed when
    its name ends in ``.gz``.

    Raises ``OSError`` whose ``strerror`` says why: not a regular file (a folder, FIFO or
    device, which could block or never end), larger than ``max_bytes`` (decompressed, for a
    ``.gz``), not a readable gzip file, or the system's reason (permission denied, too many
    levels of symbolic links).
    """
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise OSError(errno.EINVAL, f"not a regular file ({kind})")
    gzipped = path.suffix.lower() == GZIP
    data = _gunzip(path, max_bytes + 1) if gzipped else _head(path, max_bytes + 1)
    if len(data) > max_bytes:
        what = "decompresses to more than" if gzipped else "file larger than"
        raise OSError(errno.EFBIG, f"{what} the {max_bytes:,}-byte limit for one document")
    return data


def _head(path: Path, size: int) -> bytes:
    """Up to ``size`` bytes from the start of ``path``."""
    with path.open("rb") as handle:
        return handle.read(size)


def _gunzip(path: Path, size: int) -> bytes:
    """Up to ``size`` decompressed bytes of the gzip file ``path``; raises ``OSError`` saying it
    is not a readable gzip file (corrupt, cut short, or not gzip at all) and what to do."""
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read(size)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise OSError(
            errno.EINVAL,
            f"not a readable gzip file ({reason}); fetch or copy it again, or check it with 'gunzip -t'",
        ) from exc


def file_kind(path: Path) -> str:
    """Return ``html``, ``text`` or ``feed`` for a local file: by suffix (``.gz`` seen through),
    else by its first (decompressed) bytes."""
    kind = FILE_KINDS.get(file_suffix(path).removesuffix(GZIP))
    if kind:
        return kind
    if not path.is_file():
        return "text"  # a FIFO or device: never opened here (it could block); reading reports it
    try:
        head = (_gunzip(path, 2048) if path.suffix.lower() == GZIP else _head(path, 2048)).lower()
    except OSError:
        return "text"  # reading it later reports the error with its stage
    if looks_like_feed(head):
        return "feed"
    return "html" if (b"<html" in head or b"<!doctype html" in head) else "text"
