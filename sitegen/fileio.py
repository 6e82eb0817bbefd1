"""Writing files so that a reader never sees half of one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def atomic_write(path: Path, content: bytes | str | Callable[[BinaryIO], object], *, cache: bool = False) -> None:
    """Write CONTENT to PATH through a temporary file and a rename.

    CONTENT may be a function that writes to the open file, so large data
    (the build state) is streamed rather than held twice in memory.  For a
    CACHE file the old one is removed first: renaming over an existing file
    makes ext4 flush the new one to disk, which a cache does not need."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
