"""Which folders a build may replace, and which may hold its state.

A build replaces its output folder whole (sitegen/staging.py), so `--out`
must never name a folder that holds anything else.  Every build writes the
marker file BUILD_MARKER into its output; a build replaces only a folder that
has the marker, is empty or missing, or is the site's own default build/ (one
made by a sitegen from before the marker, which gets the marker on that build).
It never replaces the site folder, a folder holding it, or anything inside the
site's sources or .git.  The state folder (`--state`) may not be any of those
either, nor lie inside the output folder, which each build replaces.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import EXIT_USAGE, Problem, SitegenError
from .sitefiles import SOURCES, shown_path

BUILD_MARKER = ".sitegen-build"
MARKER_TEXT = (b"This folder is a sitegen build: `sitegen build` replaces it whole.\n"
               b"Keep nothing else here.\n")
PREVIEW_LINE = b"Preview: "   # a preview build's marker adds this line, with its label
MARKER_LIMIT = 4096            # bytes of a marker read: a label is at most 80 characters
# What a build must never write into: the site's sources, and its history.
_KEPT = (*SOURCES, ".git")


def default_out(root: Path) -> Path:
    """The output folder of the site at ROOT unless --out says otherwise."""
    return root / "build"


def marker_text(preview: str = "") -> bytes:
    """The marker file's bytes for a build of the live site (PREVIEW '') or a preview labelled
    PREVIEW (one line, checked by `sitegen build`), so publish can tell which a folder holds."""
    return MARKER_TEXT + (PREVIEW_LINE + preview.encode() + b"\n" if preview else b"")


def marked_preview(folder: Path) -> str | None:
    """What the build in FOLDER says it is: its preview label, '' for the live site, None
    when it has no marker (not a build, or one from a sitegen before the marker)."""
    try:
        fd = os.open(folder / BUILD_MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        text = handle.read(MARKER_LIMIT)
    for line in text.splitlines():
        if line.startswith(PREVIEW_LINE):
            return line[len(PREVIEW_LINE):].decode("utf-8", "replace").strip() or "?"
    return ""


def refuse_unsafe_out(root: Path, out: Path) -> None:
    """Raise SitegenError (exit 2, usage) if a build of the site at ROOT must not
    replace the folder OUT (both absolute; OUT need not exist)."""
    real_out = os.path.realpath(out)
    if fault := _in_site_fault(root, real_out):
        _refuse("--out", out, f"{fault}; a build replaces its --out folder whole: choose a new folder,"
                " such as build/ (the default)")
    if real_out != os.path.realpath(default_out(root)) and not _replaceable(Path(real_out)):
        _refuse("--out", out, "is a folder that is not a sitegen build (it has no "
                              f"{BUILD_MARKER} file) and a build replaces its --out folder "
                              "whole: choose a new or empty folder, or remove this one first")


def refuse_unsafe_state(root: Path, state: Path, out: Path) -> None:
    """Raise SitegenError (exit 2, usage) if the build state of the site at ROOT
    must not be kept in STATE, when the build writes into OUT (both absolute)."""
    real_state = os.path.realpath(state)
    if fault := _in_site_fault(root, real_state):
        _refuse("--state", state, f"{fault}; choose a folder of its own, such as .cache/build (the default)")
    if _within(real_state, os.path.realpath(out)):
        _refuse("--state", state, "is inside the --out folder, which each build replaces; choose a folder"
                " outside it, such as .cache/build (the default)")


def refuse_unsafe_build_dir(root: Path, build_dir: Path) -> None:
    """Raise SitegenError (exit 2, usage) if `sitegen publish` of the site at ROOT
    must not upload the folder BUILD_DIR (both absolute): one that is or holds the
    site folder, lies in its sources or .git, or (other than the default build/)
    lacks the BUILD_MARKER every build writes.  A missing BUILD_DIR passes here;
    publish reports it as an empty build."""
    real_dir = os.path.realpath(build_dir)
    if fault := _in_site_fault(root, real_dir):
        _refuse("--build-dir", build_dir, f"{fault}; publish uploads its --build-dir whole: pass the folder"
                " `sitegen build` wrote, such as build/ (the default)")
    if real_dir != os.path.realpath(default_out(root)) and not _marked(Path(real_dir)):
        _refuse("--build-dir", build_dir,
                f"is not a sitegen build (it has no {BUILD_MARKER} file) and publish uploads its --build-dir "
                "whole: run `sitegen build --out` that folder first, or pass the folder a build wrote")


def _marked(folder: Path) -> bool:
    """Whether FOLDER is missing or holds the build marker."""
    return not folder.exists() or (folder / BUILD_MARKER).is_file()


def _in_site_fault(root: Path, real: str) -> str | None:
    """What is wrong with the real path REAL as a folder a build writes, or None."""
    real_root = os.path.realpath(root)
    if _within(real_root, real):
        return "is the site folder or holds it"
    for name in _KEPT:
        if _within(real, os.path.realpath(root / name)):
            return f"is the site's {name} or inside it"
    return None


def _replaceable(folder: Path) -> bool:
    """Whether FOLDER is missing, empty or marked as a build."""
    try:
        with os.scandir(folder) as entries:
            names = {entry.name for entry in entries}
    except FileNotFoundError:
        return True
    except NotADirectoryError:
        return False
    return not names or BUILD_MARKER in names


def _within(path: str, folder: str) -> bool:
    """Whether the real path PATH is FOLDER or inside it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _refuse(option: str, path: Path, message: str) -> None:
    relative = os.path.relpath(path)
    shown = os.fspath(path) if relative.startswith("..") else relative
    raise SitegenError([Problem(shown_path(shown), 0, 0, f"{option} {message}")], exit_code=EXIT_USAGE)
