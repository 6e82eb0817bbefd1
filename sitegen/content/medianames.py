"""Media files are published under their names in Unicode NFC.

A Mac saves `café.pdf` as `cafe` + U+0301 (NFD) and Linux keeps those bytes,
while editors type, and Markdown links carry, the composed `é` (NFC).  A web
server compares names byte for byte, so the build publishes every media file
at the NFC form of its name, and writes every site link in NFC too
(content/markup.nfc_href): however either was written, they meet.
"""
from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from ..errors import Problem
from ..sitefiles import is_hidden
from . import MEDIA_DIR

MEDIA_URL = "/media/"


def media_url(rel: str) -> str:
    """The site path of the file REL (its path under content/media, '/' separated):
    '/media/' + REL in NFC."""
    return MEDIA_URL + unicodedata.normalize("NFC", rel)


def media_file(root: Path, url: str) -> Path:
    """The file under ROOT/content/media that the site path URL ('/media/...', from
    media_url) publishes, whatever normal form its name has on disk.  A file
    that is not there is returned at the path URL names (so reading it fails
    as it would have)."""
    rel = url[len(MEDIA_URL):]
    path = root / MEDIA_DIR / rel
    if rel.isascii() or path.exists():
        return path
    found = root / MEDIA_DIR
    for part in rel.split("/"):
        found = found / _entry_named(found, part)
    return found


def _entry_named(folder: Path, name: str) -> str:
    """The entry of FOLDER whose name is NAME in NFC (NAME itself if none is)."""
    try:
        entries = os.listdir(folder)
    except OSError:
        return name
    return next((entry for entry in entries if unicodedata.normalize("NFC", entry) == name), name)


def media_name_clashes(root: Path) -> list[Problem]:
    """A problem for each media file under ROOT whose name is another's in a
    different Unicode normal form (a Mac's `cafe` + U+0301 beside `café`): both
    would be published at one address, so one would silently replace the other."""
    base = root / MEDIA_DIR
    first: dict[str, str] = {}
    problems = []
    for path in sorted(base.rglob("*")) if base.is_dir() else []:
        rel = path.relative_to(base).as_posix()
        if is_hidden(rel) or not path.is_file():
            continue
        same = first.setdefault(unicodedata.normalize("NFC", rel), rel)
        if same != rel:
            problems.append(Problem(f"{MEDIA_DIR}/{rel}", 0, 0,
                                    f"has the same name as {MEDIA_DIR}/{same} with its accents "
                                    "written another way (Unicode NFC and NFD), so both would "
                                    "be published at one address; rename or delete one of them"))
    return problems
