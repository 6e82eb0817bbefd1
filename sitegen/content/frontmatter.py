"""Markdown files with YAML front matter between two '---' lines."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem, SitegenError
from .yamlsource import parse_yaml

FENCE = "---"


@dataclass
class Document:
    """Front matter (a LocatedDict) and the Markdown body, with its first line."""

    meta: dict
    body: str
    body_line: int


def split_front_matter(text: str, rel_path: str) -> Document:
    """Split TEXT into front matter and body, or raise a located SitegenError."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE:
        raise SitegenError([Problem(rel_path, 1, 1,
            "must start with front matter: a line '---', then 'title:' and 'date:' lines, then '---'")])
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            meta = parse_yaml("".join(lines[1:index]), rel_path, first_line=2)
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise SitegenError([Problem(rel_path, 2, 1, "front matter must be 'key: value' lines")])
            return Document(meta, "".join(lines[index + 1:]), index + 2)
    raise SitegenError([Problem(rel_path, 1, 1,
        "front matter is not closed; did you forget the closing '---' line after it?")])
