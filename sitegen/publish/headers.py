"""The one table of HTTP headers for everything a build emits.

Each file gets a Content-Type (text types with `charset=utf-8`) and a
Cache-Control:

* fingerprinted assets (`assets/…/name.HASH10.ext`) are cached for a year and
  marked immutable: their name changes whenever their bytes do;
* pages, feeds and other text that a nightly build rewrites in place get a
  short max-age with stale-while-revalidate;
* anything else (unfingerprinted images, fonts, PDFs) gets an hour;
* the editors' admin (`admin/…`, sitegen/admin/outputs.py) is revalidated on every use
  (`no-cache`): its Decap CMS files keep their names from one release to the next, so a
  cached decap-cms.js could load a newer release's chunks, and its config.yml lists the
  wards an editor may change.

site.yaml may override either header per glob (`publish.headers`); later rules
win over earlier ones and over this table.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300, stale-while-revalidate=3600"
HOUR = "public, max-age=3600"
NO_STORE = "no-store"
NO_CACHE = "no-cache"   # a browser may keep it but asks first (an ETag, so usually a 304)
ADMIN_PREFIX = "admin/"

UTF8 = "; charset=utf-8"
FALLBACK = ("application/octet-stream", HOUR)

# Keyed by file name first ('feed.xml'), then by extension ('.xml').
TABLE: dict[str, tuple[str, str]] = {
    "feed.xml": ("application/atom+xml" + UTF8, SHORT),
    ".html": ("text/html" + UTF8, SHORT),
    ".htm": ("text/html" + UTF8, SHORT),
    ".xml": ("application/xml" + UTF8, SHORT),
    ".atom": ("application/atom+xml" + UTF8, SHORT),
    ".rss": ("application/rss+xml" + UTF8, SHORT),
    ".ics": ("text/calendar" + UTF8, SHORT),
    ".json": ("application/json" + UTF8, SHORT),
    ".geojson": ("application/geo+json" + UTF8, SHORT),
    ".webmanifest": ("application/manifest+json" + UTF8, SHORT),
    ".txt": ("text/plain" + UTF8, SHORT),
    ".css": ("text/css" + UTF8, HOUR),
    ".js": ("text/javascript" + UTF8, HOUR),
    ".mjs": ("text/javascript" + UTF8, HOUR),
    ".map": ("application/json" + UTF8, HOUR),
    ".svg": ("image/svg+xml" + UTF8, HOUR),
    ".woff2": ("font/woff2", HOUR),
    ".woff": ("font/woff", HOUR),
    ".png": ("image/png", HOUR),
    ".jpg": ("image/jpeg", HOUR),
    ".jpeg": ("image/jpeg", HOUR),
    ".webp": ("image/webp", HOUR),
    ".avif": ("image/avif", HOUR),
    ".gif": ("image/gif", HOUR),
    ".ico": ("image/x-icon", HOUR),
    ".pdf": ("application/pdf", HOUR),
    # The admin's: WebAssembly must be application/wasm for a browser to compile it as it
    # streams in; YAML as RFC 9512 registers it (UTF-8, no charset parameter).
    ".wasm": ("application/wasm", HOUR),
    ".yml": ("application/yaml", SHORT),
    ".yaml": ("application/yaml", SHORT),
}

FINGERPRINTED = re.compile(r"^assets/(?:.+/)?[^/]+\.[0-9a-fA-F]{10}\.[A-Za-z0-9]+\Z")


@dataclass(frozen=True, order=True)
class Headers:
    """The headers stored with one object."""

    content_type: str
    cache_control: str


def is_fingerprinted(path: str) -> bool:
    """True for 'assets/site.0123456789.css': cacheable for ever."""
    return bool(FINGERPRINTED.match(path))


def _table_entry(path: str) -> tuple[str, str]:
    name = posixpath.basename(path).lower()
    ext = posixpath.splitext(name)[1]
    return TABLE.get(name) or TABLE.get(ext) or FALLBACK


def headers_for(path: str, rules: Iterable[Mapping[str, str]] = ()) -> Headers:
    """The headers PATH (relative to build/, '/'-separated) is published with."""
    content_type, cache_control = _table_entry(path)
    if is_fingerprinted(path):
        cache_control = IMMUTABLE
    elif path.startswith(ADMIN_PREFIX):
        cache_control = NO_CACHE
    for rule in rules:
        if fnmatchcase(path, rule["glob"].lstrip("/")):
            content_type = rule.get("content_type") or content_type
            cache_control = rule.get("cache_control") or cache_control
    return Headers(content_type, cache_control)
