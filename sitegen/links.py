"""Checks that every link and image in Markdown leads somewhere real.

A link is compared with what the site builds by the path a browser would ask
for, decoded: `/media/crime%20prevention%20leaflet.pdf` (how Markdown writes
`</media/crime prevention leaflet.pdf>`) finds `content/media/crime prevention
leaflet.pdf`.  Both sides are compared in Unicode NFC: a link typed `café` finds
a file a Mac saved as `cafe` + U+0301, and the build publishes that file, and
writes that link, at the NFC address (see content/markup.nfc_href).  A link
with a scheme pages do not link to (`javascript:`, `file:`, `data:`) is
reported: the sanitiser would leave an `<a>` without an address.  A build of
the whole site and one of a few areas (sitegen/build/load.py) both ask
`link_problems`, each with its own set of the site's paths.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Container, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from .errors import Problem
from .model import Link, Site


def check_links(site: Site, urls: Container[str]) -> list[Problem]:
    """Problems for internal links to pages that will not exist, and bad images.

    URLS holds every site path the build writes, decoded ('/areas/abbey/',
    '/media/crime prevention leaflet.pdf').
    """
    return link_problems(site.links, urls)


def link_problems(links: Iterable[Link], urls: Container[str]) -> list[Problem]:
    """Problems with LINKS, as check_links."""
    problems = []
    for link in links:
        message = _scheme_problem(link) or _stray_percent(link) or (
            _image_problem(link, urls) if link.is_image else _link_problem(link, urls))
        if message:
            problems.append(Problem(link.source, link.line, link.col, message))
    return problems


# What makes a "/..." link more than a plain site path: another host, a query,
# a fragment, dot segments, repeated slashes, escapes or white space.
_NEEDS_PARSING = re.compile(r"//|[?#%.\\\x00-\x20\x7f]")
# Links are resolved from a page at this origin, as a browser does ('../' stops at the root).
_ORIGIN = "https://site.invalid"
# The schemes a page may link to (content/markup.URL_SCHEMES, which the sanitiser keeps).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def nfc(path: str) -> str:
    """PATH in Unicode NFC (how the site publishes names: see module docstring)."""
    if path.isascii() or unicodedata.is_normalized("NFC", path):
        return path
    return unicodedata.normalize("NFC", path)


def site_path(href: str, base_url: str) -> str | None:
    """The decoded site path HREF leads to from the page at BASE_URL (a site
    path such as '/areas/abbey/news/bikes/'), or None for links to other
    sites, mail and phone links and links within the page ('#top').

    Resolved as a browser resolves it (relative, './', '../', '?query' and
    '#fragment' forms alike), then percent-decoded and normalised:
    '../bikes/?x#y' from '/areas/abbey/news/' is '/areas/abbey/bikes/'."""
    if href[:1] == "/" and not _NEEDS_PARSING.search(href):
        return nfc(href)   # already a plain site path (most links): nothing to resolve
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("#"):
        return None
    path = unquote(urlsplit(urljoin(_ORIGIN + base_url, href)).path)
    normal = posixpath.normpath(path)
    if normal.startswith("//"):   # normpath keeps POSIX's special leading '//'
        normal = "/" + normal.lstrip("/")
    return nfc(normal + ("/" if path.endswith(("/", "/.", "/..")) and normal != "/" else ""))


def _scheme_problem(link: Link) -> str | None:
    """Why LINK's scheme is one pages cannot have ('javascript:', 'file:', 'c:'), or None."""
    try:
        scheme = urlsplit(link.href).scheme   # lower case; tabs, line feeds and leading spaces dropped
    except ValueError:
        return None
    if not scheme or scheme in LINK_SCHEMES:
        return None
    if link.is_image:
        return (f"image '{link.href}' starts with '{scheme}:', which a page cannot show;"
                " save the image in content/media/ and write '/media/NAME'")
    return (f"link '{link.href}' starts with '{scheme}:', which a page cannot link to;"
            " links must start with https://, /, mailto: or tel:")


def _leads_to(target: str, urls: Container[str]) -> bool:
    """Whether the decoded site path TARGET is something the site builds;
    '/x/index.html' leads where '/x/' does."""
    if target in urls:
        return True
    return target.endswith("/index.html") and target[: -len("index.html")] in urls


# A '%' that starts no escape: browsers send it as it is, and servers (S3 among them) refuse such addresses.
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _stray_percent(link: Link) -> str | None:
    href = link.href
    if "%" not in href or not _STRAY_PERCENT.search(href) or site_path(href, link.base_url) is None:
        return None
    return (f"{'image' if link.is_image else 'link'} '{link.href}' has a '%' that starts no escape;"
            " write '%25' for each percent sign in the name")


def _link_problem(link: Link, urls: Container[str]) -> str | None:
    target = site_path(link.href, link.base_url)
    if target is None or _leads_to(target, urls):
        return None
    if target + "/" in urls:
        return f"link '{link.href}' needs a trailing slash: '{target}/'"
    if target.startswith("/areas/"):
        return (f"link '{link.href}' points to an area or page that does not exist;"
                " correct the address or remove the link")
    return (f"link '{link.href}' points to a page that does not exist ({target});"
            " correct the address, or for a file put it in content/media/ and link to '/media/NAME'")


def _image_problem(link: Link, urls: Container[str]) -> str | None:
    target = site_path(link.href, link.base_url)
    if target is None:
        return (f"image '{link.href}' is on another site; save it in content/media/ and use '/media/NAME',"
                " so pages make no requests to other sites")
    if not target.startswith("/media/"):
        return f"image '{link.href}' must be a file in content/media/, written '/media/NAME'"
    if target not in urls:
        return (f"image '{link.href}' is missing: there is no content{target};"
                " add the file or correct the name")
    return None
