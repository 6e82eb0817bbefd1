"""Reading a site's files: YAML and Markdown with line numbers, validated into the model."""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from ..sitefiles import let_through, name_fault

MEDIA_DIR = "content/media"   # files copied as they are to /media/
MAX_SLUG = 80      # characters in an address part: readable, and far below NAME_MAX (255 bytes)
HASH_CHARS = 8     # hex digits of the hash that ends a shortened slug
# Apostrophes (ASCII, typographic, modifier letter) join a word rather than split it;
# '&' is read as 'and'.  Applied before and after transliteration.
_REPLACEMENTS = [["&", " and "]] + [[mark, ""] for mark in "'\u2019\u2018\u02bc\u02bb`\u00b4"]
# A name of ASCII letters, digits, spaces and hyphens only (most: 'Borough 0', 'Kings Cross'),
# which needs no transliteration (_plain_slug).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9 -]*")


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """A name as an address part: 'King's Cross' -> 'kings-cross', '北京' -> 'bei-jing'.

    Any script is transliterated to Latin letters (python-slugify with
    text-unidecode); apostrophes are dropped rather than splitting a word, and
    '&' reads as 'and', so 'Barking & Dagenham' and 'Barking and Dagenham'
    agree.  The result matches SLUG_RE or is '' (a name of emoji or punctuation
    only: callers must refuse it).  It is at most MAX_LENGTH characters: a
    longer one keeps a readable prefix and ends in a hash of the whole, so it is
    the same on every run and two long names still differ.
    """
    slug = _plain_slug(text) if _PLAIN_NAME.fullmatch(text) else transliterated_slug(text)
    return _shorten(slug, max_length)


def _plain_slug(text: str) -> str:
    """The slug python-slugify makes of TEXT of ASCII letters, digits, spaces and hyphens only
    (_PLAIN_NAME): its words in lower case, joined by single hyphens.  It has nothing to
    transliterate, replace or decode, so what is left of python-slugify's steps is lowering
    it and making each run of spaces and hyphens one hyphen, none at either end
    (test_A_slugify compares the two)."""
    return "-".join(text.lower().replace("-", " ").split())


def transliterated_slug(text: str) -> str:
    """TEXT as an address part by python-slugify (any script to Latin letters), not shortened."""
    from slugify import slugify as _slugify  # only here: 4 ms of imports (its tables), for names that need it
    return _slugify(text, entities=False, decimal=False, hexadecimal=False, replacements=_REPLACEMENTS)


def _shorten(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    digest = hashlib.sha256(slug.encode("ascii")).hexdigest()[:HASH_CHARS]
    prefix = slug[: max_length - HASH_CHARS - 1].rstrip("-")
    return f"{prefix}-{digest}"


def markdown_files(folder: Path, rel_folder: str | None = None) -> list[Path]:
    """The *.md files in FOLDER, sorted; none if it is not a folder.  Links are
    followed and anything that is not a file is left out, as the build's scan
    does (os.scandir knows a plain file's type without a stat of its own).
    Names sitefiles.name_fault refuses are left out too: `check` reports them.
    REL_FOLDER, FOLDER's site path when given, lets the files that are no link
    through sitefiles.refuse_link_out without a look of their own (let_through)."""
    try:
        with os.scandir(folder) as listing:
            entries = [e for e in listing if e.name.endswith(".md") and e.is_file()
                       and not name_fault(e.name)]
    except OSError:
        return []
    if rel_folder is not None:
        let_through(folder, rel_folder, entries)
    return [folder / name for name in sorted(e.name for e in entries)]
