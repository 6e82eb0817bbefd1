"""Checks that every link and image in Markdown leads somewhere real."""
from __future__ import annotations

import posixpath
import re
from typing import Container, Iterable
from urllib.parse import urljoin, urlsplit

from .errors import Problem
from .model import Link, Site


def check_links(site: Site, urls: Container[str]) -> list[Problem]:
    """Problems for internal links to pages that will not exist, and bad images.

    URLS holds every site path the build writes ('/areas/abbey/', '/media/x.jpg').
    """
    return link_problems(site.links, urls)


def link_problems(links: Iterable[Link], urls: Container[str]) -> list[Problem]:
    """Problems with LINKS, as check_links."""
    problems = []
    for link in links:
        message = _image_problem(link, urls) if link.is_image else _link_problem(link, urls)
        if message:
            problems.append(Problem(link.source, link.line, 0, message))
    return problems


# What makes a "/..." link more than a plain site path: another host, a query,
# a fragment, dot segments, repeated slashes, escapes or white space.
_NEEDS_PARSING = re.compile(r"//|[?#%.\\\x00-\x20\x7f]")


def _target(link: Link) -> str | None:
    """The site path LINK points at, or None for external, mail and phone links."""
    href = link.href
    if href[:1] == "/" and not _NEEDS_PARSING.search(href):
        return href   # already a plain site path (most links): nothing to resolve
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or link.href.startswith("#"):
        return None
    path = parts.path if link.href.startswith("/") else urlsplit(urljoin(link.base_url, link.href)).path
    normal = posixpath.normpath(path) + ("/" if path.endswith("/") and path != "/" else "")
    return normal


def _link_problem(link: Link, urls: Container[str]) -> str | None:
    target = _target(link)
    if target is None or target in urls:
        return None
    if target + "/" in urls:
        return f"link '{link.href}' needs a trailing slash: '{target}/'"
    if target.startswith("/areas/"):
        return f"link '{link.href}' points to an area or page that does not exist"
    return f"link '{link.href}' points to a page that does not exist ({target})"


def _image_problem(link: Link, urls: Container[str]) -> str | None:
    target = _target(link)
    if target is None:
        return (f"image '{link.href}' is on another site; save it in content/media/ and use '/media/NAME',"
                " so pages make no requests to other sites")
    if not target.startswith("/media/"):
        return f"image '{link.href}' must be a file in content/media/, written '/media/NAME'"
    if target not in urls:
        return f"image '{link.href}' is missing: there is no content{target}"
    return None
