"""Writing a build without a reader ever seeing half of it: a staging folder
beside the output, then one atomic exchange for a whole new tree, or one
rename per changed file.

Every build that stages holds a lock for as long as it runs: an open file
`.build.lock-TOKEN` (TOKEN is the process id and a random part) locked with
flock(2), which the kernel releases when the process dies, however it dies.
Its folders are `.build.staging-TOKEN` and `.build.old-TOKEN`.  Before
staging, a build removes the folders of every token whose lock it can take:
their build is dead.  A running build's lock cannot be taken, so two builds
at once never remove each other's folders.
"""
from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from ..fileio import naming
from ..outputfolder import BUILD_MARKER, MARKER_TEXT

_KINDS = ("staging", "old", "lock", "locking")


def write_file(path: Path | str, content: bytes, made: set | None = None) -> None:
    """Write CONTENT to PATH, creating its folder (once, when MADE remembers folders).

    Plain system calls rather than open(): a cold build writes tens of
    thousands of files, and the buffered file object costs a third more."""
    path = os.fspath(path)
    folder = os.path.dirname(path)
    if made is None or folder not in made:
        _make_folder(folder)
        if made is not None:
            made.add(folder)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        with naming(path):
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _make_folder(folder: str) -> None:
    """Make FOLDER if it is not there: one mkdir when its parent is (as for nearly
    every page's folder, made after its parent's page), os.makedirs otherwise."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def sibling(out_dir: Path, kind: str, token: str) -> Path:
    """The KIND ('staging', 'old', 'lock') entry of build TOKEN beside OUT_DIR."""
    return out_dir.parent / f".{out_dir.name}.{kind}-{token}"


@contextmanager
def staging(out_dir: Path) -> Iterator[Path]:
    """A new, empty staging folder next to OUT_DIR (same file system, so renames
    are atomic), locked as this build's while the block runs and removed after.

    Leftovers of dead builds beside OUT_DIR are removed first.  The stage
    starts with the build marker, so every build's output folder has one
    (sitegen/outputfolder.py: only a marked folder is ever replaced)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir)
    token, lock_fd = _take_new_lock(out_dir)
    stage = sibling(out_dir, "staging", token)
    try:
        stage.mkdir()
        write_file(stage / BUILD_MARKER, MARKER_TEXT)
        yield stage
    finally:
        remove_tree(stage)
        remove_tree(sibling(out_dir, "old", token))
        # Unlinked before it is unlocked: a cleaner never finds this lock free under its name.
        sibling(out_dir, "lock", token).unlink(missing_ok=True)
        os.close(lock_fd)


def _take_new_lock(out_dir: Path) -> tuple[str, int]:
    """A new token and the open, locked file that marks its build as running.

    The file is locked under a temporary name and then renamed, so a lock file
    is never seen under its real name unlocked."""
    token = f"{os.getpid()}-{os.urandom(4).hex()}"
    temporary = sibling(out_dir, "locking", token)
    fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(temporary, sibling(out_dir, "lock", token))
    except BaseException:
        temporary.unlink(missing_ok=True)
        os.close(fd)
        raise
    return token, fd


def clean_leftovers(out_dir: Path) -> list[str]:
    """Remove what dead builds left beside OUT_DIR; return the names removed.

    A build killed between the two renames of the fallback swap left no
    OUT_DIR but its `old` tree, which is a whole build: it is put back."""
    pattern = re.compile(rf"^\.{re.escape(out_dir.name)}\.({'|'.join(_KINDS)})-(.+)$")
    tokens: dict[str, set[str]] = {}
    for name in _names(out_dir.parent):
        if match := pattern.match(name):
            tokens.setdefault(match[2], set()).add(match[1])
    removed = []
    for token, kinds in sorted(tokens.items()):
        if kinds == {"locking"}:
            if not _pid_running(token):
                sibling(out_dir, "locking", token).unlink(missing_ok=True)
                removed.append(sibling(out_dir, "locking", token).name)
            continue
        removed.extend(_clean_token(out_dir, token, kinds - {"locking"}))
    return removed


def _clean_token(out_dir: Path, token: str, kinds: set[str]) -> list[str]:
    """Remove the KINDS entries of TOKEN if its build is dead (its lock can be taken)."""
    lock = sibling(out_dir, "lock", token)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        fd = None          # no lock file: a dead build (or one of an older sitegen)
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return []  # running
        old = sibling(out_dir, "old", token)
        if "old" in kinds and not os.path.lexists(out_dir):
            os.rename(old, out_dir)
        for kind in ("staging", "old"):
            remove_tree(sibling(out_dir, kind, token))
        lock.unlink(missing_ok=True)
        return [sibling(out_dir, kind, token).name for kind in sorted(kinds)]
    finally:
        if fd is not None:
            os.close(fd)


def remove_tree(path: Path) -> None:
    """Remove the folder at PATH, or the link there if it is one (an output
    folder that was a link is swapped out as the link itself)."""
    if path.is_symlink():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


def _pid_running(token: str) -> bool:
    """Whether the process whose id starts TOKEN is running."""
    try:
        os.kill(int(token.split("-", 1)[0]), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(stage: Path, out_dir: Path) -> None:
    """Make the tree at STAGE the tree at OUT_DIR, so that OUT_DIR is at every
    instant either the whole old tree or the whole new one.

    On Linux one renameat2(RENAME_EXCHANGE) swaps the two; elsewhere (or on a
    file system without it) two renames, and a build killed between them is
    put right by the next one (see clean_leftovers).  The old tree ends at
    STAGE or beside it, and is removed with the staging folder."""
    if not os.path.lexists(out_dir):
        os.rename(stage, out_dir)
        return
    if exchange(stage, out_dir):
        return
    old = sibling(out_dir, "old", stage.name.rsplit("staging-", 1)[1])
    os.rename(out_dir, old)
    os.rename(stage, out_dir)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2: Callable[..., int] | Literal[False] | None = None   # None: not looked up yet; False: none


def exchange(first: Path, second: Path) -> bool:
    """Swap FIRST and SECOND atomically; False if the system cannot."""
    global _renameat2
    if _renameat2 is None:
        import ctypes  # here: a build with nothing to do cleans leftovers but swaps nothing
        try:
            function = ctypes.CDLL(None, use_errno=True).renameat2
        except (AttributeError, OSError):
            _renameat2 = False
            return False
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        _renameat2 = function
    if _renameat2 is False:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    import ctypes
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(second))


def move_staged(stage: Path, staged: dict[str, str], out_dir: Path,
                moving: Callable[[str], None] | None = None) -> None:
    """Move each file STAGE/NAME of STAGED (name -> build path) to OUT_DIR/PATH
    (one rename each), telling MOVING each path just before.

    Assets and media go first and pages last, so that a build stopped part-way
    never leaves a page pointing at an asset that has not arrived."""
    made: set[Path] = set()
    for name, path in sorted(staged.items(), key=lambda item: _move_order(Path(item[1]))):
        target = out_dir / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if moving is not None:
            moving(path)
        # Renaming over an existing file makes ext4 write the new one out
        # first (auto_da_alloc), milliseconds each; removing it first does not.
        target.unlink(missing_ok=True)
        os.rename(stage / name, target)


def _move_order(rel: Path) -> tuple[int, str]:
    text = rel.as_posix()
    if text.startswith(("assets/", "media/")):
        return (0, text)
    return (2 if rel.suffix == ".html" else 1, text)


def delete_outputs(out_dir: Path, paths: set[str]) -> None:
    """Remove PATHS from OUT_DIR, and folders they leave empty."""
    for path in sorted(paths):
        target = out_dir / path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
