"""The local side of a publish: every file under build/ with its size, MD5 and
the headers it should be served with.  Modification times are never read.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..errors import EXIT_USAGE, Problem, SitegenError
from ..outputfolder import BUILD_MARKER, marked_preview
from ..sitefiles import name_fault, name_problem, outside_target, shown_path
from .headers import Headers, headers_for
from .state import STATE_NAME

CHUNK = 1 << 20
PREVIEWS = "previews/"          # the one place a preview build is published, and only a preview
PREVIEW_ROBOTS = b"User-agent: *\nDisallow: /\n"   # a preview build's robots.txt


@dataclass(frozen=True)
class LocalFile:
    """One file of the build: where it is, what it holds, how it is served."""

    path: str          # relative to build/, '/'-separated: 'areas/abbey/index.html'
    size: int
    md5: str           # hex digest of the bytes
    headers: Headers


def file_md5(path: Path) -> str:
    """Hex MD5 of the file at PATH, read in chunks."""
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def list_paths(build_dir: Path) -> list[str]:
    """Every regular file under BUILD_DIR as a sorted '/'-separated relative path,
    but the build marker.  Links that stay inside BUILD_DIR are followed as
    os.walk does (a linked file is published, a linked folder's files are not).

    Raises SitegenError, naming each entry, for a link (to a file or a folder)
    leading outside BUILD_DIR, and for a name sitefiles.name_fault refuses:
    nothing outside the build is ever read, and no such name becomes a key."""
    found: list[str] = []
    problems: list[Problem] = []
    for folder, dirs, files in os.walk(build_dir):
        problems.extend(p for name in dirs + files if (p := _entry_problem(build_dir, Path(folder, name))))
        for name in files:
            full = Path(folder, name)
            if full.is_file():
                found.append(full.relative_to(build_dir).as_posix())
    if problems:
        raise SitegenError(problems)
    return sorted(p for p in found if p != BUILD_MARKER)


def _entry_problem(build_dir: Path, path: Path) -> Problem | None:
    """Why PATH, an entry under BUILD_DIR, must not be published; None if it may."""
    rel = path.relative_to(build_dir).as_posix()
    if fault := name_fault(rel):
        return name_problem(f"{_shown(build_dir)}/{rel}", fault)
    # os.walk enters no linked folder, so only a link itself can lead out.
    if path.is_symlink() and (target := outside_target(build_dir, path)) is not None:
        return Problem(shown_path(f"{_shown(build_dir)}/{rel}"), 0, 0,
                       f"is a link to {shown_path(target)}, outside the build folder; publish reads"
                       " nothing outside it: remove the link and run `sitegen build`")
    return None


def scan(build_dir: Path, rules: Iterable[Mapping[str, str]] = (), jobs: int = 8) -> list[LocalFile]:
    """Describe every file under BUILD_DIR (hashing in JOBS threads)."""
    rules = tuple(rules)

    def describe(path: str) -> LocalFile:
        full = build_dir / path
        return LocalFile(path, full.stat().st_size, file_md5(full), headers_for(path, rules))

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(describe, list_paths(build_dir)))


def _shown(path: Path) -> str:
    """PATH relative to the current folder when inside it, else absolute."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def refuse_unpublishable(build_dir: Path, files: list[LocalFile]) -> None:
    """Raise SitegenError for a build that must not go live: empty or without a home page."""
    where = _shown(build_dir)
    if not build_dir.is_dir():
        raise SitegenError([Problem(where, 0, 0, "no build folder here; run `sitegen build` first")])
    if not files:
        raise SitegenError([Problem(where, 0, 0, "the build is empty; run `sitegen build` first")])
    if any(f.path == STATE_NAME for f in files):
        raise SitegenError([Problem(f"{where}/{STATE_NAME}", 0, 0, "this name is kept for the publish state;"
                                    " rename the file")])
    if not any(f.path == "index.html" for f in files):
        raise SitegenError([Problem(where, 0, 0, "the build has no index.html; refusing to publish a site"
                                    " without a home page (run `sitegen build`)")])


def refuse_misplaced(build_dir: Path, key_prefix: str) -> None:
    """Raise SitegenError (exit 2, usage) for a preview build (its marker says so, or its
    robots.txt disallows every page) bound anywhere but under PREVIEWS, and for a build its
    marker says is of the live site bound under PREVIEWS (its forms would post to the live
    receiver, and nothing on its pages would say it is a preview).  KEY_PREFIX is
    Target.key_prefix ('' or 'a/b/')."""
    where, label = _shown(build_dir), marked_preview(build_dir)
    under_previews = key_prefix.startswith(PREVIEWS)
    if label and not under_previews:
        _misplaced(where, f"is a preview build of '{label}' (every page noindex, robots.txt disallows all),"
                          f" which goes only under {PREVIEWS}: for the live site run `sitegen build` without"
                          f" --preview, then publish; for a preview pass --prefix {PREVIEWS}pr-N/")
    if not under_previews and _disallows_all(build_dir):
        _misplaced(f"{where}/robots.txt", "disallows every page, as a preview build's does: run"
                   " `sitegen build` without --preview, then publish"
                   f" (or pass --prefix {PREVIEWS}pr-N/ for a preview)")
    if label == "" and under_previews:
        _misplaced(where, f"is a build of the live site, and {PREVIEWS} holds previews only: run"
                          " `sitegen build --preview LABEL`, then publish")


def _disallows_all(build_dir: Path) -> bool:
    """Whether BUILD_DIR's robots.txt is a preview build's (reads at most a few bytes more)."""
    try:
        with open(build_dir / "robots.txt", "rb") as handle:
            return handle.read(len(PREVIEW_ROBOTS) + 1) == PREVIEW_ROBOTS
    except OSError:
        return False


def _misplaced(where: str, message: str) -> None:
    raise SitegenError([Problem(shown_path(where), 0, 0, message)], exit_code=EXIT_USAGE)
