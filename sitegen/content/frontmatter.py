"""Markdown files with YAML front matter between two '---' lines."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem, Problems, SitegenError
from .yamlsource import parse_yaml, read_text

FENCE = "---"
# A file's front matter as its "must start with front matter: ..." problem describes it.
STORY_KEYS = "a line '---', then 'title:' and 'date:' lines, then '---'"
PAGE_KEYS = "a line '---', then a 'title:' line, then '---'"
TRANSLATION_KEYS = ("a line '---', then the words it translates, like 'title:', then '---' "
                    "(an empty file translates nothing: every word shows the original's)")


@dataclass
class Document:
    """Front matter (a LocatedDict) and the Markdown body, with its first line."""

    meta: dict
    body: str
    body_line: int


def split_front_matter(text: str, rel_path: str, keys: str = STORY_KEYS) -> Document:
    """Split TEXT into front matter and body, or raise a located SitegenError (naming KEYS,
    what the front matter gives, when it has none)."""
    fences = _fences(text, rel_path, keys)
    meta = parse_yaml(text[fences.meta_start:fences.meta_end], rel_path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SitegenError([Problem(rel_path, 2, 1, "front matter must be 'key: value' lines")])
    return Document(meta, text[fences.body_start:], fences.closing + 2)


def read_document(path: Path, rel_path: str, problems: Problems, keys: str = STORY_KEYS) -> Document | None:
    """The Markdown file at PATH (REL_PATH in messages) split, or None with its problems in PROBLEMS."""
    try:
        return split_front_matter(read_text(path, rel_path), rel_path, keys)
    except SitegenError as exc:
        problems.extend(exc.problems)
        return None


def read_translation(path: Path, rel_path: str, problems: Problems) -> Document | None:
    """A translation (<story>.<ll>.md, <page>.<ll>.md) at PATH read as read_document does;
    an empty one (no characters but blank lines) translates nothing, as an empty
    area.<ll>.yaml: no front matter and no body, so every word falls back to the original's."""
    try:
        text = read_text(path, rel_path)
        if not text.strip():
            return Document({}, "", 1)
        return split_front_matter(text, rel_path, TRANSLATION_KEYS)
    except SitegenError as exc:
        problems.extend(exc.problems)
        return None


def body_of(text: str, rel_path: str) -> str:
    """Only the Markdown body of TEXT (the front matter was checked when the site loaded)."""
    if not text.strip():   # an empty translation (read_translation)
        return ""
    return text[_fences(text, rel_path).body_start:]


class Fences(NamedTuple):
    """Where a file's front matter is: the text between its fences is
    text[meta_start:meta_end], the body text[body_start:]; the closing fence is
    line CLOSING (counted from 0)."""

    meta_start: int
    meta_end: int
    body_start: int
    closing: int


def _fences(text: str, rel_path: str, keys: str = STORY_KEYS) -> Fences:
    """Where TEXT's front matter and body are (KEYS: what the front matter holds, for the
    problem when there is none).  Lines end at LF only: read_text has already turned every
    line end into LF, and str.splitlines would also split at U+2028, U+2029, U+0085, form
    feed and others inside a value, and so shift every line number after one.  Only the
    lines up to the closing fence are looked at: the body, most of a story, is not split."""
    first_end = text.find("\n")
    if text[:first_end if first_end >= 0 else len(text)].strip() != FENCE:
        raise SitegenError([Problem(rel_path, 1, 1, f"must start with front matter: {keys}")])
    meta_start = len(text) if first_end < 0 else first_end + 1
    start, number = meta_start, 1
    while start < len(text):
        end = text.find("\n", start)
        stop = len(text) if end < 0 else end
        if text[start:stop].strip() == FENCE:
            return Fences(meta_start, start, stop + 1 if end >= 0 else stop, number)
        start, number = stop + 1, number + 1
    raise SitegenError([Problem(rel_path, 1, 1,
        "front matter is not closed; did you forget the closing '---' line after it?")])
