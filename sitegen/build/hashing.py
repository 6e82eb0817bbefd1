"""Hashing what a build reads: files (with a stat fast path), templates with
all they include, and each output's inputs together.

Generic: nothing here knows what an area, a listing or site.yaml is.  An
output names its units, its top template and (if the date changes it) a dated
key; its input hash mixes the frame (what every output shows), those units'
hashes, its template closure and what the build date does to it.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from stat import S_ISDIR, S_ISREG
from typing import TYPE_CHECKING, Protocol

from ..fileio import read_bytes
from .units import Unit, UnitHashes, digest, unit_hash

if TYPE_CHECKING:  # kept out of imports: a no-change build should not pay for them
    import jinja2

# A file or folder changed this recently may change again within the same tick
# of the file system's clock, unseen by its modification time: it is hashed or
# listed afresh next time rather than trusted (git's "racy" entries).
SETTLE_NS = 2_000_000_000
UNTRUSTED = -1

Entries = tuple[tuple[str, bool | None], ...]   # a folder's (name, is a folder; None: a link) pairs
Stamp = tuple[int, int, str]                    # a file's (mtime_ns, size, content hash)


class Hasher:
    """File hashes with a stat fast path, remembering stamps for the next build.

    A file whose size and modification time are as last time keeps its hash
    (as git's index does); a folder whose modification time is as last time
    has the same names in it, so is not listed again.  Symbolic links are
    listed whatever they point to, and followed on every scan: what they point
    to can change without their folder changing.  A link to a folder is hashed
    as a folder under the link's name, listed by where it leads (so the cached
    listing is checked against that folder's time); one leading back to a
    folder it lies in is hashed as a marker, not followed.  LINK_TARGET and
    NOTICE_NAME, when given, are shown every link and every name listed: the
    caller's rules for links leading out of the site and names it refuses."""

    def __init__(self, previous: dict[str, Stamp], folders: dict[str, tuple[int, Entries]] | None = None,
                 link_target: Callable[[str], str | None] | None = None,
                 notice_name: Callable[[str, str], None] | None = None):
        self.previous, self.old_folders = previous, folders or {}
        self.link_target, self.notice_name = link_target, notice_name
        self.stamps: dict[str, Stamp] = {}
        # (mtime_ns, size; -1 for a folder) of every file and folder as this scan saw it,
        # untrusted ones included: to tell whether one changed while the build ran.  Not
        # those under the folders unchanged_tree found unchanged (UNCHANGED): the listings
        # and stamps it took are what it saw of them (14,000 entries fewer at 2,000 wards).
        self.seen: dict[str, tuple[int, int]] = {}
        self.unchanged: list[str] = []
        self.folders: dict[str, tuple[int, Entries]] = {}
        self.settled = time.time_ns() - SETTLE_NS
        # Files hashed and folders listed afresh: when a build with nothing to do has
        # any, it keeps their stamps, so the next one need not read them again.
        self.fresh = 0

    def file(self, path: os.PathLike[str] | str, info: os.stat_result | None = None) -> str:
        """The content hash of PATH ('' if it is missing or not a file); INFO saves a stat."""
        key = os.fspath(path)
        try:
            info = info or os.stat(key)
        except OSError:
            return ""
        if not S_ISREG(info.st_mode):
            return ""
        now = (info.st_mtime_ns, info.st_size)
        if self.seen.get(key) == now and key in self.stamps:   # hashed already by this scan
            return self.stamps[key][2]
        self.seen[key] = now
        old = self.previous.get(key)
        if old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
            self.stamps[key] = old
            return old[2]
        value = hashlib.blake2b(read_bytes(key), digest_size=16).hexdigest()
        self.stamps[key] = (self._trusted(info.st_mtime_ns), info.st_size, value)
        self.fresh += 1
        return value

    def entries(self, folder: str) -> Entries | None:
        """The files and folders in FOLDER (None if it is not one), from last
        time if the folder has not changed since."""
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return None
        self.seen[folder] = (mtime, -1)
        old = self.old_folders.get(folder)
        if old is not None and old[0] == mtime:
            names = old[1]
        else:
            try:
                with os.scandir(folder) as entries:
                    names = tuple(sorted((e.name, None if e.is_symlink() else is_dir) for e in entries
                                         if (is_dir := e.is_dir(follow_symlinks=False))
                                         or e.is_file(follow_symlinks=False) or e.is_symlink()))
            except OSError:
                return None
            mtime = self._trusted(mtime)
            self.fresh += 1
        self.folders[folder] = (mtime, names)
        if self.notice_name is not None:
            for name, _ in names:
                self.notice_name(folder, name)
        return names

    def unchanged_tree(self, folder: str) -> bool:
        """Whether FOLDER and everything under it are as the last scan left them: each
        folder's listing unchanged (by its time) and each file's size and time as
        stamped, so tree_entries would give what it gave then.  What it looked at is
        taken as this scan's (as tree_entries would take it); False at the first
        difference, or at a link (followed only by tree_entries), a file or folder
        not trusted last time, or one the last scan did not see.  For a caller whose
        last scan ran the same rules (the same code) and kept its state only when
        no name was refused."""
        # Its names are not noticed again: the last scan noticed them, and a build that
        # finds a name the rule refuses keeps no state (14,000 calls at 2,000 wards).
        if not self._same_tree(folder, self.old_folders, self.previous, take=True):
            return False
        self.unchanged.append(folder)
        return True

    def changed_since(self, read: Callable[[str], bool]) -> bool:
        """Whether a file or folder this scan saw, of those READ (a path) says the build
        read, has changed or gone since: the build may then have read what the scan did
        not hash.  A folder unchanged_tree found unchanged counts as read if READ says
        so of it, and as changed if anything under it now differs from what was taken."""
        for path, (mtime, size) in self.seen.items():
            if not read(path):
                continue
            try:
                info = os.stat(path)
            except OSError:
                return True
            if info.st_mtime_ns != mtime or (size >= 0 and info.st_size != size):
                return True
        return any(read(folder) and not self._same_tree(folder, self.folders, self.stamps, take=False)
                   for folder in self.unchanged)

    def _same_tree(self, folder: str, listings: dict[str, tuple[int, Entries]], stamps: dict[str, Stamp],
                   take: bool) -> bool:
        """Whether FOLDER has the time of its listing in LISTINGS and, under it, each folder
        likewise and each file (no link) the size and time STAMPS holds for it; with TAKE,
        each listing and stamp compared is taken as this scan's.  One stat a file and
        folder, and little else: a one-area edit asks this of every area."""
        listing = listings.get(folder)
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return False
        if listing is None or listing[0] != mtime:
            return False
        if take:
            self.folders[folder] = listing
        for name, is_dir in listing[1]:
            path = f"{folder}/{name}"
            if is_dir:
                if not self._same_tree(path, listings, stamps, take):
                    return False
                continue
            stamp = stamps.get(path)
            if stamp is None or is_dir is None:
                return False
            try:
                info = os.stat(path)
            except OSError:
                return False
            if info.st_mtime_ns != stamp[0] or info.st_size != stamp[1] or not S_ISREG(info.st_mode):
                return False
            if take:
                self.stamps[path] = stamp
        return True

    def link_out(self, path: str) -> str | None:
        """Where the link PATH leads, if the caller's rule says it must not be followed; else None."""
        return self.link_target(path) if self.link_target is not None else None

    def _trusted(self, mtime_ns: int) -> int:
        return mtime_ns if mtime_ns < self.settled else UNTRUSTED

    def tree(self, folder: os.PathLike[str] | str) -> str:
        """One hash of every file under FOLDER, names included ('' if there are none)."""
        found = self.tree_entries(folder)
        return digest(*found) if found else ""

    def tree_entries(self, folder: os.PathLike[str] | str) -> list[str]:
        """'relative name=hash' of every file under FOLDER, sorted: what tree() hashes."""
        found: list[str] = []
        self._collect(os.fspath(folder), "", found)
        found.sort()
        return found

    def _collect(self, folder: str, prefix: str, found: list[str], descent: tuple[str, ...] = ()) -> None:
        """Add 'relative name=hash' for every file under FOLDER to FOUND; DESCENT
        holds the folders walked to reach FOLDER (for links leading back up)."""
        descent = (*descent, folder)
        for name, is_dir in self.entries(folder) or ():
            path = f"{folder}/{name}"
            if is_dir:
                self._collect(path, f"{prefix}{name}/", found, descent)
            elif is_dir is None and (target := self.link_out(path)):
                found.append(f"{prefix}{name}->{target}")
            elif is_dir is None:
                self._linked(path, f"{prefix}{name}", found, descent)
            elif value := self.file(path):
                found.append(f"{prefix}{name}={value}")

    def _linked(self, path: str, shown: str, found: list[str], descent: tuple[str, ...]) -> None:
        """Add what the link PATH (inside the site) leads to, named SHOWN, to FOUND:
        a file's hash, a folder's tree, a marker for a link back to a folder in
        DESCENT (a loop), nothing for a link to nothing (yet)."""
        try:
            info = os.stat(path)
        except OSError:   # dangling, or a loop of links (ELOOP)
            return
        if not S_ISDIR(info.st_mode):
            if value := self.file(path, info):
                found.append(f"{shown}={value}")
            return
        # Listed by where it leads: a link moved to another folder with the same
        # modification time must not reuse the first folder's listing.
        real = os.path.realpath(path)
        if real in {os.path.realpath(f) for f in descent}:
            found.append(f"{shown}/=loop")
        else:
            self._collect(real, f"{shown}/", found, descent)


class Made(Protocol):
    """What an output tells the hashing of itself (sitegen.outputs.base.Output)."""

    @property
    def kind(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def deps(self) -> tuple[Unit, ...]: ...
    @property
    def template(self) -> str: ...
    @property
    def dated(self) -> str: ...


class InputHashes:
    """The input hash of an output: FRAME (what every output shows), its kind
    and key, its template with all it includes, the hashes of its units and,
    for a dated output, DATED(its dated key): what the build date does to it."""

    def __init__(self, frame: str, units: UnitHashes, templates: TemplateHashes, dated: Callable[[str], str]):
        self.frame, self.units, self.templates, self.dated = frame, units, templates, dated

    def __call__(self, output: Made) -> str:
        deps = [unit_hash(self.units, u) for u in output.deps]
        dated = self.dated(output.dated) if output.dated else ""
        return digest(self.frame, output.kind, output.key, self.templates(output.template), dated, *deps)


class TemplateHashes:
    """Hash of a template together with everything it extends, includes or imports
    (KNOWN: hashes from the last build, valid while no template file changed)."""

    def __init__(self, env: jinja2.Environment, known: dict[str, str] | None = None):
        self.env = env
        self.memo: dict[str, str] = dict(known or {})

    def __call__(self, name: str) -> str:
        if not name:
            return ""
        if name not in self.memo:
            self.memo[name] = digest(*(f"{n}={self._source_hash(n)}" for n in sorted(self._closure(name))))
        return self.memo[name]

    def _closure(self, name: str) -> set[str]:
        import jinja2.meta
        seen: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for ref in jinja2.meta.find_referenced_templates(self.env.parse(self._source(current))):
                if ref:
                    todo.append(ref)
                else:   # a name worked out while rendering: it may be any template
                    todo.extend(self.env.list_templates(extensions=["html"]))
        return seen

    def _source_hash(self, name: str) -> str:
        return digest(self._source(name))

    def _source(self, name: str) -> str:
        assert self.env.loader is not None, "make_environment always gives a loader"
        return self.env.loader.get_source(self.env, name)[0]
