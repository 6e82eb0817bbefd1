"""Writing area folders all or nothing: every area's files are staged, then renamed into place.

A new area is staged as a hidden temporary folder beside it, an existing one
as hidden temporary files inside it; if staging any area fails, everything
staged is removed and nothing is renamed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

Staged = list[tuple[Path, Path]]   # (temporary, final) pairs


@dataclass
class PlannedArea:
    """The files one area needs written (name -> bytes); empty when it is unchanged."""

    slug: str
    folder: Path
    is_new: bool
    files: dict[str, bytes]


def write_planned(plans: list[PlannedArea], stage: Callable[[PlannedArea], Staged]) -> None:
    """Stage every area's files with STAGE, then rename them into place; on failure remove what was staged."""
    staged: Staged = []
    with _discarded_on_failure(staged):
        for plan in plans:
            staged.extend(stage(plan))
    for temp, final in staged:
        os.replace(temp, final)


def stage_area(plan: PlannedArea) -> Staged:
    """Write PLAN's files to hidden temporaries; return (temporary, final) pairs."""
    if not plan.files:
        return []
    return _stage_folder(plan) if plan.is_new else _stage_files(plan)


def _stage_folder(plan: PlannedArea) -> Staged:
    """A new area: its files in a hidden temporary folder that will be renamed to PLAN.folder."""
    plan.folder.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(dir=plan.folder.parent, prefix=f".{plan.slug}.import-"))
    pairs = [(temp, plan.folder)]
    with _discarded_on_failure(pairs):
        temp.chmod(0o777 & ~_umask())   # mkdtemp makes it private; an area folder is not
        for name, data in plan.files.items():
            (temp / name).write_bytes(data)
    return pairs


def _stage_files(plan: PlannedArea) -> Staged:
    """An existing area: each file as a hidden temporary in PLAN.folder, with the mode
    of the one it replaces."""
    pairs: Staged = []
    with _discarded_on_failure(pairs):
        for name, data in plan.files.items():
            fd, temp_name = tempfile.mkstemp(dir=plan.folder, prefix=f".{name}.", suffix=".tmp")
            pairs.append((Path(temp_name), plan.folder / name))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temp_name, _file_mode(plan.folder / name))
    return pairs


@contextmanager
def _discarded_on_failure(staged: Staged) -> Iterator[None]:
    """Remove the temporaries in STAGED (as it is when the block fails) if the block raises."""
    try:
        yield
    except BaseException:
        _discard(staged)
        raise


def _discard(staged: Staged) -> None:
    for temp, _ in staged:
        if temp.is_dir():
            shutil.rmtree(temp, ignore_errors=True)
        else:
            temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, or the usual one for a new file."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_umask()
