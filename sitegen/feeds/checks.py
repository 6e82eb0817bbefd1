"""Checks of the feed URLs in area.yaml that the schema cannot make alone.

The area schema already refuses a `feed` that is not an http(s) URL and a
`network` it does not know.  These add what needs the site's settings or the
whole list: a feed `sitegen feeds` would refuse without trying, and a feed
listed twice.  No network and no DNS: a host name is only judged when it is
an IP address or 'localhost'.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import Area, Site
from .addresses import is_public


def feed_problems(site: Site) -> list[Problem]:
    """Problems with the feed URLs of every area of SITE."""
    allow_private = site.config.feeds.allow_private_hosts
    return [problem for area in site.areas for problem in area_feed_problems(area, allow_private)]


def area_feed_problems(area: Area, allow_private: bool) -> list[Problem]:
    """Problems with AREA's feed URLs."""
    problems, seen = [], set()
    for index, link in enumerate(area.social, start=1):
        if not link.feed:
            continue
        where = f"social link {index} ({link.network})"
        if link.feed in seen:   # feed_at is where the first listing is: say which line to remove
            problems.append(Problem(area.source, 0, 0,
                                    f"{where}: feed {link.feed} is listed twice; remove one"))
            continue
        seen.add(link.feed)
        message = url_problem(link.feed, allow_private)
        if message:
            problems.append(Problem(area.source, *link.feed_at, f"{where}: feed {link.feed}: {message}"))
    return problems


def url_problem(url: str, allow_private: bool) -> str:
    """Why `sitegen feeds` would refuse URL without trying, or ''."""
    try:
        parts = urlsplit(url)
        _ = parts.port   # reading it checks it: ValueError when not a number from 0 to 65535
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.username is not None or parts.password is not None:
        return "remove the user name and password from the address; feeds must be public"
    host = (parts.hostname or "").lower()
    if not allow_private and _is_private_literal(host):
        return ("is on a private or local address, which is refused"
                " (site.yaml feeds.allow_private_hosts: true allows it, for tests and previews only)")
    return ""


def _is_private_literal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return not is_public(host)
