"""Markdown files with YAML front matter between two '---' lines."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
    lines = _lines(text)
    closing = _closing_fence(lines, rel_path, keys)
    meta = parse_yaml("".join(lines[1:closing]), rel_path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SitegenError([Problem(rel_path, 2, 1, "front matter must be 'key: value' lines")])
    return Document(meta, "".join(lines[closing + 1:]), closing + 2)


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
    lines = _lines(text)
    return "".join(lines[_closing_fence(lines, rel_path) + 1:])


def _lines(text: str) -> list[str]:
    """TEXT's lines, each with its line end, split at LF only.

    read_text has already turned every line end into LF; str.splitlines would also
    split at U+2028, U+2029, U+0085, form feed and others inside a value, and so
    shift every line number after one.
    """
    *lines, last = text.split("\n")
    return [line + "\n" for line in lines] + ([last] if last else [])


def _closing_fence(lines: list[str], rel_path: str, keys: str = STORY_KEYS) -> int:
    """The index of the line that closes the front matter (KEYS: what it holds, for the problem)."""
    if not lines or lines[0].strip() != FENCE:
        raise SitegenError([Problem(rel_path, 1, 1, f"must start with front matter: {keys}")])
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return index
    raise SitegenError([Problem(rel_path, 1, 1,
        "front matter is not closed; did you forget the closing '---' line after it?")])
