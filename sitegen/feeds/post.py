"""A post as the site shows it, kept apart from the parser so pages that show
posts do not import the XML machinery that reads feeds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

TITLE_MAX = 200


@dataclass(frozen=True)
class Post:
    """One post as shown: plain-text title, http(s) link, UTC time, sanitised summary."""

    title: str
    link: str | None
    published: datetime | None
    summary_html: str
