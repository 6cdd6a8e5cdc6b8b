"""Reading inputs and writing outputs safely.

Inputs are read whole, up to a size cap, and only from regular files or stdin (``-``): a FIFO or a
device such as ``/dev/zero`` is refused before it is opened for reading. A regular output file is
written whole or not at all: to a temporary ``.NAME.partial-<random>`` file beside the target, then
renamed over it. An existing target that is not a regular file (``/dev/stdout``, a terminal, a
FIFO) is written in place instead, so that it stays what it is.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from pathlib import Path
from typing import IO

MAX_INPUT_BYTES = 20 * 1024 * 1024
# Temporary files older than this are left over from a killed run: no writer takes that long.
STALE_SECONDS = 60.0
PARTIAL = ".partial-"


class InputError(OSError):
    """An input that is not read: not a regular file, or larger than the cap."""


def is_stdio(path: Path | str | None) -> bool:
    """``-`` (or no path) stands for stdin or stdout."""
    return path is None or str(path) == "-"


def read_bytes(path: Path | str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The content of ``path`` (``-``: stdin), refusing anything but a regular file and anything
    over ``limit`` bytes; raises ``OSError`` (``InputError`` for those two) with a clear message."""
    if is_stdio(path):
        return _read_capped(sys.stdin.buffer, limit, "stdin")
    try:
        mode = os.stat(path).st_mode
    except ValueError:  # a NUL byte in the name
        raise InputError(f"{str(path)[:80]!r} is not a file name") from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{path} is not a regular file")
    # O_NONBLOCK: should the path turn into a FIFO after the check, opening it does not wait.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{path} is not a regular file")
        return _read_capped(handle, limit, str(path))


def read_text(path: Path | str, limit: int = MAX_INPUT_BYTES, encoding: str = "utf-8") -> str:
    """``read_bytes`` decoded (``UnicodeDecodeError`` when it is not text in ``encoding``)."""
    return read_bytes(path, limit).decode(encoding)


def _read_capped(handle: IO[bytes], limit: int, name: str) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name} is larger than {limit // (1024 * 1024)} MB")
    return data


def is_special(path: Path) -> bool:
    """``path`` exists (symlinks followed) and is not a regular file: a device, FIFO or socket."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_writable(path: Path) -> None:
    """Raise ``OSError`` early (before any solving) when ``path`` cannot be written."""
    if is_stdio(path):
        return
    if is_special(path):
        if not os.access(path, os.W_OK):
            raise OSError(f"{path} is not writable")
        return
    path = _target(path)
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OSError(f"{path} is a directory")
    if not parent.is_dir():
        raise OSError(f"directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OSError(f"{path} is not writable")


def write_output(path: Path | None, data: str | bytes) -> None:
    """Write ``data`` to ``path``: stdout for ``-`` or None, in place for a target that is not a
    regular file, else atomically."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if is_stdio(path):
        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    elif path is not None and is_special(path):
        with open(path, "wb") as handle:
            handle.write(raw)
    elif path is not None:
        write_atomic(path, raw)


def write_atomic(path: Path, data: str | bytes, follow_links: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (readers see the old file or the new, never a part).

    A symlink to a regular file keeps pointing at it: the file it points to is replaced (unless
    ``follow_links`` is false: then the link itself is). Temporary files a killed run left beside
    the target are removed first."""
    import tempfile

    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = _target(path) if follow_links else path
    folder = path.parent if str(path.parent) else Path(".")
    remove_stale_partials(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}{PARTIAL}")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as open() would create it, not mkstemp's 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_partials(path: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temporary files of earlier writes to ``path`` older than ``older_than`` seconds
    (a writer that was killed); returns those removed."""
    folder = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}{PARTIAL}"
    cutoff = time.time() - older_than
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        try:
            if (
                entry.name.startswith(prefix)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < cutoff
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _target(path: Path) -> Path:
    """The file a symlink points to (so that writing keeps the link), else ``path`` itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path
