"""Writing files so that a reader never sees half of one."""
from __future__ import annotations

import errno
import itertools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from .errors import ServiceError

_NAMES = itertools.count()   # temporary names unique within this process, whatever the thread


def atomic_write(path: Path, content: bytes | str | Callable[[BinaryIO], object], *,
                 cache: bool = False) -> None:
    """Write CONTENT to PATH through a temporary file and a rename.

    CONTENT may be a function that writes to the open file, so large data
    (the build state) is streamed rather than held twice in memory.  For a
    CACHE file the old one is removed first: renaming over an existing file
    makes ext4 flush the new one to disk, which a cache does not need.  The
    file gets the permissions any new file gets (the umask's), as open() gives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temporary(path)
    try:
        with naming(path), os.fdopen(fd, "wb") as handle:
            if callable(content):
                content(handle)
            else:
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        if cache:
            path.unlink(missing_ok=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_bytes(path: os.PathLike[str] | str, limit: int | None = None, flags: int = 0) -> bytes:
    """The bytes of the file at PATH (at most LIMIT of them, from its start, when given),
    opened with FLAGS besides reading (O_NOFOLLOW, say).  Plain system calls: a build reads
    and hashes tens of thousands of files, and a buffered file object costs a third more."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | flags)
    try:
        # os.read allocates what it is asked for: ask for the size the file has, and one byte
        # more to see its end; then on in 64 KiB steps if it grew meanwhile.
        info = os.fstat(fd)
        ask = info.st_size + 1
        chunks: list[bytes] = []
        size = 0
        while limit is None or size < limit:
            asked = ask if limit is None else min(ask, limit - size)
            chunk = os.read(fd, asked)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < asked and S_ISREG(info.st_mode):
                break   # a plain file's read comes back short only at its end: no read to see it
            ask = 65536
        return b"".join(chunks)
    finally:
        os.close(fd)


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new, empty file beside PATH, open for writing, and its name.  (Not
    tempfile.mkstemp: its files are private to their owner, and importing it
    costs every build a few milliseconds.)"""
    while True:
        tmp = f"{path.parent}/.{path.name}.{os.getpid()}.{next(_NAMES)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666), tmp
        except FileExistsError:   # left by a process that had this number before
            continue


# What to do about a file system failure, by errno: the build's output or
# cache cannot be written (or read), which is no fault in the site's files.
_FULL = ("cannot write: there is no room left to write it (disk full, quota or file size limit); "
         "free some space")
_ELSEWHERE = "check who owns it, or build somewhere else (--out DIR, --state DIR)"
_ADVICE: dict[int | None, str] = {
    errno.ENOSPC: _FULL, errno.EDQUOT: _FULL, errno.EFBIG: _FULL,
    errno.EROFS: "cannot write: the file system is read-only; "
                 "build somewhere writable (--out DIR, --state DIR)",
    errno.EACCES: f"permission denied; {_ELSEWHERE}",
    errno.EPERM: f"operation not permitted; {_ELSEWHERE}",
    errno.EIO: "the disk reported an input/output error; check the disk",
}


def file_system_failure(exc: OSError, what: str = "the previous build is untouched",
                        again: str = "build again") -> ServiceError:
    """EXC as an outside failure (exit 3) naming the path and what to do, then
    AGAIN; WHAT says the state things are left in."""
    where = _shown(exc.filename) if exc.filename else "sitegen"
    advice = _ADVICE.get(exc.errno) or f"{exc.strerror or exc}; check the disk and the folder"
    return ServiceError(where, f"{advice}, then {again} ({what})")


@contextmanager
def naming(path: Path | str) -> Iterator[None]:
    """Give an OSError raised in the block PATH as its file name, if it has none
    (write(2) failing for a full disk names no file)."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from exc
        raise


def _shown(path: str | bytes) -> str:
    """PATH relative to the current folder when inside it, else absolute."""
    path = os.fsdecode(path)
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
