"""Writing files so that a reader never sees half of one."""
from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import BinaryIO, Callable

_NAMES = itertools.count()   # temporary names unique within this process, whatever the thread


def atomic_write(path: Path, content: bytes | str | Callable[[BinaryIO], object], *, cache: bool = False) -> None:
    """Write CONTENT to PATH through a temporary file and a rename.

    CONTENT may be a function that writes to the open file, so large data
    (the build state) is streamed rather than held twice in memory.  For a
    CACHE file the old one is removed first: renaming over an existing file
    makes ext4 flush the new one to disk, which a cache does not need.  The
    file gets the permissions any new file gets (the umask's), as open() gives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
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
