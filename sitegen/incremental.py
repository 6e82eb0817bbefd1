"""Incremental builds: what each output was made from, remembered between builds.

Sources are grouped into units (site.yaml, one area folder, one page, the
forms folder, one template...).  Each output names the units it depends on and
its top template; its input hash mixes those units' hashes with the hashes of
every template it includes, the config, the assets, sitegen's own code and,
for pages that show upcoming events or feed freshness, what the build date
does to them.  An output whose input hash is unchanged is not rendered again.

File hashes are reused while a file's size and modification time are unchanged
(as git's index does); the content hash decides everything else.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING

from . import __version__
from .fileio import atomic_write

if TYPE_CHECKING:  # kept out of imports: a no-change build should not pay for them
    import jinja2

    from .model import Area

STATE_FORMAT = 8
STATE_FILE = "state.pickle"
MOVING_FILE = "moving.json"   # outputs being moved into place; the state does not vouch for them
PACKAGE_DIR = Path(__file__).resolve().parent
THEME_DIR = PACKAGE_DIR / "theme"


def digest(*parts: str) -> str:
    """A short stable hash of PARTS."""
    joined = "\0".join(parts) + "\0" if parts else ""
    return hashlib.blake2b(joined.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


@dataclass
class BuildState:
    """Everything a rebuild needs to know about the last successful build."""

    format: int = STATE_FORMAT
    code: str = ""
    out_dir: str = ""
    build_date: date | None = None
    stamps: dict[str, tuple[int, int, str]] = field(default_factory=dict)   # file -> (mtime_ns, size, hash)
    folders: dict[str, tuple[int, Entries]] = field(default_factory=dict)   # folder -> (mtime_ns, names)
    units: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)                  # build path -> input hash
    dated: dict[str, tuple] = field(default_factory=dict)                  # slug -> dated_facts()
    feeds: dict[str, tuple[str, ...]] = field(default_factory=dict)        # slug -> feed URLs
    pages: int = 0
    # What the input hashes were made from, so unchanged outputs reuse theirs:
    hash_units: dict[str, str] = field(default_factory=dict)   # units, with derived ones (listings, plan)
    frame: str = ""                                            # code, config and assets together
    templates: dict[str, str] = field(default_factory=dict)    # template -> hash with its includes
    # What a rebuild of a few areas needs of the rest of the site (sitegen/arearebuild.py):
    page_frame: dict[str, str] = field(default_factory=dict)   # outputs.pages.frame_values
    listings: dict[str, tuple[str, str]] = field(default_factory=dict)   # slug -> listing()
    asset_paths: frozenset[str] = frozenset()                   # outputs that are assets, not link targets
    media_paths: frozenset[str] = frozenset()                   # outputs copied from content/media


def _read_pickle(path: Path, kind: type, default):
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)  # noqa: S301 - our own cache file
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return default
    return value if isinstance(value, kind) else default


def load_state(state_dir: Path) -> BuildState:
    """The saved state, or an empty one if there is none or it is unreadable.

    Outputs a build was moving into place when it stopped are left out, so
    they are made again."""
    state = _read_pickle(state_dir / STATE_FILE, BuildState, BuildState())
    if state.format != STATE_FORMAT:
        return BuildState()
    moving = _moving(state_dir)
    if moving is None:
        return BuildState()
    if moving:
        state.outputs = {path: h for path, h in state.outputs.items() if path not in moving}
        state.units = {}   # so the no-change check cannot pass
    return state


def save_state(state_dir: Path, state: BuildState) -> None:
    """Write STATE atomically."""
    atomic_write(state_dir / STATE_FILE, lambda handle: _dump_tree(state, handle), cache=True)
    (state_dir / MOVING_FILE).unlink(missing_ok=True)


def _dump_tree(value, handle) -> None:
    """Pickle VALUE, which holds no cycles, into HANDLE.

    Without the memo of objects already written ("fast" mode; an object met
    twice is written twice) the state is written in a third of the time and
    read in half, for 1 % more bytes."""
    pickler = pickle.Pickler(handle, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)


def mark_moving(state_dir: Path, paths: set[str]) -> None:
    """Record that PATHS are about to be replaced or deleted in the output."""
    atomic_write(state_dir / MOVING_FILE, json.dumps(sorted(paths)), cache=True)


def _moving(state_dir: Path) -> set[str] | None:
    """The paths marked as moving (none if no mark), or None if the mark is unreadable."""
    try:
        return set(json.loads((state_dir / MOVING_FILE).read_text(encoding="utf-8")))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError, TypeError):
        return None


# A file or folder changed this recently may change again within the same tick
# of the file system's clock, unseen by its modification time: it is hashed or
# listed afresh next time rather than trusted (git's "racy" entries).
SETTLE_NS = 2_000_000_000
UNTRUSTED = -1

Entries = tuple[tuple[str, bool | None], ...]   # a folder's (name, is a folder; None: a link) pairs


class Hasher:
    """File hashes with a stat fast path, remembering stamps for the next build.

    A file whose size and modification time are as last time keeps its hash
    (as git's index does); a folder whose modification time is as last time
    has the same names in it, so is not listed again.  Symbolic links are
    listed whatever they point to, and followed on every scan: what they
    point to can change without their folder changing.  A link inside SITE_ROOT
    that leads outside it is not followed (sitegen/sitefiles.py): where it
    leads stands for its content, and the build refuses it."""

    def __init__(self, previous: dict[str, tuple[int, int, str]],
                 folders: dict[str, tuple[int, Entries]] | None = None, site_root: Path | None = None):
        self.previous, self.old_folders = previous, folders or {}
        self.site_root = site_root
        self.links_out: set[str] = set()   # links found leading out of the site: the full build refuses them
        self.bad_names: set[str] = set()   # names sitefiles.name_fault refuses: the full build reports them
        self.stamps: dict[str, tuple[int, int, str]] = {}
        self.folders: dict[str, tuple[int, Entries]] = {}
        self.settled = time.time_ns() - SETTLE_NS

    def file(self, path: Path | str, info: os.stat_result | None = None) -> str:
        """The content hash of PATH ('' if it is missing); INFO saves a stat."""
        key = os.fspath(path)
        try:
            info = info or os.stat(key)
        except OSError:
            return ""
        if not S_ISREG(info.st_mode):
            return ""
        old = self.previous.get(key)
        if old and old[0] == info.st_mtime_ns and old[1] == info.st_size:
            self.stamps[key] = old
            return old[2]
        with open(key, "rb") as handle:
            value = hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
        self.stamps[key] = (self._trusted(info.st_mtime_ns), info.st_size, value)
        return value

    def entries(self, folder: str) -> Entries | None:
        """The files and folders in FOLDER (None if it is not one), from last
        time if the folder has not changed since."""
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return None
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
        self.folders[folder] = (mtime, names)
        from .sitefiles import name_fault
        self.bad_names.update(f"{folder}/{name}" for name, _ in names if name_fault(name))
        return names

    def link_out(self, path: str) -> str | None:
        """Where the link PATH leads, if that is outside the site; else None."""
        if self.site_root is None:
            return None
        from .sitefiles import outside_target
        target = outside_target(self.site_root, path)
        if target is not None:
            self.links_out.add(os.fspath(path))
        return target

    def _trusted(self, mtime_ns: int) -> int:
        return mtime_ns if mtime_ns < self.settled else UNTRUSTED

    def tree(self, folder: Path | str) -> str:
        """One hash of every file under FOLDER, names included."""
        found: list[str] = []
        self._collect(os.fspath(folder), "", found)
        found.sort()
        return digest(*found) if found else ""

    def _collect(self, folder: str, prefix: str, found: list[str]) -> None:
        """Add 'relative name=hash' for every file under FOLDER to FOUND."""
        for name, is_dir in self.entries(folder) or ():
            path = f"{folder}/{name}"
            if is_dir:
                self._collect(path, f"{prefix}{name}/", found)
            elif is_dir is None and (target := self.link_out(path)):
                found.append(f"{prefix}{name}->{target}")
            elif value := self.file(path):   # '' for a link to nothing (yet), or to a folder
                found.append(f"{prefix}{name}={value}")


def code_hash(hasher: Hasher) -> str:
    """sitegen's version and its own Python code: a new sitegen rebuilds everything."""
    return digest(__version__, *(hasher.file(p) for p in sorted(PACKAGE_DIR.rglob("*.py"))))


def source_units(root: Path, hasher: Hasher) -> dict[str, str]:
    """Hashes of the site's source units, before anything is parsed."""
    units = {"config": digest(hasher.file(root / "site.yaml"), os.environ.get("SITEGEN_FORMS_ENDPOINT", "")),
             "media": hasher.tree(root / "content" / "media"),
             "forms": hasher.tree(root / "forms"),
             # Outputs hash their own templates precisely; these two only tell
             # the no-change check that something in the theme moved.
             "templates": digest(hasher.tree(root / "templates"), hasher.tree(THEME_DIR / "templates"),
                                 hasher.tree(_govuk_templates())),
             "static": digest(hasher.tree(root / "assets"), hasher.tree(THEME_DIR / "static"),
                              hasher.tree(THEME_DIR / "vendor"))}
    for entry in _entries(root / "content" / "areas"):
        if entry.is_symlink() and (target := hasher.link_out(entry.path)):
            units[f"area:{entry.name}"] = digest("link", target)
        elif entry.is_dir():
            units[f"area:{entry.name}"] = hasher.tree(entry.path)
    for entry in _entries(root / "content" / "pages"):
        if entry.is_symlink() and (target := hasher.link_out(entry.path)):
            units[f"page:{entry.name[:-3]}"] = digest("link", target)
        elif entry.name.endswith(".md") and entry.is_file():
            units[f"page:{entry.name[:-3]}"] = hasher.file(entry.path, entry.stat())
    units["areas"] = digest(*(f"{k}={v}" for k, v in units.items() if k.startswith("area:")))
    units["pages"] = digest(*(f"{k}={v}" for k, v in units.items() if k.startswith("page:")))
    return units


def _govuk_templates() -> str:
    """govuk-frontend-jinja's templates folder, found without importing it."""
    from importlib.util import find_spec
    spec = find_spec("govuk_frontend_jinja")
    return os.path.join(os.path.dirname(spec.origin), "templates") if spec and spec.origin else ""


def listing(area: Area) -> tuple[str, str]:
    """What pages other than AREA's own are given of it, besides its slug:
    its name and borough (see outputs.pages.Listed)."""
    return (area.name, area.borough)


def listing_units(areas, boroughs) -> dict[str, str]:
    """Units derived from the areas' listings: 'listing' (every area, for the
    home page) and 'listing:BOROUGH' (its wards, for the borough's page).
    Editing a ward's news or team changes neither."""
    units = {"listing": digest(*(f"{a.slug}={listing(a)}" for a in areas))}
    for borough in boroughs:
        units[f"listing:{borough.slug}"] = digest(borough.name, *(f"{a.slug}={a.name}" for a in borough.areas))
    return units


def _entries(folder: Path) -> list[os.DirEntry]:
    """The entries of FOLDER sorted by name, or none if it is missing."""
    try:
        return sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []


def feed_urls(area: Area) -> tuple[str, ...]:
    """The feeds AREA shows."""
    return tuple(s.feed for s in area.social if s.feed)


def feed_units(feeds: dict[str, tuple[str, ...]], cache_dir: Path, hasher: Hasher) -> dict[str, str]:
    """A unit per area (slug -> its feed URLs): the cached copies of its feeds."""
    if any(feeds.values()):   # a site without feeds need not import the feed cache
        from .feeds.cache import feed_file
    return {f"feeds:{slug}": digest(*(hasher.file(feed_file(cache_dir, url)) for url in urls))
            for slug, urls in feeds.items()}


def dated_facts(area: Area) -> tuple:
    """What of AREA depends on the build date: its events' last days, and whether
    it shows the date itself (feeds' freshness; a news feed with no entries is dated the build date)."""
    return (tuple((e.end or e.start).date() for e in area.events), any(s.feed for s in area.social) or not area.news)


def date_signature(facts: tuple, today: date) -> tuple:
    """How TODAY changes a page: which events are still to come, and (for feeds) the date itself."""
    days, has_feeds = facts
    return (tuple(day >= today for day in days), today if has_feeds else None)


class InputHashes:
    """The input hash of an output: the page frame, its kind and key, its
    template with all it includes, its units and, if it shows upcoming events
    or feed freshness, what the build date does to it."""

    def __init__(self, frame: str, units: dict[str, str], templates: TemplateHashes, build_date: date,
                 facts: Callable[[str], tuple]):
        self.frame, self.units, self.templates, self.build_date = frame, units, templates, build_date
        self.facts = facts   # area slug -> its dated_facts()
        self._everything = ""

    def __call__(self, output) -> str:
        deps = [self._all_units() if d == "site" else self.units.get(d, "") for d in output.deps]
        dated = repr(date_signature(self.facts(output.dated), self.build_date)) if output.dated else ""
        return digest(self.frame, output.kind, output.key, self.templates(output.template), dated, *deps)

    def _all_units(self) -> str:
        if not self._everything:
            self._everything = digest(*(f"{k}={v}" for k, v in sorted(self.units.items())))
        return self._everything


class TemplateHashes:
    """Hash of a template together with everything it extends, includes or imports."""

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
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            source = self._source(current)
            for ref in jinja2.meta.find_referenced_templates(self.env.parse(source)):
                todo.append(ref) if ref else todo.extend(self.env.list_templates(extensions=["html"]))
        return seen

    def _source_hash(self, name: str) -> str:
        return digest(self._source(name))

    def _source(self, name: str) -> str:
        assert self.env.loader is not None, "make_environment always gives a loader"
        return self.env.loader.get_source(self.env, name)[0]


@dataclass(frozen=True)
class BuildResult:
    """What a build did."""

    pages: int
    files: int
    rendered: int
    out_dir: Path


@dataclass
class Scan:
    """The sources' hashes, taken before anything is parsed, and the last build's state."""

    state: BuildState
    hasher: Hasher
    code: str
    units: dict[str, str]
    _last_feeds: dict[str, str] | None = field(default=None, repr=False)

    def last_feeds(self, root: Path) -> dict[str, str]:
        """The units of the feeds the last build showed, as their cached copies are now
        (worked out once, for both the no-change check and the area rebuild)."""
        if self._last_feeds is None:
            self._last_feeds = feed_units(self.state.feeds, _feed_cache_dir(root, self.state), self.hasher)
        return self._last_feeds


def default_state_dir(root: Path) -> Path:
    """Where the build state of the site at ROOT is kept unless --state says otherwise."""
    return root / ".cache" / "build"


def scan(root: Path, out_dir: Path, state_dir: Path, clean: bool) -> Scan:
    """Hash the sources of ROOT, against the state of the last build into OUT_DIR."""
    state = BuildState() if clean else load_state(state_dir)
    if state.out_dir != str(out_dir) or not out_dir.is_dir():
        state = BuildState()
    hasher = Hasher(state.stamps, state.folders, root)
    return Scan(state, hasher, code_hash(hasher), source_units(root, hasher))


def up_to_date(found: Scan, root: Path, out_dir: Path, build_date: date) -> BuildResult | None:
    """The last build's result if nothing it read has changed and its files are all there."""
    state = found.state
    if not state.outputs or state.code != found.code:
        return None
    if state.units != {**found.units, **found.last_feeds(root)}:
        return None
    if dated_changes(state, build_date):
        return None
    if next(missing_outputs(out_dir, state.outputs), None) is not None:
        return None
    return BuildResult(state.pages, len(state.outputs), 0, out_dir)


def dated_changes(state: BuildState, build_date: date) -> set[str]:
    """Slugs of the areas whose pages change when the date moves from the last build's to BUILD_DATE."""
    if state.build_date == build_date:
        return set()
    if state.build_date is None:  # a state from before build dates were kept: every dated page may differ
        return set(state.dated)
    return {slug for slug, facts in state.dated.items()
            if date_signature(facts, state.build_date) != date_signature(facts, build_date)}


def missing_outputs(out_dir: Path, paths: Iterable[str]) -> Iterator[str]:
    """Those of PATHS no longer under OUT_DIR (someone may have deleted them)."""
    for path in paths:
        try:
            os.stat(f"{out_dir}/{path}")
        except OSError:
            yield path


def _feed_cache_dir(root: Path, state: BuildState) -> Path:
    """Where the feed cache is; only read when the last build showed feeds."""
    if not any(state.feeds.values()):
        return root
    from .config import load_config
    return root / load_config(root).feeds.cache_dir
