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
