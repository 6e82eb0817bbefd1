"""Writing a build without a reader ever seeing half of it: a staging folder
beside the output, then one rename for a whole new tree or one per changed file."""
from __future__ import annotations

import os
import shutil
from pathlib import Path


def write_file(path: Path | str, content: bytes, made: set | None = None) -> None:
    """Write CONTENT to PATH, creating its folder (once, when MADE remembers folders).

    Plain system calls rather than open(): a cold build writes tens of
    thousands of files, and the buffered file object costs a third more."""
    path = os.fspath(path)
    folder = os.path.dirname(path)
    if made is None or folder not in made:
        os.makedirs(folder, exist_ok=True)
        if made is not None:
            made.add(folder)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def stage_dir(out_dir: Path) -> Path:
    """A new, empty staging folder next to OUT_DIR (same file system, so renames are atomic)."""
    stage = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def swap_into_place(stage: Path, out_dir: Path) -> None:
    """Replace OUT_DIR by STAGE with two renames; the old tree is removed last."""
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(stage, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def move_into(stage: Path, out_dir: Path) -> None:
    """Move every file of STAGE to the same place under OUT_DIR (one rename each)."""
    for folder, _dirs, files in os.walk(stage):
        rel = Path(folder).relative_to(stage)
        if files:
            (out_dir / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            target = out_dir / rel / name
            # Renaming over an existing file makes ext4 write the new one out
            # first (auto_da_alloc), milliseconds each; removing it first does not.
            target.unlink(missing_ok=True)
            os.rename(Path(folder) / name, target)


def delete_outputs(out_dir: Path, paths: set[str]) -> None:
    """Remove PATHS from OUT_DIR, and folders they leave empty."""
    for path in sorted(paths):
        target = out_dir / path
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
