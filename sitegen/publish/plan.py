"""The plan: a pure function from what is built to what is in the bucket.

`make_plan(local, remote)` compares each local file with the object at the same
path by size, MD5 and headers (never by modification time) and returns the
uploads, each with its reason, the deletes and the paths left alone.  Uploads
come in groups that apply runs one after another, so that a publish stopped at
any point leaves no page pointing at a missing asset:

    0 fingerprinted assets ─► 1 other files ─► 2 HTML ─► 3 the sitemap ─► deletes

Deletes run the other way round (sitemap and pages first, assets last), so a
stale page never outlives the assets it uses; stale assets go only after the
CDN has invalidated the pages that used them (sitegen/publish/publisher.py).
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from .headers import Headers, is_fingerprinted
from .local import LocalFile

NEW = "new"
CONTENT_CHANGED = "content changed"
HEADERS_CHANGED = "headers changed"

ASSETS, OTHER, HTML, SITEMAP = range(4)
GROUP_NAMES = ("fingerprinted assets", "other files", "pages", "sitemap")

PLAIN_MD5 = re.compile(r"^[0-9a-f]{32}\Z")
WILDCARD = "/*"


@dataclass(frozen=True)
class RemoteObject:
    """One object already in the bucket, as far as we know it.

    `md5` and `headers` are None when unknown: the listing gives only size and
    ETag; the publish state or a HEAD request fills in the rest.
    """

    path: str                  # relative to the prefix, like LocalFile.path
    size: int
    etag: str                  # without quotes
    md5: str | None = None     # content MD5 recorded when we uploaded it
    headers: Headers | None = None


@dataclass(frozen=True)
class Upload:
    """A local file to upload, and why."""

    file: LocalFile
    reason: str

    @property
    def path(self) -> str:
        """The file's path relative to build/."""
        return self.file.path

    @property
    def group(self) -> int:
        """Which upload group the file belongs to."""
        return group_of(self.file.path)


@dataclass(frozen=True)
class Plan:
    """What a publish will do: uploads (in safe order), deletes (in safe order)."""

    uploads: tuple[Upload, ...]
    deletes: tuple[str, ...]
    unchanged: tuple[str, ...]

    def groups(self) -> list[tuple[int, tuple[Upload, ...]]]:
        """The non-empty upload groups, in the order they must run."""
        groups = []
        for number in range(len(GROUP_NAMES)):
            members = tuple(u for u in self.uploads if u.group == number)
            if members:
                groups.append((number, members))
        return groups

    @property
    def page_deletes(self) -> tuple[str, ...]:
        """Stale keys other than fingerprinted assets: deleted before the CDN is told."""
        return tuple(p for p in self.deletes if group_of(p) != ASSETS)

    @property
    def asset_deletes(self) -> tuple[str, ...]:
        """Stale fingerprinted assets: deleted only once the pages that used them are invalidated."""
        return tuple(p for p in self.deletes if group_of(p) == ASSETS)

    @property
    def is_empty(self) -> bool:
        """True when the bucket already matches the build."""
        return not self.uploads and not self.deletes


def group_of(path: str) -> int:
    """The upload group of PATH: assets, other files, HTML, or the sitemap."""
    if is_fingerprinted(path):
        return ASSETS
    name = posixpath.basename(path)
    if path == name and name.startswith("sitemap") and name.endswith(".xml"):
        return SITEMAP
    if name.endswith((".html", ".htm")):
        return HTML
    return OTHER


def remote_md5(obj: RemoteObject) -> str | None:
    """The content MD5 of OBJ if known: recorded, or a single-part upload's ETag."""
    if obj.md5:
        return obj.md5
    return obj.etag if PLAIN_MD5.match(obj.etag) else None


def compare(local: LocalFile, remote: RemoteObject | None) -> str | None:
    """Why LOCAL must be uploaded over REMOTE, or None when they match."""
    if remote is None:
        return NEW
    if remote.size != local.size or remote_md5(remote) != local.md5:
        return CONTENT_CHANGED
    if remote.headers != local.headers:
        return HEADERS_CHANGED
    return None


def _delete_order(path: str) -> tuple[int, str]:
    return (-group_of(path), path)


def make_plan(local: Iterable[LocalFile], remote: Mapping[str, RemoteObject]) -> Plan:
    """Compare the build with the bucket; a pure function."""
    local = sorted(local, key=lambda f: (group_of(f.path), f.path))
    uploads, unchanged = [], []
    for file in local:
        reason = compare(file, remote.get(file.path))
        if reason:
            uploads.append(Upload(file, reason))
        else:
            unchanged.append(file.path)
    wanted = {f.path for f in local}
    deletes = sorted((p for p in remote if p not in wanted), key=_delete_order)
    return Plan(tuple(uploads), tuple(deletes), tuple(unchanged))


def page_urls(path: str) -> list[str]:
    """The viewer paths that serve the page at PATH ('a/index.html' -> '/a/', '/a/index.html')."""
    url = "/" + quote(path, safe="/-._~")
    if posixpath.basename(path) == "index.html":
        return [url[: -len("index.html")], url]
    return [url]


def invalidation_paths(plan: Plan, wildcard_over: int, pending: Iterable[str] = ()) -> list[str]:
    """CDN paths to invalidate: changed and deleted pages, and those a stopped
    publish left PENDING, or '/*' above WILDCARD_OVER (or if pending holds it).

    New pages are left out (nothing could have cached them but a short-lived
    error), and so is everything but HTML: assets are fingerprinted, and feeds
    and other files expire within minutes by their Cache-Control.
    """
    changed = [u.path for u in plan.uploads if u.reason != NEW] + list(plan.deletes)
    paths = sorted({url for p in changed if group_of(p) == HTML for url in page_urls(p)} | set(pending))
    return [WILDCARD] if len(paths) > wildcard_over or WILDCARD in paths else paths
